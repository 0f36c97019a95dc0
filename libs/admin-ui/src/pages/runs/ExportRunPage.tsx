import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { post } from '../../api/client';
import type { ExportRun } from '../../api/types';
import {
  DateTime,
  ErrorBox,
  formatDuration,
  Loading,
  PageHeader,
  ProgressBar,
  StatusBadge,
  triggerText,
} from '../../components/common';
import { useDestination } from '../../hooks/useDestinations';
import { runTotals, useExportRun } from '../../hooks/useExportRuns';
import { ACTIVE } from '../../hooks/useRefresh';
import { ExportRunFigures } from './ExportRunFigures';
import { Can } from '../../auth/role';
import { HeldSegments } from './HeldSegments';

/** Segment statuses of work not done yet. */
const WAITING = new Set(['pending', 'running']);
import { RunMembersPanel } from './RunMembersPanel';

/** One export run: live progress while it runs, per-segment figures, errors in words, Cancel. */
export function ExportRunPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const run = useExportRun(id);
  const destination = useDestination(run.data?.destinationId);
  const cancel = useMutation({
    mutationFn: () => post<ExportRun>(`/api/export-runs/${encodeURIComponent(id)}/cancel`),
    onSuccess: (data) => {
      queryClient.setQueryData(['export-runs', id], data);
    },
  });
  if (run.isPending) return <Loading what="the run" />;
  if (run.error) return <ErrorBox error={run.error} />;
  const r = run.data;
  const active = ACTIVE.has(r.status);
  const totals = runTotals(r);
  return (
    <>
      <PageHeader
        title={`Export run${destination.data ? ` of ${destination.data.displayName}` : ''}`}
        actions={
          active ? (
            <Can least="operator">
              <button
                type="button"
                className="danger"
                disabled={cancel.isPending || r.cancelRequested}
                onClick={() => {
                  cancel.mutate();
                }}
              >
                {r.cancelRequested ? 'Canceling…' : 'Cancel run'}
              </button>
            </Can>
          ) : null
        }
      >
        <Link to={`/destinations/${r.destinationId}`}>Back to the destination</Link>
        {r.refreshRunId ? (
          <>
            {' '}
            · <Link to={`/runs/refresh/${r.refreshRunId}`}>its refresh run</Link>
          </>
        ) : null}
      </PageHeader>
      {cancel.error ? <ErrorBox title="Could not cancel" error={cancel.error} /> : null}
      <section className="panel">
        <dl className="facts">
          <dt>Status</dt>
          <dd data-testid="run-status">
            <StatusBadge status={r.status} />
            {active ? <span className="muted"> (updates live)</span> : null}
          </dd>
          {active ? (
            <>
              <dt>Progress</dt>
              <dd>
                <ProgressBar
                  value={r.segments.filter((s) => !WAITING.has(s.status)).length}
                  max={r.segments.length}
                  label="Segments done"
                  unit="segments"
                />
                {r.progress ? (
                  <ProgressBar
                    value={r.progress.processed}
                    max={r.progress.total}
                    label="Members processed"
                    unit="members"
                  />
                ) : null}
              </dd>
            </>
          ) : null}
          <dt>Trigger</dt>
          <dd data-testid="run-trigger">
            {triggerText(r.trigger)}
            {r.fullSync ? ' (full sync)' : ''}
            {r.approveRemovals ? ' (removals approved)' : ''}
          </dd>
          <dt>Started</dt>
          <dd>
            <DateTime value={r.startedAt ?? r.createdAt} />
          </dd>
          <dt>Finished</dt>
          <dd>
            <DateTime value={r.finishedAt} />
            {r.durationMs !== null ? ` (${formatDuration(r.durationMs)})` : ''}
          </dd>
          <dt>Members exported</dt>
          <dd data-testid="members-exported">
            {totals.added.toLocaleString()} added, {totals.removed.toLocaleString()} removed
          </dd>
          <dt>In the target</dt>
          <dd data-testid="members-in-target">
            {totals.exported.toLocaleString()} of {totals.members.toLocaleString()} members (skipped{' '}
            {totals.skipped.toLocaleString()}, failed {totals.failed.toLocaleString()})
          </dd>
          {r.error ? (
            <>
              <dt>Why</dt>
              <dd className="field-error">{r.error}</dd>
            </>
          ) : null}
        </dl>
        {r.notes.length ? (
          <ul>
            {r.notes.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        ) : null}
      </section>
      <HeldSegments run={r} />
      <h2>Segments</h2>
      <ExportRunFigures run={r} />
      <RunMembersPanel run={r} />
    </>
  );
}
