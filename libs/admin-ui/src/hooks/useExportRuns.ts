import { useQuery } from '@tanstack/react-query';
import { get } from '../api/client';
import type { ExportRun, ExportRunsPage } from '../api/types';
import { ACTIVE } from './useRefresh';

/** A destination's export runs, newest first; polled while one is queued or running. */
export function useDestinationRuns(destinationId: string) {
  return useQuery({
    queryKey: ['export-runs', 'of', destinationId],
    queryFn: async () =>
      (
        await get<ExportRunsPage>(
          `/api/destinations/${encodeURIComponent(destinationId)}/runs?limit=50`,
        )
      ).items,
    refetchInterval: (q) => (q.state.data?.some((r) => ACTIVE.has(r.status)) ? 1500 : false),
  });
}

/** One export run; polled while it is queued or running. */
export function useExportRun(id: string | undefined) {
  return useQuery({
    queryKey: ['export-runs', id],
    queryFn: () => get<ExportRun>(`/api/export-runs/${encodeURIComponent(id ?? '')}`),
    enabled: Boolean(id),
    refetchInterval: (q) => (q.state.data && ACTIVE.has(q.state.data.status) ? 1000 : false),
  });
}

/** Totals of a run, with the members it left in the target and those it skipped. */
export function runTotals(run: ExportRun) {
  const t = run.totals;
  const skipped = t.skippedNoKey + t.skippedNotFound + t.skippedInvalid;
  return {
    ...t,
    skipped,
    /** Members of the segments the target holds after the run, as far as it reported. */
    exported: run.segments.reduce(
      (n, s) =>
        n +
        Math.max(0, s.members - s.skippedNoKey - s.skippedNotFound - s.skippedInvalid - s.failed),
      0,
    ),
  };
}
