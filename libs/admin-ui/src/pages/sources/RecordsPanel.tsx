import { useInfiniteQuery } from '@tanstack/react-query';
import { get, query } from '../../api/client';
import type { SourceRecordPage } from '../../api/types';
import { ErrorBox, Loading } from '../../components/common';
import { TableWrap } from '../../components/TableWrap';

/** The source's current records (what the last successful ingest stored), a page at a time. */
export function RecordsPanel({ sourceId, fields }: { sourceId: string; fields: string[] }) {
  const records = useInfiniteQuery({
    queryKey: ['sources', sourceId, 'records'],
    queryFn: ({ pageParam }) =>
      get<SourceRecordPage>(
        `/api/sources/${encodeURIComponent(sourceId)}/records${query({ limit: 25, after: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const rows = records.data?.pages.flatMap((p) => p.items) ?? [];
  const columns = fields.slice(0, 6);
  return (
    <section className="panel" aria-label="Records">
      <h2>Records</h2>
      {records.isPending ? <Loading what="records" /> : null}
      {records.error ? <ErrorBox error={records.error} /> : null}
      {records.data && rows.length === 0 ? (
        <p className="muted">No records yet: upload a file.</p>
      ) : null}
      {rows.length > 0 ? (
        <TableWrap label="Records">
          <table>
            <thead>
              <tr>
                <th scope="col">Key</th>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
                <th scope="col">Other columns</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.key}>
                  <td>
                    <code>{r.key}</code>
                  </td>
                  {columns.map((c) => (
                    <td key={c}>{c in r.fields ? String(r.fields[c]) : ''}</td>
                  ))}
                  <td className="small muted">
                    {Object.entries(r.raw)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(' · ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {records.hasNextPage ? (
        <button
          type="button"
          disabled={records.isFetchingNextPage}
          onClick={() => void records.fetchNextPage()}
        >
          {records.isFetchingNextPage ? 'Loading…' : 'Show more'}
        </button>
      ) : null}
    </section>
  );
}
