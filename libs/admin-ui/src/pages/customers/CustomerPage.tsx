import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { get } from '../../api/client';
import type { CustomerDetail } from '../../api/types';
import { DateTime, ErrorBox, Loading, Notice, PageHeader } from '../../components/common';
import { WhyOnListPanel } from './WhyOnListPanel';
import { TableWrap } from '../../components/TableWrap';

export function CustomerPage() {
  const { id = '' } = useParams();
  const customer = useQuery({
    queryKey: ['customers', 'one', id],
    queryFn: () => get<CustomerDetail>(`/api/customers/${encodeURIComponent(id)}`),
  });
  if (customer.isPending) return <Loading what="the customer" />;
  if (customer.error) return <ErrorBox error={customer.error} />;
  const c = customer.data;
  return (
    <>
      <PageHeader title={`Customer ${c.customerId}`}>
        <Link to="/customers">All customers</Link>
      </PageHeader>
      {c.mergedInto && c.requestedId && c.requestedId !== c.customerId ? (
        <Notice kind="warn">
          <code>{c.requestedId}</code> is a previous ID: that customer was merged into{' '}
          <Link to={`/customers/${encodeURIComponent(c.customerId)}`}>
            <code>{c.customerId}</code>
          </Link>
          {c.mergedAt ? (
            <>
              {' '}
              on <DateTime value={c.mergedAt} />
            </>
          ) : null}
          .
        </Notice>
      ) : null}
      <div className="grid-2">
        <section className="panel">
          <h2>Fields</h2>
          <dl className="facts">
            {Object.entries(c.fields)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([name, value]) => (
                <div className="fact" key={name}>
                  <dt>{name}</dt>
                  <dd>{String(value)}</dd>
                </div>
              ))}
          </dl>
          <p className="muted small">
            Created <DateTime value={c.createdAt} />, updated <DateTime value={c.updatedAt} />.
          </p>
        </section>
        <section className="panel">
          <h2>Identities ({c.identities.length})</h2>
          <TableWrap>
            <table>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Record key</th>
                </tr>
              </thead>
              <tbody>
                {c.identities.map((identity) => (
                  <tr key={`${identity.sourceId}/${identity.key}`}>
                    <td>
                      <Link to={`/sources/${identity.sourceId}`}>
                        {identity.source ?? identity.sourceId}
                      </Link>
                    </td>
                    <td>
                      <code>{identity.key}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {c.identitiesTruncated ? (
            <p className="muted small">Only the first identities are shown.</p>
          ) : null}
          <h2>Previous IDs</h2>
          {c.previousIds.length === 0 ? (
            <p className="muted">None: this customer has not absorbed another one.</p>
          ) : (
            <ul>
              {c.previousIds.map((p) => (
                <li key={p}>
                  <code>{p}</code>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <WhyOnListPanel customerId={c.customerId} />
    </>
  );
}
