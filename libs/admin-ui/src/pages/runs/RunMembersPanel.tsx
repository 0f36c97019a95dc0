import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import { get, query } from '../../api/client';
import { getToken } from '../../auth/session';
import { ApiError } from '../../api/errors';
import type { ExportRun, MemberLogPage } from '../../api/types';
import { EmptyState, ErrorBox, Loading } from '../../components/common';
import { TableWrap } from '../../components/TableWrap';

const TABS = [
  { outcome: undefined, label: 'All' },
  { outcome: 'added', label: 'Added' },
  { outcome: 'removed', label: 'Removed' },
  { outcome: 'skipped', label: 'Skipped' },
  { outcome: 'failed', label: 'Failed' },
] as const;
type Outcome = (typeof TABS)[number]['outcome'];

const PAGE = 50;

/**
 * The run's per-member log: members by outcome (tabs), a search by customer or contact id,
 * pages loaded on demand and the same list as a CSV download.
 */
export function RunMembersPanel({ run }: { run: ExportRun }) {
  const [outcome, setOutcome] = useState<Outcome>(undefined);
  const [searchBy, setSearchBy] = useState<'customerId' | 'contactId'>('contactId');
  const [text, setText] = useState('');
  const [search, setSearch] = useState<{ by: 'customerId' | 'contactId'; value: string } | null>(
    null,
  );
  const [download, setDownload] = useState<{ busy: boolean; error?: unknown }>({ busy: false });
  const params = {
    outcome,
    customerId: search?.by === 'customerId' ? search.value : undefined,
    contactId: search?.by === 'contactId' ? search.value : undefined,
  };
  const base = `/api/export-runs/${encodeURIComponent(run.id)}/members`;
  const members = useInfiniteQuery({
    queryKey: ['export-runs', run.id, 'members', params, run.status],
    queryFn: ({ pageParam }) =>
      get<MemberLogPage>(`${base}${query({ ...params, limit: PAGE, after: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const names = new Map(run.segments.map((s) => [s.segmentId, s.segmentName ?? s.segmentId]));

  const onSearch = (event: SyntheticEvent) => {
    event.preventDefault();
    const value = text.trim();
    setSearch(value ? { by: searchBy, value } : null);
  };

  /** The CSV comes with the token in a header, so it is fetched, then saved from a blob. */
  const downloadCsv = async () => {
    setDownload({ busy: true });
    try {
      const response = await fetch(`${base}${query(params)}`, {
        headers: { Accept: 'text/csv', Authorization: `Bearer ${getToken() ?? ''}` },
      });
      if (!response.ok) throw new ApiError(response.status, await response.text());
      const url = URL.createObjectURL(await response.blob());
      const a = document.createElement('a');
      a.href = url;
      a.download = `export-run-${run.id}-${outcome ?? 'all'}-members.csv`;
      a.click();
      URL.revokeObjectURL(url);
      setDownload({ busy: false });
    } catch (error) {
      setDownload({ busy: false, error });
    }
  };

  const items = members.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <section className="panel" aria-labelledby="run-members">
      <h2 id="run-members">Members</h2>
      <div className="tabs" role="tablist" aria-label="Members by outcome">
        {TABS.map((tab) => (
          <button
            key={tab.label}
            type="button"
            role="tab"
            aria-selected={outcome === tab.outcome}
            className={outcome === tab.outcome ? 'tab tab-selected' : 'tab'}
            onClick={() => {
              setOutcome(tab.outcome);
            }}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <form className="inline-form" onSubmit={onSearch} role="search">
        <label>
          Search by{' '}
          <select
            value={searchBy}
            onChange={(e) => {
              setSearchBy(e.target.value as 'customerId' | 'contactId');
            }}
          >
            <option value="contactId">contact id</option>
            <option value="customerId">customer id</option>
          </select>
        </label>{' '}
        <input
          type="search"
          aria-label="Customer or contact id"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
          }}
        />{' '}
        <button type="submit">Search</button>{' '}
        <button
          type="button"
          disabled={download.busy}
          onClick={() => {
            void downloadCsv();
          }}
        >
          {download.busy ? 'Preparing CSV…' : 'Download CSV'}
        </button>
      </form>
      {download.error ? <ErrorBox title="Could not download" error={download.error} /> : null}
      {members.isPending ? <Loading what="the members" /> : null}
      {members.error ? <ErrorBox error={members.error} /> : null}
      {!members.isPending && !members.error && items.length === 0 ? (
        <EmptyState>
          No members here. Each run keeps its per-member log for a limited time (setting
          MEMBER_LOG_RETENTION_DAYS).
        </EmptyState>
      ) : null}
      {items.length > 0 ? (
        <TableWrap>
          <table data-testid="run-members">
            <thead>
              <tr>
                {run.segments.length > 1 ? <th scope="col">Segment</th> : null}
                <th scope="col">Customer</th>
                <th scope="col">Contact id</th>
                <th scope="col">Outcome</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <tr key={`${m.segmentId}/${m.contactId ?? ''}/${m.customerId ?? ''}`}>
                  {run.segments.length > 1 ? <td>{names.get(m.segmentId)}</td> : null}
                  <td>
                    {m.customerId ? (
                      <Link to={`/customers/${encodeURIComponent(m.customerId)}`}>
                        <code>{m.customerId}</code>
                      </Link>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td>
                    {m.contactId ? <code>{m.contactId}</code> : <span className="muted">—</span>}
                  </td>
                  <td>{m.outcome}</td>
                  <td>{m.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {members.hasNextPage ? (
        <button
          type="button"
          disabled={members.isFetchingNextPage}
          onClick={() => {
            void members.fetchNextPage();
          }}
        >
          {members.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </section>
  );
}
