import { useQuery } from '@tanstack/react-query';
import { get } from '../../api/client';
import type { NotificationChannel, NotificationDelivery } from '../../api/types';
import { DateTime, EmptyState, ErrorBox, Loading, StatusBadge } from '../../components/common';
import { TableWrap } from '../../components/TableWrap';

const STATUS: Record<NotificationDelivery['status'], string> = {
  delivered: 'succeeded',
  pending: 'pending',
  failed: 'failed',
};

/** A channel's delivery log, newest first; refreshed while deliveries are pending. */
export function DeliveriesPanel({ channel }: { channel: NotificationChannel }) {
  const deliveries = useQuery({
    queryKey: ['notification-deliveries', channel.id],
    queryFn: () => get<NotificationDelivery[]>(`/api/notifications/${channel.id}/deliveries`),
    refetchInterval: (q) => (q.state.data?.some((d) => d.status === 'pending') ? 1000 : false),
  });
  return (
    <section className="panel" aria-label={`Deliveries of ${channel.name}`}>
      <h2>Deliveries of {channel.name}</h2>
      {deliveries.isPending ? <Loading what="the deliveries" /> : null}
      {deliveries.error ? <ErrorBox error={deliveries.error} /> : null}
      {deliveries.data && deliveries.data.length === 0 ? (
        <EmptyState>Nothing sent yet.</EmptyState>
      ) : null}
      {deliveries.data && deliveries.data.length > 0 ? (
        <TableWrap>
          <table aria-label="Deliveries">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Response</th>
                <th scope="col">Last error</th>
                <th scope="col">Created</th>
                <th scope="col">Delivered / next attempt</th>
              </tr>
            </thead>
            <tbody>
              {deliveries.data.map((d) => (
                <tr key={d.id}>
                  <td>{d.eventType}</td>
                  <td>
                    <StatusBadge status={STATUS[d.status]} />{' '}
                    <span className="muted small">{d.status}</span>
                  </td>
                  <td>{d.attempts}</td>
                  <td>{d.responseCode ?? '—'}</td>
                  <td>{d.lastError ?? '—'}</td>
                  <td>
                    <DateTime value={d.createdAt} />
                  </td>
                  <td>
                    <DateTime value={d.deliveredAt ?? d.nextAttemptAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
    </section>
  );
}
