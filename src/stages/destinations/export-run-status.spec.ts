import {
  EXPORT_RUN_INITIAL,
  EXPORT_RUN_STATUSES,
  assertTransition,
  canTransition,
  finalStatus,
  isTerminal,
} from './export-run-status';

describe('export run state machine', () => {
  it('allows exactly the moves of the transition table', () => {
    const allowed = EXPORT_RUN_STATUSES.flatMap((from) =>
      EXPORT_RUN_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed.sort()).toEqual(
      [
        'queued→running',
        'queued→canceled',
        'queued→failed',
        'running→succeeded',
        'running→partial',
        'running→held',
        'running→failed',
        'running→canceled',
      ].sort(),
    );
    expect([...EXPORT_RUN_INITIAL].sort()).toEqual(['queued', 'skipped']);
  });

  it('has final states with no way out and refuses illegal moves', () => {
    for (const status of [
      'succeeded',
      'partial',
      'held',
      'failed',
      'canceled',
      'skipped',
    ] as const) {
      expect(isTerminal(status)).toBe(true);
      expect(() => {
        assertTransition(status, 'running');
      }).toThrow(/cannot go from/);
    }
    expect(isTerminal('queued')).toBe(false);
    expect(isTerminal('running')).toBe(false);
    expect(() => {
      assertTransition('queued', 'succeeded');
    }).toThrow(/cannot go from queued to succeeded/);
  });

  it('derives the final status from the segments', () => {
    expect(finalStatus([], false)).toBe('succeeded');
    expect(finalStatus(['skipped', 'skipped'], false)).toBe('succeeded');
    expect(finalStatus(['succeeded', 'skipped'], false)).toBe('succeeded');
    expect(finalStatus(['succeeded', 'failed'], false)).toBe('partial');
    expect(finalStatus(['succeeded', 'partial'], false)).toBe('partial');
    expect(finalStatus(['partial'], false)).toBe('partial');
    expect(finalStatus(['failed', 'failed', 'skipped'], false)).toBe('failed');
    expect(finalStatus(['succeeded', 'canceled'], true)).toBe('canceled');
    expect(finalStatus(['succeeded', 'held'], false)).toBe('held');
    expect(finalStatus(['failed', 'held'], false)).toBe('held');
    expect(finalStatus(['held', 'canceled'], true)).toBe('canceled');
  });
});
