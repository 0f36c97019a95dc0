import type { StageRunStatus } from './stage';

/** How a refresh run was started. */
export const RUN_TRIGGERS = ['schedule', 'api', 'cli'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const RUN_STATUSES = [
  'queued',
  'running',
  'succeeded',
  'partial',
  'failed',
  'canceled',
  'skipped',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * The run state machine. A run is created `queued` (it holds the one-refresh-at-a-time slot)
 * or directly `skipped` (a scheduled refresh that came due while another ran). Terminal states
 * have no way out.
 *
 * | from     | to                                              |
 * | -------- | ----------------------------------------------- |
 * | queued   | running, canceled (before it started), failed (its process died) |
 * | running  | succeeded, partial, failed, canceled            |
 * | others   | —                                               |
 */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  queued: ['running', 'canceled', 'failed'],
  running: ['succeeded', 'partial', 'failed', 'canceled'],
  succeeded: [],
  partial: [],
  failed: [],
  canceled: [],
  skipped: [],
};

/** States a run may be created in. */
export const RUN_INITIAL: readonly RunStatus[] = ['queued', 'skipped'];

/**
 * The stage state machine within a run.
 *
 * | from     | to                                                          |
 * | -------- | ----------------------------------------------------------- |
 * | pending  | running, skipped (an earlier stage failed, or the run was canceled) |
 * | running  | succeeded, partial, failed, canceled, skipped (nothing to do) |
 * | others   | —                                                           |
 */
export const STAGE_TRANSITIONS: Readonly<Record<StageRunStatus, readonly StageRunStatus[]>> = {
  pending: ['running', 'skipped'],
  running: ['succeeded', 'partial', 'failed', 'canceled', 'skipped'],
  succeeded: [],
  partial: [],
  failed: [],
  canceled: [],
  skipped: [],
};

export function isTerminal(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/** Throws when the run state machine has no such transition (a programming error). */
export function assertTransition(from: RunStatus, to: RunStatus): void {
  if (!canTransition(from, to)) throw new Error(`refresh run cannot go from ${from} to ${to}`);
}

export function assertStageTransition(from: StageRunStatus, to: StageRunStatus): void {
  if (!STAGE_TRANSITIONS[from].includes(to)) {
    throw new Error(`refresh stage cannot go from ${from} to ${to}`);
  }
}
