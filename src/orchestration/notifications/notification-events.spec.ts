import {
  emptySegmentResult,
  type ExportRun,
  type SegmentResult,
} from '@stages/destinations/export-run';
import type { SegmentRunStatus } from '@stages/destinations/export-run-status';
import { HELD_SEGMENT_STATUS, runEvents, runPayload } from './notification-events';

function segment(id: string, status: string, figures: Partial<SegmentResult> = {}): SegmentResult {
  return {
    ...emptySegmentResult(id, `Segment ${id}`),
    status: status as SegmentRunStatus,
    ...figures,
  };
}

function run(status: ExportRun['status'], segments: SegmentResult[], error: string | null = null) {
  return {
    id: 'run-1',
    destinationId: 'd1',
    trigger: 'api',
    refreshRunId: null,
    status,
    fullSync: false,
    approveRemovals: false,
    segments,
    notes: [],
    error,
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    cancelRequestedAt: null,
    owner: null,
    heartbeatAt: null,
  } satisfies ExportRun;
}

const none = { previousStatus: null, skippedAlertPercent: null };
const types = (events: { type: string }[]) => events.map((e) => e.type);

describe('runEvents', () => {
  it('a failed run sends run.failed with its error as the reason', () => {
    const events = runEvents(run('failed', [segment('a', 'failed')], 'Every segment failed'), none);
    expect(events).toEqual([{ type: 'run.failed', reason: 'Every segment failed' }]);
  });

  it('a partial run sends run.partial', () => {
    const r = run('partial', [segment('a', 'succeeded'), segment('b', 'failed')], '1 of 2 failed');
    expect(types(runEvents(r, none))).toEqual(['run.partial']);
  });

  it(`maps a segment with the status "${HELD_SEGMENT_STATUS}" to run.held, without run.partial when only held`, () => {
    const held = segment('a', 'held', { errors: ['would remove 5000 of 6000 members'] });
    const events = runEvents(run('partial', [segment('b', 'succeeded'), held]), none);
    expect(events).toEqual([
      {
        type: 'run.held',
        reason: expect.stringContaining('"Segment a": would remove 5000 of 6000 members'),
      },
    ]);
    const withFailure = runEvents(run('partial', [segment('b', 'failed'), held]), none);
    expect(types(withFailure)).toEqual(['run.partial', 'run.held']);
  });

  it('a success after a failed or partial run sends run.recovered, not after a success', () => {
    const ok = run('succeeded', [segment('a', 'succeeded')]);
    for (const previousStatus of ['failed', 'partial'] as const) {
      expect(types(runEvents(ok, { previousStatus, skippedAlertPercent: null }))).toEqual([
        'run.recovered',
      ]);
    }
    expect(runEvents(ok, { previousStatus: 'succeeded', skippedAlertPercent: null })).toEqual([]);
    expect(runEvents(ok, none)).toEqual([]);
  });

  it('sends skipped.threshold when the share of skipped members passes the limit', () => {
    const r = run('succeeded', [
      segment('a', 'succeeded', { members: 150, skippedNoKey: 20, skippedNotFound: 5 }),
      segment('b', 'succeeded', { members: 50, skippedInvalid: 5 }),
    ]);
    // 30 of 200 = 15%.
    expect(runEvents(r, { previousStatus: null, skippedAlertPercent: 10 })).toEqual([
      {
        type: 'skipped.threshold',
        reason: '15% of the members were skipped (30 of 200), above the limit of 10%.',
      },
    ]);
    expect(runEvents(r, { previousStatus: null, skippedAlertPercent: 15 })).toEqual([]);
    expect(runEvents(r, none)).toEqual([]);
  });

  it('canceled and skipped runs send nothing', () => {
    const ctx = { previousStatus: 'failed' as const, skippedAlertPercent: 0 };
    const skippedMembers = [segment('a', 'canceled', { members: 10, skippedNoKey: 10 })];
    expect(runEvents(run('canceled', skippedMembers), ctx)).toEqual([]);
    expect(runEvents(run('skipped', []), ctx)).toEqual([]);
  });
});

describe('runPayload', () => {
  it('names the run, its destination, per-segment counts, totals and the link to the run', () => {
    const r = run('partial', [
      segment('a', 'succeeded', { members: 10, added: 8, skippedNoKey: 2 }),
      segment('b', 'failed', { members: 5, failed: 5 }),
    ]);
    const payload = runPayload(
      { type: 'run.partial', reason: 'r', id: 'e1', occurredAt: '2026-01-01T00:00:00.000Z' },
      r,
      { id: 'd1', name: 'Sales' },
    );
    expect(payload).toEqual({
      id: 'e1',
      type: 'run.partial',
      occurredAt: '2026-01-01T00:00:00.000Z',
      reason: 'r',
      destination: { id: 'd1', name: 'Sales' },
      run: {
        id: 'run-1',
        status: 'partial',
        trigger: 'api',
        link: '/runs/export/run-1',
        totals: { members: 15, added: 8, removed: 0, skipped: 2, failed: 5 },
        segments: [
          expect.objectContaining({ segmentId: 'a', status: 'succeeded', skipped: 2, added: 8 }),
          expect.objectContaining({ segmentId: 'b', status: 'failed', failed: 5 }),
        ],
      },
    });
  });
});
