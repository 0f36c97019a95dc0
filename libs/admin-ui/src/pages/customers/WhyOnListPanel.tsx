import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { get, query } from '../../api/client';
import type { Destination, Explanation } from '../../api/types';
import { DateTime, EmptyState, ErrorBox, Loading } from '../../components/common';
import { useDestinations } from '../../hooks/useDestinations';
import { TableWrap } from '../../components/TableWrap';

/** "Why (not) on the list": for every destination, each of its segments explained in words. */
export function WhyOnListPanel({ customerId }: { customerId: string }) {
  const destinations = useDestinations();
  return (
    <section className="panel" aria-labelledby="why-on-list">
      <h2 id="why-on-list">Why (not) on the list</h2>
      {destinations.isPending ? <Loading what="the destinations" /> : null}
      {destinations.error ? <ErrorBox error={destinations.error} /> : null}
      {destinations.data?.length === 0 ? (
        <EmptyState>No destinations yet: nothing is exported.</EmptyState>
      ) : null}
      {destinations.data?.map((d) => (
        <DestinationExplanation key={d.id} destination={d} customerId={customerId} />
      ))}
    </section>
  );
}

function DestinationExplanation({
  destination,
  customerId,
}: {
  destination: Destination;
  customerId: string;
}) {
  const explanation = useQuery({
    queryKey: ['destinations', destination.id, 'explain', customerId],
    queryFn: () =>
      get<Explanation>(
        `/api/destinations/${encodeURIComponent(destination.id)}/explain${query({ customerId })}`,
      ),
  });
  return (
    <div data-testid={`why-${destination.id}`}>
      <h3>
        <Link to={`/destinations/${destination.id}`}>{destination.displayName}</Link>
      </h3>
      {explanation.isPending ? <Loading what="the explanation" /> : null}
      {explanation.error ? <ErrorBox error={explanation.error} /> : null}
      {explanation.data?.segments.length === 0 ? (
        <p className="muted">No segments are chosen for this destination.</p>
      ) : null}
      {explanation.data && explanation.data.segments.length > 0 ? (
        <TableWrap>
          <table>
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col">Member since</th>
                <th scope="col">{explanation.data.contactIdField}</th>
                <th scope="col">Found in the target</th>
                <th scope="col">Last run</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {explanation.data.segments.map((s) => (
                <tr key={s.segmentId}>
                  <th scope="row">{s.segmentName ?? s.segmentId}</th>
                  <td>
                    {s.member ? (
                      s.memberSince ? (
                        <DateTime value={s.memberSince} />
                      ) : (
                        'yes'
                      )
                    ) : (
                      <span className="muted">not a member</span>
                    )}
                  </td>
                  <td>
                    {s.contactId ? <code>{s.contactId}</code> : <span className="muted">none</span>}
                  </td>
                  <td>{s.foundInTarget === null ? '—' : s.foundInTarget ? 'yes' : 'no'}</td>
                  <td>
                    {s.lastRun ? (
                      <>
                        <Link to={`/runs/export/${s.lastRun.runId}`}>{s.lastRun.outcome}</Link>{' '}
                        <span className="small muted">
                          <DateTime value={s.lastRun.at} />
                        </span>
                      </>
                    ) : (
                      <span className="muted">no export yet</span>
                    )}
                  </td>
                  <td className="why" data-testid={`why-${destination.id}-${s.segmentId}`}>
                    {s.explanation}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </div>
  );
}
