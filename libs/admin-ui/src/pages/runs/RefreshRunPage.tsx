import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { get, post } from '../../api/client';
import type { ExportRunsPage, RefreshRun } from '../../api/types';
import {
  DateTime,
  ErrorBox,
  formatDuration,
  Loading,
  PageHeader,
  StatusBadge,
  triggerText,
} from '../../components/common';
import { Figures } from '../../components/Figures';
import { useDestinations } from '../../hooks/useDestinations';
import { ACTIVE } from '../../hooks/useRefresh';
import { ExportRunsTable } from './ExportRunsTable';
import { Can } from '../../auth/role';
import { TableWrap } from '../../components/TableWrap';

/** One refresh: its stages with live figures while it runs, errors in words, Cancel. */
export function RefreshRunPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: ['refresh-runs', id],
    queryFn: () => get<RefreshRun>(`/api/refresh/runs/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data && ACTIVE.has(q.state.data.status) ? 1000 : false),
  });
  const cancel = useMutation({
    mutationFn: () => post<RefreshRun>(`/api/refresh/runs/${encodeURIComponent(id)}/cancel`),
    onSuccess: (data) => {
      queryClient.setQueryData(['refresh-runs', id], data);
    },
  });
  // When the run ends (or moves on), the export runs it started are read again.
  const status = run.data?.status;
  useEffect(() => {
    if (status) void queryClient.invalidateQueries({ queryKey: ['export-runs'] });
  }, [status, queryClient]);
  if (run.isPending) return <Loading what="the run" />;
  if (run.error) return <ErrorBox error={run.error} />;
  const r = run.data;
  const active = ACTIVE.has(r.status);
  return (
    <>
      <PageHeader
        title="Refresh run"
        actions={
          active ? (
            <Can least="operator">
              <button
                type="button"
                className="danger"
                disabled={cancel.isPending || r.cancelRequestedAt !== null}
                onClick={() => {
                  cancel.mutate();
                }}
              >
                {r.cancelRequestedAt ? 'Canceling…' : 'Cancel run'}
              </button>
            </Can>
          ) : null
        }
      >
        <Link to="/runs">All runs</Link>
      </PageHeader>
      {cancel.error ? <ErrorBox title="Could not cancel" error={cancel.error} /> : null}
      <section className="panel">
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="run-status">
            <StatusBadge status={r.status} />
            {active ? <span className="muted"> (updates live)</span> : null}
          </dd>
          <dt>Trigger</dt>
          <dd>{triggerText(r.trigger)}</dd>
          <dt>Started</dt>
          <dd>
            <DateTime value={r.startedAt ?? r.createdAt} />
          </dd>
          <dt>Finished</dt>
          <dd>
            <DateTime value={r.finishedAt} />
          </dd>
          <dt>Duration</dt>
          <dd>{formatDuration(r.durationMs)}</dd>
          {r.error ? (
            <>
              <dt>Why</dt>
              <dd className="field-error">{r.error}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <h2>Stages</h2>
      <p className="muted small">
        Each stage waits for the one before it; when one fails, the later ones are skipped.
      </p>
      <TableWrap label="Stages">
        <table>
          <thead>
            <tr>
              <th scope="col">Stage</th>
              <th scope="col">Status</th>
              <th scope="col">Figures</th>
              <th scope="col">Errors</th>
              <th scope="col">Time</th>
            </tr>
          </thead>
          <tbody>
            {r.stages.map((stage) => (
              <tr key={stage.name}>
                <th scope="row">{stage.name}</th>
                <td>
                  <StatusBadge status={stage.status} />
                  {stage.note ? <div className="small muted">{stage.note}</div> : null}
                </td>
                <td className="small">
                  <Figures figures={stage.figures} />
                </td>
                <td>
                  {stage.errors.length ? (
                    <ul className="errors">
                      {stage.errors.map((e, i) => (
                        <li key={i}>{e}</li>
                      ))}
                    </ul>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="small">
                  {stage.startedAt ? <DateTime value={stage.startedAt} /> : null}
                  {stage.startedAt && stage.finishedAt
                    ? ` · ${formatDuration(Date.parse(stage.finishedAt) - Date.parse(stage.startedAt))}`
                    : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <ExportRunsOfRefresh refreshRunId={r.id} live={active} />
    </>
  );
}

/** The export runs this refresh started, one per enabled destination. */
function ExportRunsOfRefresh({ refreshRunId, live }: { refreshRunId: string; live: boolean }) {
  const destinations = useDestinations();
  const exports = useQuery({
    queryKey: ['export-runs', 'of-refresh', refreshRunId],
    queryFn: () =>
      get<ExportRunsPage>(
        `/api/export-runs?refreshRunId=${encodeURIComponent(refreshRunId)}&limit=100`,
      ),
    refetchInterval: live ? 2000 : false,
  });
  const runs = exports.data?.items ?? [];
  const names = new Map((destinations.data ?? []).map((d) => [d.id, d.displayName]));
  if (runs.length === 0) return null;
  return (
    <>
      <h2>Exports of this refresh</h2>
      <ExportRunsTable runs={runs} destinations={names} label="Exports of this refresh" />
    </>
  );
}
