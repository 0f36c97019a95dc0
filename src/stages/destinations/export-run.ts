import type { RunOwner } from '@platform/locks/run-owner';
import type { ExportRunStatus, ExportTrigger, SegmentRunStatus } from './export-run-status';

/** What one segment of an export run did (figures are live while it runs). */
export interface SegmentResult {
  segmentId: string;
  /** Null when the segment no longer exists. */
  segmentName: string | null;
  status: SegmentRunStatus;
  /** The object in the target (the marketing list, the file). */
  target: { id: string; name: string; url?: string } | null;
  /** Members of the segment when the export started. */
  members: number;
  added: number;
  removed: number;
  /** Members without a value in the destination's key field (`contactIdField`). */
  skippedNoKey: number;
  /** Keys the target does not know (e.g. contacts deleted in Sales since the last ingest). */
  skippedNotFound: number;
  /** Keys the target refused as malformed. */
  skippedInvalid: number;
  /** Members whose change failed; the next run tries them again. */
  failed: number;
  requests: number;
  throttled: number;
  /** Changes (or members, for snapshot destinations) processed of the total, while running. */
  progress: { processed: number; total: number } | null;
  errors: string[];
  notes: string[];
  startedAt: string | null;
  finishedAt: string | null;
  /** Set when the removal guardrail held the segment (status `held`); absent otherwise. */
  hold?: SegmentHold;
}

/** Why a segment was held, and who let it go. */
export interface SegmentHold {
  /** In words: "would remove 4,200 of 5,000 members (84%), over the limit of 10%". */
  reason: string;
  /** Removals the export would have made, and the members the target held. */
  removals: number;
  listSize: number;
  /** Set once approved: when, and the run that exported the segment then. */
  approvedAt?: string;
  approvedRunId?: string;
}

/** An export run (times are ISO-8601 UTC). */
export interface ExportRun {
  id: string;
  destinationId: string;
  trigger: ExportTrigger;
  /** The refresh run this export belongs to (trigger `refresh`). */
  refreshRunId: string | null;
  status: ExportRunStatus;
  fullSync: boolean;
  /** Removals past the destination's limit are allowed (an approval). */
  approveRemovals: boolean;
  segments: SegmentResult[];
  notes: string[];
  /** Why the run failed, was canceled or skipped, in words. */
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  cancelRequestedAt: string | null;
  owner: RunOwner | null;
  heartbeatAt: string | null;
}

export function emptySegmentResult(segmentId: string, segmentName: string | null): SegmentResult {
  return {
    segmentId,
    segmentName,
    status: 'pending',
    target: null,
    members: 0,
    added: 0,
    removed: 0,
    skippedNoKey: 0,
    skippedNotFound: 0,
    skippedInvalid: 0,
    failed: 0,
    requests: 0,
    throttled: 0,
    progress: null,
    errors: [],
    notes: [],
    startedAt: null,
    finishedAt: null,
  };
}
