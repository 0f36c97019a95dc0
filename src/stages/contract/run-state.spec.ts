import {
  RUN_INITIAL,
  RUN_STATUSES,
  RUN_TRANSITIONS,
  STAGE_TRANSITIONS,
  assertStageTransition,
  assertTransition,
  canTransition,
  isTerminal,
} from './run-state';

describe('refresh run state machine', () => {
  it('follows the written transition table', () => {
    const allowed = RUN_STATUSES.flatMap((from) =>
      RUN_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}→${to}`),
    );
    expect(allowed).toEqual([
      'queued→running',
      'queued→failed',
      'queued→canceled',
      'running→succeeded',
      'running→partial',
      'running→failed',
      'running→canceled',
    ]);
  });

  it('has no way out of the terminal states', () => {
    expect(RUN_STATUSES.filter(isTerminal)).toEqual([
      'succeeded',
      'partial',
      'failed',
      'canceled',
      'skipped',
    ]);
    for (const status of ['succeeded', 'partial', 'failed', 'canceled', 'skipped'] as const) {
      expect(RUN_TRANSITIONS[status]).toEqual([]);
    }
  });

  it('creates runs queued, or skipped when the schedule finds another running', () => {
    expect(RUN_INITIAL).toEqual(['queued', 'skipped']);
  });

  it('refuses transitions that are not in the table', () => {
    expect(() => {
      assertTransition('succeeded', 'running');
    }).toThrow('refresh run cannot go from succeeded to running');
    expect(() => {
      assertTransition('queued', 'succeeded');
    }).toThrow('refresh run cannot go from queued to succeeded');
    expect(() => {
      assertTransition('running', 'queued');
    }).toThrow();
    expect(() => {
      assertTransition('queued', 'running');
    }).not.toThrow();
  });

  it('moves stages from pending through running to an outcome, or skips them', () => {
    expect(STAGE_TRANSITIONS.pending).toEqual(['running', 'skipped']);
    expect(STAGE_TRANSITIONS.running).toEqual([
      'succeeded',
      'partial',
      'failed',
      'canceled',
      'skipped',
    ]);
    expect(() => {
      assertStageTransition('pending', 'succeeded');
    }).toThrow('refresh stage cannot go from pending to succeeded');
    expect(() => {
      assertStageTransition('failed', 'running');
    }).toThrow();
    expect(() => {
      assertStageTransition('running', 'partial');
    }).not.toThrow();
  });
});
