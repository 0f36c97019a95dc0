import { useInfiniteQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get, query } from '../../api/client';
import type { ExportRunsPage, RefreshRunsPage } from '../../api/types';
import {
  DateTime,
  EmptyState,
  ErrorBox,
  formatDuration,
  Loading,
  PageHeader,
  StatusBadge,
  triggerText,
} from '../../components/common';
import { useDestinations } from '../../hooks/useDestinations';
import { ACTIVE, useRefreshNow } from '../../hooks/useRefresh';
import { ExportRunsTable } from './ExportRunsTable';
import { Can } from '../../auth/role';
import { TableWrap } from '../../components/TableWrap';

/** Refresh runs (newest first, live while one runs) and the way to each destination's runs. */
export function RunsPage() {
  const refreshNow = useRefreshNow();
  const destinations = useDestinations();
  const runs = useInfiniteQuery({
    queryKey: ['refresh-runs'],
    queryFn: ({ pageParam }) =>
      get<RefreshRunsPage>(`/api/refresh/runs${query({ limit: 20, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) =>
      q.state.data?.pages[0]?.items.some((r) => ACTIVE.has(r.status)) ? 2000 : false,
  });
  const rows = runs.data?.pages.flatMap((p) => p.items) ?? [];
  const exportRuns = useInfiniteQuery({
    queryKey: ['export-runs', 'all'],
    queryFn: ({ pageParam }) =>
      get<ExportRunsPage>(`/api/export-runs${query({ limit: 20, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (q) =>
      q.state.data?.pages[0]?.items.some((r) => ACTIVE.has(r.status)) ? 2000 : false,
  });
  const exportRows = exportRuns.data?.pages.flatMap((p) => p.items) ?? [];
  const names = new Map((destinations.data ?? []).map((d) => [d.id, d.displayName]));
  return (
    <>
      <PageHeader
        title="Runs"
        actions={
          <Can least="operator">
            <button
              type="button"
              className="primary"
              disabled={refreshNow.isPending}
              onClick={() => {
                refreshNow.mutate();
              }}
            >
              {refreshNow.isPending ? 'Starting…' : 'Refresh now'}
            </button>
          </Can>
        }
      >
        A refresh runs the whole pipeline: ingest → unify → segments → export. Each destination also
        keeps its own export runs (including those started with “Export now”).
      </PageHeader>
      {refreshNow.error ? (
        <ErrorBox title="Could not start a refresh" error={refreshNow.error} />
      ) : null}
      <h2>Refresh runs</h2>
      {runs.isPending ? <Loading what="runs" /> : null}
      {runs.error ? <ErrorBox error={runs.error} /> : null}
      {runs.data && rows.length === 0 ? <EmptyState>No refresh has run yet.</EmptyState> : null}
      {rows.length > 0 ? (
        <TableWrap label="Refresh runs">
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Stages</th>
                <th scope="col">Duration</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((run) => (
                <tr key={run.id}>
                  <td>
                    <Link to={`/runs/refresh/${run.id}`}>
                      <DateTime value={run.startedAt ?? run.createdAt} />
                    </Link>
                  </td>
                  <td>{triggerText(run.trigger)}</td>
                  <td>
                    <StatusBadge status={run.status} />
                    {run.error ? <div className="small field-error">{run.error}</div> : null}
                  </td>
                  <td className="small">
                    {run.stages.map((s) => (
                      <span key={s.name} className="stage-chip">
                        {s.name}: <StatusBadge status={s.status} />{' '}
                      </span>
                    ))}
                  </td>
                  <td>{formatDuration(run.durationMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {runs.hasNextPage ? (
        <button type="button" onClick={() => void runs.fetchNextPage()}>
          Show older runs
        </button>
      ) : null}
      <h2>Export runs</h2>
      {exportRuns.error ? <ErrorBox error={exportRuns.error} /> : null}
      {exportRuns.data && exportRows.length === 0 ? (
        <EmptyState>
          No export has run yet
          {destinations.data?.length === 0 ? (
            <>
              : <Link to="/destinations">set up a destination</Link>
            </>
          ) : null}
          .
        </EmptyState>
      ) : null}
      {exportRows.length > 0 ? (
        <ExportRunsTable runs={exportRows} destinations={names} label="Export runs" />
      ) : null}
      {exportRuns.hasNextPage ? (
        <button type="button" onClick={() => void exportRuns.fetchNextPage()}>
          Show older export runs
        </button>
      ) : null}
    </>
  );
}
