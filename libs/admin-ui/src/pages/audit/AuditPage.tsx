import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { get, query } from '../../api/client';
import type { AuditEntry, AuditPage as Page } from '../../api/types';
import { DateTime, EmptyState, ErrorBox, Loading, PageHeader } from '../../components/common';
import { TextField } from '../../components/form';
import { TableWrap } from '../../components/TableWrap';

/** The audit log (admins only), newest first, filtered by actor and entity type. */
export function AuditPage() {
  const [actor, setActor] = useState('');
  const [entity, setEntity] = useState('');
  const [filter, setFilter] = useState({ actor: '', entity: '' });
  const entries = useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) =>
      get<Page>(`/api/audit${query({ ...filter, limit: 50, after: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  const apply = (event: SyntheticEvent) => {
    event.preventDefault();
    setFilter({ actor: actor.trim(), entity: entity.trim() });
  };
  return (
    <>
      <PageHeader title="Audit log">
        Every change made through the API and every sign-in: who, when, what, and the entity before
        and after (secrets are never kept).
      </PageHeader>
      <form className="filters" onSubmit={apply}>
        <TextField
          path="actor"
          label="Actor"
          value={actor}
          onChange={setActor}
          hint="A token's name or id, or admin"
        />
        <TextField
          path="entity"
          label="Entity"
          value={entity}
          onChange={setEntity}
          hint="source, unification-rules, segment, destination, schedule, api-token, export-run…"
        />
        <button type="submit">Filter</button>
      </form>
      {entries.isPending ? <Loading what="the audit log" /> : null}
      {entries.error ? <ErrorBox error={entries.error} /> : null}
      {entries.data && rows.length === 0 ? <EmptyState>No entries.</EmptyState> : null}
      {rows.length > 0 ? (
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
                <th scope="col">Change</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((e) => (
                <AuditRow key={e.id} entry={e} />
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {entries.hasNextPage ? (
        <button
          type="button"
          disabled={entries.isFetchingNextPage}
          onClick={() => void entries.fetchNextPage()}
        >
          {entries.isFetchingNextPage ? 'Loading…' : 'Older entries'}
        </button>
      ) : null}
    </>
  );
}

function AuditRow({ entry: e }: { entry: AuditEntry }) {
  return (
    <tr>
      <td>
        <DateTime value={e.at} />
      </td>
      <td>{e.actor ? `${e.actor.name} (${e.actor.kind})` : 'unknown'}</td>
      <td>{e.action}</td>
      <td>
        {e.entity}
        {e.entityId ? <div className="muted small">{e.entityId}</div> : null}
      </td>
      <td>
        {e.before !== null || e.after !== null ? (
          <details>
            <summary>Before / after</summary>
            <pre className="small">
              {JSON.stringify({ before: e.before, after: e.after }, null, 2)}
            </pre>
          </details>
        ) : null}
      </td>
    </tr>
  );
}
