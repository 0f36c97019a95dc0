import type { ExportRun, SegmentResult } from './export-run';
import type { ExportRunStatus, ExportTrigger } from './export-run-status';

export interface ExportRunTotals {
  members: number;
  added: number;
  removed: number;
  skippedNoKey: number;
  skippedNotFound: number;
  skippedInvalid: number;
  failed: number;
  requests: number;
  throttled: number;
}

/** An export run as the API answers it. */
export interface ExportRunView {
  id: string;
  destinationId: string;
  trigger: ExportTrigger;
  refreshRunId: string | null;
  status: ExportRunStatus;
  fullSync: boolean;
  /** This run may remove past the removal limit (an approval). */
  approveRemovals: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** A cancel was asked; the run stops at its next batch. */
  cancelRequested: boolean;
  error: string | null;
  notes: string[];
  /** Sums over the segments. */
  totals: ExportRunTotals;
  /** Work done of the work planned (all segments), while running. */
  progress: { processed: number; total: number } | null;
  segments: SegmentResult[];
}

export interface ExportRunsPage {
  items: ExportRunView[];
  nextCursor: string | null;
}

export function toExportRunView(run: ExportRun): ExportRunView {
  const sum = (pick: (s: SegmentResult) => number) => run.segments.reduce((n, s) => n + pick(s), 0);
  const withProgress = run.segments.filter((s) => s.progress);
  return {
    id: run.id,
    destinationId: run.destinationId,
    trigger: run.trigger,
    refreshRunId: run.refreshRunId,
    status: run.status,
    fullSync: run.fullSync,
    approveRemovals: run.approveRemovals,
    createdAt: run.createdAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs:
      run.startedAt && run.finishedAt
        ? Date.parse(run.finishedAt) - Date.parse(run.startedAt)
        : null,
    cancelRequested: run.cancelRequestedAt !== null,
    error: run.error,
    notes: run.notes,
    totals: {
      members: sum((s) => s.members),
      added: sum((s) => s.added),
      removed: sum((s) => s.removed),
      skippedNoKey: sum((s) => s.skippedNoKey),
      skippedNotFound: sum((s) => s.skippedNotFound),
      skippedInvalid: sum((s) => s.skippedInvalid),
      failed: sum((s) => s.failed),
      requests: sum((s) => s.requests),
      throttled: sum((s) => s.throttled),
    },
    progress:
      run.status === 'running' && withProgress.length > 0
        ? {
            processed: withProgress.reduce((n, s) => n + (s.progress?.processed ?? 0), 0),
            total: withProgress.reduce((n, s) => n + (s.progress?.total ?? 0), 0),
          }
        : null,
    segments: run.segments,
  };
}
