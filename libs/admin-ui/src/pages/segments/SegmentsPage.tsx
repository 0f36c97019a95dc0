import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get } from '../../api/client';
import type { Segment } from '../../api/types';
import { DateTime, EmptyState, ErrorBox, Loading, Num, PageHeader } from '../../components/common';
import { Can } from '../../auth/role';
import { TableWrap } from '../../components/TableWrap';

export function useSegments() {
  return useQuery({ queryKey: ['segments'], queryFn: () => get<Segment[]>('/api/segments') });
}

export function SegmentsPage() {
  const segments = useSegments();
  return (
    <>
      <PageHeader
        title="Segments"
        actions={
          <Can least="editor">
            <Link className="button primary" to="/segments/new">
              New segment
            </Link>
          </Can>
        }
      >
        Audiences defined by rules over the customer fields. Membership is evaluated at every
        refresh; export destinations send it on.
      </PageHeader>
      {segments.isPending ? <Loading what="segments" /> : null}
      {segments.error ? <ErrorBox error={segments.error} /> : null}
      {segments.data?.length === 0 ? (
        <EmptyState>
          No segments yet. <Link to="/segments/new">Build one</Link> with the rule builder.
        </EmptyState>
      ) : null}
      {segments.data && segments.data.length > 0 ? (
        <TableWrap label="Segments">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Active</th>
                <th scope="col" className="num">
                  Members
                </th>
                <th scope="col">Last evaluated</th>
                <th scope="col" className="num">
                  Added / removed
                </th>
              </tr>
            </thead>
            <tbody>
              {segments.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <Link to={`/segments/${s.id}`}>{s.name}</Link>
                    {s.description ? <div className="muted small">{s.description}</div> : null}
                  </td>
                  <td>{s.active ? 'yes' : 'no'}</td>
                  <td className="num">
                    <Num value={s.membership.size} />
                  </td>
                  <td>
                    <DateTime value={s.membership.evaluatedAt} />
                    {s.membership.stale ? (
                      <span className="muted small"> (rule changed)</span>
                    ) : null}
                    {s.membership.lastError ? (
                      <div className="field-error small">{s.membership.lastError}</div>
                    ) : null}
                  </td>
                  <td className="num">
                    +<Num value={s.membership.added} /> / −<Num value={s.membership.removed} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </>
  );
}
