import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { get } from '../api/client';
import type { RefreshRunsPage, UnificationConfig } from '../api/types';
import { DateTime, ErrorBox, Num, PageHeader, StatusBadge } from '../components/common';
import { useDestinations } from '../hooks/useDestinations';
import { useRefreshNow } from '../hooks/useRefresh';
import { useSources } from '../hooks/useSources';
import { useSegments } from './segments/SegmentsPage';
import { Can } from '../auth/role';

function Step({ done, children }: { done: boolean; children: ReactNode }) {
  return (
    <li>
      {done ? (
        <span className="done-mark" aria-label="done">
          ✓{' '}
        </span>
      ) : (
        <span className="muted" aria-label="to do">
          ○{' '}
        </span>
      )}
      {children}
    </li>
  );
}

/** The pipeline at a glance, and the path a newcomer follows to a first export. */
export function OverviewPage() {
  const sources = useSources();
  const segments = useSegments();
  const destinations = useDestinations();
  const refreshNow = useRefreshNow();
  const unification = useQuery({
    queryKey: ['unification'],
    queryFn: () => get<UnificationConfig>('/api/unification'),
  });
  const unified = useQuery({
    queryKey: ['unification', 'status'],
    queryFn: () =>
      get<{ lastRun: { customers?: number; finishedAt?: string } | null }>(
        '/api/unification/status',
      ),
  });
  const runs = useQuery({
    queryKey: ['refresh-runs', 'latest'],
    queryFn: () => get<RefreshRunsPage>('/api/refresh/runs?limit=1'),
  });
  const error = sources.error ?? segments.error ?? destinations.error;
  const lastRun = runs.data?.items[0];
  const records = (sources.data ?? []).reduce((n, s) => n + s.recordCount, 0);
  const exported = (destinations.data ?? []).some((d) => d.lastRun?.status === 'succeeded');
  return (
    <>
      <PageHeader
        title="Overview"
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
        Sources → unification → segments → export destinations.
      </PageHeader>
      {error ? <ErrorBox error={error} /> : null}
      {refreshNow.error ? (
        <ErrorBox title="Could not start a refresh" error={refreshNow.error} />
      ) : null}
      <div className="cards">
        <div className="card">
          <div className="muted">Sources</div>
          <div className="big">
            <Num value={sources.data?.length} />
          </div>
          <div className="small">
            <Num value={records} /> records · <Link to="/sources">manage</Link>
          </div>
        </div>
        <div className="card">
          <div className="muted">Customers</div>
          <div className="big">
            {unified.data ? (
              unified.data.lastRun ? (
                <Num value={unified.data.lastRun.customers} />
              ) : (
                'none yet'
              )
            ) : (
              '…'
            )}
          </div>
          <div className="small">
            <Link to="/customers">browse</Link> · <Link to="/unification">rules</Link>
          </div>
        </div>
        <div className="card">
          <div className="muted">Segments</div>
          <div className="big">
            <Num value={segments.data?.length} />
          </div>
          <div className="small">
            <Link to="/segments">manage</Link>
          </div>
        </div>
        <div className="card">
          <div className="muted">Destinations</div>
          <div className="big">
            <Num value={destinations.data?.length} />
          </div>
          <div className="small">
            <Link to="/destinations">manage</Link>
          </div>
        </div>
        <div className="card">
          <div className="muted">Last refresh</div>
          <div className="big">{lastRun ? <StatusBadge status={lastRun.status} /> : '—'}</div>
          <div className="small">
            {lastRun ? (
              <Link to={`/runs/refresh/${lastRun.id}`}>
                <DateTime value={lastRun.startedAt ?? lastRun.createdAt} />
              </Link>
            ) : (
              <Link to="/schedule">schedule</Link>
            )}
          </div>
        </div>
      </div>
      {/* The set-up guide is for those who may set things up. */}
      <Can least="editor">
        <section className="panel">
          <h2>From your data to Dynamics 365 Sales</h2>
          <ol className="steps-list">
            <Step done={(sources.data?.length ?? 0) > 0}>
              <Link to="/sources/new">Create a source</Link> from a CSV file of your customers (one
              with the Sales contact IDs, too) and upload it.
            </Step>
            <Step done={(unification.data?.rules.length ?? 0) > 0}>
              Set the <Link to="/unification">unification rules</Link> (e.g. match on email) and run
              unification.
            </Step>
            <Step done={(segments.data?.length ?? 0) > 0}>
              <Link to="/segments/new">Build a segment</Link> with the rule builder.
            </Step>
            <Step done={(destinations.data?.length ?? 0) > 0}>
              <Link to="/destinations">Set up a destination</Link>: server address, sign-in, the
              contact ID field, the segments.
            </Step>
            <Step done={exported}>
              Export: “Export now” on the destination, or turn on the{' '}
              <Link to="/schedule">schedule</Link>.
            </Step>
          </ol>
        </section>
      </Can>
    </>
  );
}
