import { CheckpointStatus } from './checkpoint-store';
import { explainSentence, type SegmentFacts } from './explain-sentence';

const base: SegmentFacts = {
  destinationName: 'Sales',
  syncMode: 'mirror',
  keyField: 'contactId',
  segmentName: 'VIP',
  segmentActive: true,
  member: true,
  memberSince: '2026-12-01T08:30:00.000Z',
  key: 'abc',
  checkpoint: null,
  lastRun: null,
};
const run = (outcome: string, reason: string | null = null) => ({
  runId: 'r1',
  at: '2026-12-02T09:00:00.000Z',
  outcome: outcome as 'added',
  reason,
});

describe('explainSentence', () => {
  it('says why a member is on the list, and since when', () => {
    expect(
      explainSentence({ ...base, checkpoint: CheckpointStatus.HELD, lastRun: run('added') }),
    ).toBe(
      'On the list: a member of "VIP" since 2026-12-01 08:30 UTC; contact abc was added by the export of 2026-12-02 09:00 UTC.',
    );
  });

  it('names each reason for not being on the list', () => {
    expect(explainSentence({ ...base, key: null })).toMatch(/but it has no contactId/);
    expect(explainSentence({ ...base, checkpoint: CheckpointStatus.NOT_FOUND })).toMatch(
      /contact abc was not found in "Sales" at the last export/,
    );
    expect(explainSentence({ ...base, checkpoint: CheckpointStatus.INVALID })).toMatch(
      /abc is not a valid contactId for "Sales"/,
    );
    expect(explainSentence({ ...base, lastRun: run('failed', 'Failed: HTTP 400') })).toMatch(
      /adding contact abc failed at the export of .* \(Failed: HTTP 400\); the next export tries again/,
    );
    expect(explainSentence({ ...base })).toMatch(/the next export adds it\.$/);
    expect(explainSentence({ ...base, member: false, lastRun: run('removed') })).toMatch(
      /^Not on the list: no longer a member of "VIP"; the export of .* removed it\.$/,
    );
    expect(explainSentence({ ...base, member: false })).toMatch(/not a member of "VIP"/);
    expect(explainSentence({ ...base, segmentName: null })).toMatch(/no longer exists/);
  });

  it('explains a former member still on the list by the sync mode', () => {
    const held = { ...base, member: false, checkpoint: CheckpointStatus.HELD };
    expect(explainSentence(held)).toMatch(/the next export removes it/);
    expect(explainSentence({ ...held, syncMode: 'additive' })).toMatch(/additive mode/);
  });
});
