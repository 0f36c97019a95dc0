import { Link, useLocation } from 'react-router';
import { EmptyState, ErrorBox, Loading, Notice, PageHeader } from '../../components/common';
import { useDestinations, useDestinationTypes } from '../../hooks/useDestinations';
import { useSegments } from '../segments/SegmentsPage';
import { LastRunCell, MembersExportedCell } from './LastRunCell';
import { Can } from '../../auth/role';
import { TableWrap } from '../../components/TableWrap';

/** Export destinations: what is exported where, how the last run went; "Set up" per type. */
export function DestinationsPage() {
  const destinations = useDestinations();
  const types = useDestinationTypes();
  const segments = useSegments();
  const typeName = new Map((types.data ?? []).map((t) => [t.type, t.displayName]));
  const segmentName = new Map((segments.data ?? []).map((s) => [s.id, s.name]));
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return (
    <>
      <PageHeader title="Export destinations">
        Where segments go. Each destination exports its segments with every refresh, or now with
        “Export now”.
      </PageHeader>
      {notice ? <Notice>{notice}</Notice> : null}
      {destinations.isPending ? <Loading what="destinations" /> : null}
      {destinations.error ? <ErrorBox error={destinations.error} /> : null}
      {destinations.data?.length === 0 ? (
        <EmptyState>No destinations yet: set one up below.</EmptyState>
      ) : null}
      {destinations.data && destinations.data.length > 0 ? (
        <TableWrap label="Destinations">
          <table aria-label="Destinations">
            <thead>
              <tr>
                <th scope="col">Display name</th>
                <th scope="col">Type</th>
                <th scope="col">Segments</th>
                <th scope="col">Exports with refresh</th>
                <th scope="col">Last run</th>
                <th scope="col" className="num">
                  In the target (last run)
                </th>
              </tr>
            </thead>
            <tbody>
              {destinations.data.map((d) => (
                <tr key={d.id}>
                  <td>
                    <Link to={`/destinations/${d.id}`}>{d.displayName}</Link>
                  </td>
                  <td>{typeName.get(d.type) ?? d.type}</td>
                  <td className="small">
                    {d.segmentIds.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      d.segmentIds.map((id) => segmentName.get(id) ?? id).join(', ')
                    )}
                  </td>
                  <td>{d.enabled ? 'yes' : <span className="badge badge-muted">disabled</span>}</td>
                  <td>
                    <LastRunCell destination={d} />
                  </td>
                  <td className="num" data-testid={`members-exported-${d.id}`}>
                    <MembersExportedCell destination={d} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      <h2>Set up a destination</h2>
      {types.error ? <ErrorBox error={types.error} /> : null}
      <div className="cards">
        {(types.data ?? []).map((t) => (
          <div className="card" key={t.type}>
            <h3>{t.displayName}</h3>
            <p className="small muted">{t.description}</p>
            <Can least="editor">
              <Link
                className="button primary"
                to={`/destinations/new/${encodeURIComponent(t.type)}`}
                aria-label={`Set up ${t.displayName}`}
              >
                Set up
              </Link>
            </Can>
          </div>
        ))}
      </div>
    </>
  );
}
