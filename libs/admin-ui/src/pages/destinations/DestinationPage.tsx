import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { del, post, put } from '../../api/client';
import { ApiError } from '../../api/errors';
import type { ObjectSchema } from '@audience-sync/exporter-contract';
import type { ConnectionTestResult, Destination, ExportRun } from '../../api/types';
import {
  EmptyState,
  ErrorBox,
  Loading,
  Notice,
  Num,
  PageHeader,
  StatusBadge,
} from '../../components/common';
import { CheckboxField } from '../../components/form';
import { signInPending, useDestination, useDestinationTypes } from '../../hooks/useDestinations';
import { useDestinationRuns } from '../../hooks/useExportRuns';
import { useSegments } from '../segments/SegmentsPage';
import { ExportRunsTable } from '../runs/ExportRunsTable';
import { HeldSegments } from '../runs/HeldSegments';
import { DryRunPanel } from './DryRunPanel';
import { ConnectionTestOutcome } from './ConnectionTest';
import { describeValues, isServerManagedAt, labelOf } from '../../schema-form/describe';
import { flattenValues, pathApplies } from '../../schema-form/schema';
import { perSegmentKeyOf, SYNC_MODE_TEXT } from './SetupPage';
import { Can } from '../../auth/role';

export function DestinationPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const destination = useDestination(id, { pollWhile: signInPending });
  const types = useDestinationTypes();
  const segments = useSegments();
  const runs = useDestinationRuns(id);
  const [fullSync, setFullSync] = useState(false);
  const notice = (location.state as { notice?: string } | null)?.notice;

  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['destinations'] });
    await queryClient.invalidateQueries({ queryKey: ['export-runs'] });
  };
  const exportNow = useMutation({
    mutationFn: async () => {
      try {
        return (
          await post<ExportRun>(`/api/destinations/${encodeURIComponent(id)}/runs`, {
            fullSync,
            trigger: 'ui',
          })
        ).id;
      } catch (error) {
        const running =
          error instanceof ApiError && error.status === 409 ? error.body.runningRunId : undefined;
        if (typeof running === 'string') return running;
        throw error;
      }
    },
    onSuccess: async (runId) => {
      await refresh();
      void navigate(`/runs/export/${runId}`);
    },
  });
  const test = useMutation({
    mutationFn: () =>
      post<ConnectionTestResult>(`/api/destinations/${encodeURIComponent(id)}/test`),
  });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) =>
      put<Destination>(`/api/destinations/${encodeURIComponent(id)}`, { enabled }),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: () => del(`/api/destinations/${encodeURIComponent(id)}`),
    onSuccess: async () => {
      // Only the list is asked again: the deleted one's own query would answer 404.
      void navigate('/destinations');
      await queryClient.invalidateQueries({ queryKey: ['destinations'], exact: true });
    },
  });

  if (destination.isPending) return <Loading what="the destination" />;
  if (destination.error) return <ErrorBox error={destination.error} />;
  const d = destination.data;
  const type = types.data?.find((t) => t.type === d.type);
  const segmentById = new Map((segments.data ?? []).map((s) => [s.id, s]));
  // Only the secrets of the chosen variants (a client secret means nothing to a signed-in account).
  // Settings per segment are shown beside each segment, not as connection settings.
  const perSegmentKey = type ? perSegmentKeyOf(type.configSchema as ObjectSchema) : undefined;
  const perSegment = (perSegmentKey ? d.config[perSegmentKey] : undefined) as
    Record<string, { name?: string; listId?: string }> | undefined;
  const described = (type ? describeValues(type.configSchema, d.config) : []).filter(
    (item) => !perSegmentKey || !item.path.startsWith(perSegmentKey),
  );
  const secrets = Object.entries(d.secrets).filter(
    ([path]) => !type || pathApplies(type.configSchema, d.config, path),
  );

  return (
    <>
      <PageHeader
        title={d.displayName}
        actions={
          <>
            <Can least="operator">
              <button
                type="button"
                className="primary"
                disabled={exportNow.isPending}
                onClick={() => {
                  exportNow.mutate();
                }}
              >
                {exportNow.isPending ? 'Starting…' : 'Export now'}
              </button>
            </Can>
            <Can least="editor">
              <button
                type="button"
                disabled={test.isPending}
                onClick={() => {
                  test.mutate();
                }}
              >
                {test.isPending ? 'Testing…' : 'Test connection'}
              </button>
            </Can>
            <Can least="editor">
              <Link className="button" to={`/destinations/${d.id}/edit`}>
                Edit
              </Link>
            </Can>
            <Can least="editor">
              <button
                type="button"
                disabled={toggle.isPending}
                onClick={() => {
                  toggle.mutate(!d.enabled);
                }}
              >
                {d.enabled ? 'Disable' : 'Enable'}
              </button>
            </Can>
            <Can least="editor">
              <button
                type="button"
                className="danger"
                disabled={remove.isPending}
                onClick={() => {
                  if (
                    window.confirm(
                      `Delete the destination "${d.displayName}" and its run history? What it exported stays in the target.`,
                    )
                  )
                    remove.mutate();
                }}
              >
                Delete
              </button>
            </Can>
          </>
        }
      >
        {type?.displayName ?? d.type} · <Link to="/destinations">All destinations</Link>
      </PageHeader>
      {notice ? <Notice kind="ok">{notice}</Notice> : null}
      {exportNow.error ? (
        nothingToExport(exportNow.error) ? (
          <Notice kind="warn">
            <strong>Nothing to export:</strong> this destination has no segments.{' '}
            <Link to={`/destinations/${d.id}/edit`}>Choose one or more segments</Link>.
          </Notice>
        ) : (
          <ErrorBox title="Could not start the export" error={exportNow.error} />
        )
      ) : null}
      {toggle.error ? <ErrorBox title="Could not change it" error={toggle.error} /> : null}
      {remove.error ? <ErrorBox title="Could not delete" error={remove.error} /> : null}
      {test.error ? <ErrorBox title="Could not test the connection" error={test.error} /> : null}
      {test.data ? <ConnectionTestOutcome result={test.data} /> : null}
      <div className="form-actions">
        <CheckboxField
          path="fullSync"
          label="Next “Export now” re-checks everything (full sync)"
          hint="Compares the target with what Audience Sync believes it holds and corrects any drift."
          checked={fullSync}
          onChange={setFullSync}
        />
      </div>
      <div className="grid-2">
        <section className="panel">
          <h2>Settings</h2>
          <dl className="facts">
            <dt>Exports with refresh</dt>
            <dd>{d.enabled ? 'yes' : 'no (disabled)'}</dd>
            <dt>Removal limit</dt>
            <dd data-testid="removal-limit">{removalLimitText(d.removalLimit)}</dd>
            <dt>Sync mode</dt>
            <dd>
              {SYNC_MODE_TEXT[d.syncMode]?.label ?? d.syncMode}
              <div className="small muted">{SYNC_MODE_TEXT[d.syncMode]?.hint}</div>
            </dd>
            {type?.memberKey ? (
              <>
                <dt>{type.memberKey.label}</dt>
                <dd>
                  from customer field <code>{d.contactIdField}</code>
                </dd>
              </>
            ) : null}
            {described.map((item) => (
              <div className="fact" key={item.path}>
                <dt>{item.label}</dt>
                <dd className="value">{item.text}</dd>
              </div>
            ))}
            {secrets
              .filter(([key]) => !type || !isServerManagedAt(type.configSchema, d.config, key))
              .map(([key, state]) => (
                <div className="fact" key={key}>
                  <dt>{type ? labelOf(type.configSchema, d.config, key) : key}</dt>
                  <dd>{state === 'set' ? 'stored (encrypted, never shown)' : 'not set'}</dd>
                </div>
              ))}
            {d.signIn ? (
              <>
                <dt>Signed in</dt>
                <dd>
                  {d.signIn.status === 'signed-in' ? (
                    <>
                      as{' '}
                      <strong className="value">
                        {d.signIn.user?.name ?? d.signIn.user?.username}
                      </strong>
                      {d.signIn.user?.name ? (
                        <div className="small muted value">{d.signIn.user.username}</div>
                      ) : null}
                    </>
                  ) : (
                    <>
                      <StatusBadge status={d.signIn.status} /> {d.signIn.message ?? ''}
                    </>
                  )}
                </dd>
              </>
            ) : null}
          </dl>
          <details className="details">
            <summary>Details</summary>
            <p className="small muted">The settings as the API stores them.</p>
            <dl className="facts small">
              {flattenValues(d.config).map(([key, value]) => (
                <div className="fact" key={key}>
                  <dt>
                    <code>{key}</code>
                  </dt>
                  <dd className="value">
                    <code>{value}</code>
                  </dd>
                </div>
              ))}
              {secrets.map(([key, state]) => (
                <div className="fact" key={key}>
                  <dt>
                    <code>{key}</code>
                  </dt>
                  <dd>{state}</dd>
                </div>
              ))}
            </dl>
          </details>
        </section>
        <section className="panel">
          <h2>Segments</h2>
          {d.segmentIds.length === 0 ? (
            <p className="muted">
              No segments chosen: <Link to={`/destinations/${d.id}/edit`}>choose some</Link>.
            </p>
          ) : (
            <ul>
              {d.segmentIds.map((sid) => {
                const s = segmentById.get(sid);
                return (
                  <li key={sid}>
                    {s ? (
                      <>
                        <Link to={`/segments/${sid}`}>{s.name}</Link> —{' '}
                        <Num value={s.membership.size} /> members
                        {s.active ? '' : ' (inactive: not exported)'}
                        {perSegment?.[sid]?.listId ? (
                          <div className="small muted">
                            to the existing list <code>{perSegment[sid].listId}</code>
                          </div>
                        ) : perSegment?.[sid]?.name ? (
                          <div className="small muted">as the list “{perSegment[sid].name}”</div>
                        ) : null}
                      </>
                    ) : (
                      <span className="muted">{sid} (deleted)</span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </div>
      {runs.data?.[0]?.status === 'held' ? <HeldSegments run={runs.data[0]} /> : null}
      <DryRunPanel destinationId={d.id} />
      <h2 id="runs">Runs</h2>
      {runs.isPending ? <Loading what="runs" /> : null}
      {runs.error ? <ErrorBox error={runs.error} /> : null}
      {runs.data?.length === 0 ? <EmptyState>No export has run yet.</EmptyState> : null}
      {runs.data && runs.data.length > 0 ? (
        <ExportRunsTable runs={runs.data} label="Export runs" />
      ) : null}
    </>
  );
}

/** The server's 409 for a destination without segments. */
function nothingToExport(error: unknown): boolean {
  return (
    error instanceof ApiError && error.status === 409 && /^Nothing to export/.test(error.message)
  );
}

/** The removal guardrail in words. */
function removalLimitText(l: Destination['removalLimit']): string {
  const parts: string[] = [];
  if (l.percent !== null) parts.push(`${l.percent}% of a list`);
  if (l.count !== null) parts.push(`${l.count.toLocaleString()} members`);
  if (parts.length === 0) return 'off (mirror exports remove without limit)';
  return `holds a segment that would remove more than ${parts.join(' or ')} (up to ${l.minimum.toLocaleString()} always go)`;
}
