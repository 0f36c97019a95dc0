/**
 * Export runs use the refresh run's state machine (src/refresh/run-state.ts), so a refresh and
 * its exports read alike:
 *
 * | from     | to                                              |
 * | -------- | ----------------------------------------------- |
 * | queued   | running, canceled (before it started), failed (its process died) |
 * | running  | succeeded, partial, failed, canceled            |
 * | others   | —                                               |
 *
 * A run is created `queued` (holding the one-run-per-destination slot) or directly `skipped`
 * (a refresh came while another export of that destination was going).
 */
export {
  RUN_INITIAL as EXPORT_RUN_INITIAL,
  RUN_STATUSES as EXPORT_RUN_STATUSES,
  RUN_TRANSITIONS as EXPORT_RUN_TRANSITIONS,
  assertTransition,
  canTransition,
  isTerminal,
  type RunStatus as ExportRunStatus,
} from '../refresh/run-state';
import type { RunStatus } from '../refresh/run-state';

/**
 * What triggered an export run: `ui` a click on "Export now" in the admin UI (it says so in its
 * request), `api` any other client, `refresh` a refresh run (`schedule` is kept for old records).
 */
export const EXPORT_TRIGGERS = ['api', 'ui', 'refresh', 'schedule'] as const;
/** The triggers a client may name when it starts a run. */
export const CLIENT_TRIGGERS = ['api', 'ui'] as const;
export type ExportTrigger = (typeof EXPORT_TRIGGERS)[number];

/** What each segment of a run came to (`partial`: exported, but some members failed). */
export const SEGMENT_RUN_STATUSES = [
  'pending',
  'running',
  'succeeded',
  'partial',
  'failed',
  'skipped',
  'canceled',
] as const;
export type SegmentRunStatus = (typeof SEGMENT_RUN_STATUSES)[number];

/**
 * The final status of a run from its segments: canceled wins; otherwise `succeeded` when no
 * segment failed (skipped segments had nothing to export), `failed` when every segment that
 * ran failed, else `partial`.
 */
export function finalStatus(segments: SegmentRunStatus[], canceled: boolean): RunStatus {
  if (canceled) return 'canceled';
  const ran = segments.filter((s) => s !== 'skipped' && s !== 'pending');
  if (ran.every((s) => s === 'succeeded')) return 'succeeded';
  if (ran.every((s) => s === 'failed')) return 'failed';
  return 'partial';
}
