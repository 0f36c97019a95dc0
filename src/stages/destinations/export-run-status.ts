/**
 * Export runs follow the refresh run's state machine (src/stages/contract/run-state.ts), so a refresh
 * and its exports read alike, plus one terminal state of their own: `held`, a run that stopped
 * at least one segment at the removal guardrail before writing to it (it waits for
 * `POST /api/export-runs/:id/approve`, which exports the held segments in a new run).
 *
 * | from     | to                                              |
 * | -------- | ----------------------------------------------- |
 * | queued   | running, canceled (before it started), failed (its process died) |
 * | running  | succeeded, partial, held, failed, canceled      |
 * | others   | —                                               |
 *
 * A run is created `queued` (holding the one-run-per-destination slot) or directly `skipped`
 * (a refresh came while another export of that destination was going).
 */
import { RUN_STATUSES, RUN_TRANSITIONS, RUN_INITIAL } from '@stages/contract/run-state';

export const EXPORT_RUN_STATUSES = [...RUN_STATUSES, 'held'] as const;
export type ExportRunStatus = (typeof EXPORT_RUN_STATUSES)[number];

export const EXPORT_RUN_TRANSITIONS: Readonly<Record<ExportRunStatus, readonly ExportRunStatus[]>> =
  {
    ...RUN_TRANSITIONS,
    running: [...RUN_TRANSITIONS.running, 'held'],
    held: [],
  };

export const EXPORT_RUN_INITIAL: readonly ExportRunStatus[] = RUN_INITIAL;

export function isTerminal(status: ExportRunStatus): boolean {
  return EXPORT_RUN_TRANSITIONS[status].length === 0;
}

export function canTransition(from: ExportRunStatus, to: ExportRunStatus): boolean {
  return EXPORT_RUN_TRANSITIONS[from].includes(to);
}

/** Throws when the state machine has no such transition (a programming error). */
export function assertTransition(from: ExportRunStatus, to: ExportRunStatus): void {
  if (!canTransition(from, to)) throw new Error(`export run cannot go from ${from} to ${to}`);
}

/**
 * What triggered an export run: `ui` a click on "Export now" in the admin UI (it says so in its
 * request), `api` any other client, `refresh` a refresh run (`schedule` is kept for old records).
 */
export const EXPORT_TRIGGERS = ['api', 'ui', 'refresh', 'schedule'] as const;
/** The triggers a client may name when it starts a run. */
export const CLIENT_TRIGGERS = ['api', 'ui'] as const;
export type ExportTrigger = (typeof EXPORT_TRIGGERS)[number];

/**
 * What each segment of a run came to (`partial`: exported, but some members failed; `held`:
 * stopped before any write because it would remove more than the destination's limit).
 */
export const SEGMENT_RUN_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'partial',
  'held',
  'failed',
  'skipped',
  'canceled',
] as const;
export type SegmentRunStatus = (typeof SEGMENT_RUN_STATUSES)[number];

/**
 * The final status of a run from its segments: canceled wins; then `held` when a segment was
 * held (the run needs a person; the failures of other segments are in its `error`); otherwise
 * `succeeded` when no segment failed (skipped segments had nothing to export), `failed` when
 * every segment that ran failed, else `partial`.
 */
export function finalStatus(segments: SegmentRunStatus[], canceled: boolean): ExportRunStatus {
  if (canceled) return 'canceled';
  if (segments.includes('held')) return 'held';
  const ran = segments.filter((s) => s !== 'skipped' && s !== 'pending');
  if (ran.every((s) => s === 'succeeded')) return 'succeeded';
  if (ran.every((s) => s === 'failed')) return 'failed';
  return 'partial';
}
