import type { ExportRun, SegmentResult } from '@stages/destinations/export-run';
import type { ExportRunStatus } from '@stages/destinations/export-run-status';

/** The events a channel can subscribe to. */
export const NOTIFICATION_EVENTS = [
  'run.failed',
  'run.partial',
  'run.held',
  'run.recovered',
  'skipped.threshold',
] as const;
export type NotificationEventType = (typeof NOTIFICATION_EVENTS)[number];

/**
 * The segment status of a mirror export stopped before any write because it would remove more
 * members than the destination allows (the removal guardrails); such a run sends `run.held`.
 */
export const HELD_SEGMENT_STATUS = 'held';

/** What a notification says about one segment of the run. */
export interface SegmentSummary {
  segmentId: string;
  segmentName: string | null;
  status: string;
  members: number;
  added: number;
  removed: number;
  /** No key + not found + invalid. */
  skipped: number;
  failed: number;
}

/** The body of a notification (the webhook's JSON; the e-mail says the same in words). */
export interface NotificationPayload {
  /** The event id: the same for every channel and every retry of one event. */
  id: string;
  type: NotificationEventType | 'test';
  occurredAt: string;
  /** What happened, in words. */
  reason: string;
  destination: { id: string; name: string } | null;
  run: {
    id: string;
    status: ExportRunStatus;
    trigger: string;
    /** The run's page in the admin UI (a path on the server's address). */
    link: string;
    totals: Omit<SegmentSummary, 'segmentId' | 'segmentName' | 'status'>;
    segments: SegmentSummary[];
  } | null;
}

/** An event a run ended with, before it gets its id and time. */
export interface RunEvent {
  type: NotificationEventType;
  reason: string;
}

export interface RunEventContext {
  /** How the destination's previous run that ran ended (null: this is its first). */
  previousStatus: ExportRunStatus | null;
  /** The destination's `skippedAlertPercent` (null: no limit). */
  skippedAlertPercent: number | null;
}

const skipped = (s: SegmentResult) => s.skippedNoKey + s.skippedNotFound + s.skippedInvalid;
const isHeld = (s: SegmentResult) => (s.status as string) === HELD_SEGMENT_STATUS;

/**
 * The events of a run that ended:
 * - `run.failed` / `run.partial` by its status (a run partial only because segments are held
 *   sends `run.held` alone);
 * - `run.held` when a segment is held;
 * - `run.recovered` when it succeeded and the previous run that ran had failed or was partial;
 * - `skipped.threshold` when the share of skipped members passes the destination's limit.
 * Canceled and skipped runs send nothing.
 */
export function runEvents(run: ExportRun, ctx: RunEventContext): RunEvent[] {
  const events: RunEvent[] = [];
  if (run.status === 'canceled' || run.status === 'skipped') return events;
  const held = run.segments.filter(isHeld);
  const troubled = run.segments.filter((s) => s.status === 'failed' || s.status === 'partial');
  if (run.status === 'failed') {
    events.push({ type: 'run.failed', reason: run.error ?? 'The export failed.' });
  }
  if (run.status === 'partial' && (troubled.length > 0 || held.length === 0)) {
    events.push({ type: 'run.partial', reason: run.error ?? 'Some members or segments failed.' });
  }
  if (held.length > 0) {
    const why = held.map((s) => `"${name(s)}": ${s.errors.at(0) ?? s.notes.at(0) ?? 'held'}`);
    events.push({
      type: 'run.held',
      reason: `${held.length} segment(s) held, waiting for approval: ${why.join('; ')}`,
    });
  }
  if (
    run.status === 'succeeded' &&
    (ctx.previousStatus === 'failed' || ctx.previousStatus === 'partial')
  ) {
    events.push({
      type: 'run.recovered',
      reason: `The export succeeded again after a ${ctx.previousStatus} run.`,
    });
  }
  const limit = ctx.skippedAlertPercent;
  const members = run.segments.reduce((n, s) => n + s.members, 0);
  const skippedMembers = run.segments.reduce((n, s) => n + skipped(s), 0);
  if (limit !== null && members > 0 && (skippedMembers / members) * 100 > limit) {
    const share = Math.round((skippedMembers / members) * 1000) / 10;
    events.push({
      type: 'skipped.threshold',
      reason: `${share}% of the members were skipped (${skippedMembers} of ${members}), above the limit of ${limit}%.`,
    });
  }
  return events;
}

/** The payload of one event of a run. */
export function runPayload(
  event: RunEvent & { id: string; occurredAt: string },
  run: ExportRun,
  destination: { id: string; name: string },
): NotificationPayload {
  const segments = run.segments.map((s): SegmentSummary => ({
    segmentId: s.segmentId,
    segmentName: s.segmentName,
    status: s.status,
    members: s.members,
    added: s.added,
    removed: s.removed,
    skipped: skipped(s),
    failed: s.failed,
  }));
  const sum = (pick: (s: SegmentSummary) => number) => segments.reduce((n, s) => n + pick(s), 0);
  return {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt,
    reason: event.reason,
    destination,
    run: {
      id: run.id,
      status: run.status,
      trigger: run.trigger,
      link: runLink(run.id),
      totals: {
        members: sum((s) => s.members),
        added: sum((s) => s.added),
        removed: sum((s) => s.removed),
        skipped: sum((s) => s.skipped),
        failed: sum((s) => s.failed),
      },
      segments,
    },
  };
}

/** The admin UI's page of an export run. */
export function runLink(runId: string): string {
  return `/runs/export/${runId}`;
}

function name(s: SegmentResult): string {
  return s.segmentName ?? s.segmentId;
}
