import { Link } from 'react-router';
import {
  DateTime,
  EmptyState,
  ErrorBox,
  Loading,
  Num,
  PageHeader,
  StatusBadge,
} from '../../components/common';
import { useSources } from '../../hooks/useSources';
import { Can } from '../../auth/role';
import { TableWrap } from '../../components/TableWrap';

export function SourcesPage() {
  const sources = useSources();
  return (
    <>
      <PageHeader
        title="Sources"
        actions={
          <>
            <Can least="editor">
              <Link className="button primary" to="/sources/new">
                New CSV source
              </Link>
            </Can>
            <Can least="editor">
              <Link className="button" to="/sources/new-dataverse">
                New Dynamics 365 contacts source
              </Link>
            </Can>
          </>
        }
      >
        Where customer records come from. Each source maps its columns to customer fields;
        unification then joins the records of all sources into customers.
      </PageHeader>
      {sources.isPending ? <Loading what="sources" /> : null}
      {sources.error ? <ErrorBox error={sources.error} /> : null}
      {sources.data?.length === 0 ? (
        <EmptyState>
          No sources yet. <Link to="/sources/new">Create a CSV source</Link> from a file of your
          customers.
        </EmptyState>
      ) : null}
      {sources.data && sources.data.length > 0 ? (
        <TableWrap label="Sources">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Fields</th>
                <th scope="col" className="num">
                  Records
                </th>
                <th scope="col">Last ingest</th>
                <th scope="col" className="num">
                  Rejected
                </th>
              </tr>
            </thead>
            <tbody>
              {sources.data.map((source) => (
                <tr key={source.id}>
                  <td>
                    <Link to={`/sources/${source.id}`}>{source.name}</Link>
                  </td>
                  <td>{source.type}</td>
                  <td className="small">{Object.keys(source.mapping).join(', ')}</td>
                  <td className="num">
                    <Num value={source.recordCount} />
                  </td>
                  <td>
                    {source.lastIngest ? (
                      <>
                        <StatusBadge status={source.lastIngest.status} />{' '}
                        <DateTime value={source.lastIngest.finishedAt} />
                      </>
                    ) : (
                      <span className="muted">no data yet</span>
                    )}
                  </td>
                  <td className="num">
                    <Num value={source.lastIngest?.rowsRejected} />
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
