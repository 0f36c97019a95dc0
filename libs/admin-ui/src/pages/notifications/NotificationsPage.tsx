import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { del, get, post } from '../../api/client';
import type { NotificationChannel, NotificationDelivery } from '../../api/types';
import { EmptyState, ErrorBox, Loading, Notice, PageHeader } from '../../components/common';
import { DeliveriesPanel } from './DeliveriesPanel';
import { Can } from '../../auth/role';
import { NewChannelForm } from './NewChannelForm';
import { TableWrap } from '../../components/TableWrap';

const KEY = ['notifications'];

/** Notification channels: the list, a new channel, a test message, each channel's deliveries. */
export function NotificationsPage() {
  const queryClient = useQueryClient();
  const channels = useQuery({
    queryKey: KEY,
    queryFn: () => get<NotificationChannel[]>('/api/notifications'),
  });
  const [shown, setShown] = useState<string | null>(null);
  const test = useMutation({
    mutationFn: (id: string) => post<NotificationDelivery>(`/api/notifications/${id}/test`),
    onSuccess: (_data, id) => {
      setShown(id);
      void queryClient.invalidateQueries({ queryKey: ['notification-deliveries', id] });
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => del(`/api/notifications/${id}`),
    onSuccess: (_data, id) => {
      if (shown === id) setShown(null);
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
  });
  const shownChannel = channels.data?.find((c) => c.id === shown);
  return (
    <>
      <PageHeader title="Notifications">
        Be told when an export fails, partly fails, waits for approval of its removals, works again
        after a failure, or skips many members. Webhooks receive the event as JSON signed with
        HMAC-SHA256 in the <code>X-Audience-Sync-Signature</code> header; failed deliveries are
        retried with growing delays.
      </PageHeader>
      {channels.isPending ? <Loading what="the channels" /> : null}
      {channels.error ? <ErrorBox error={channels.error} /> : null}
      {test.data ? (
        test.data.status === 'delivered' ? (
          <Notice kind="ok">Test message delivered.</Notice>
        ) : (
          <Notice kind="warn">
            The test message was not delivered: {test.data.lastError ?? 'unknown error'}
          </Notice>
        )
      ) : null}
      {test.error ? <ErrorBox title="Could not send a test message" error={test.error} /> : null}
      {remove.error ? <ErrorBox title="Could not delete" error={remove.error} /> : null}
      {channels.data && channels.data.length === 0 ? (
        <EmptyState>No channels yet: add a webhook or e-mail below.</EmptyState>
      ) : null}
      {channels.data && channels.data.length > 0 ? (
        <TableWrap>
          <table aria-label="Notification channels">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Sends to</th>
                <th scope="col">Events</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {channels.data.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>{c.type === 'webhook' ? 'Webhook' : 'E-mail'}</td>
                  <td>
                    {c.type === 'webhook' ? (
                      <>
                        <code>{c.url}</code>
                        <span className="muted small">
                          {' '}
                          secret {c.secretSet ? 'set' : 'not set'}
                        </span>
                      </>
                    ) : (
                      (c.to ?? []).join(', ')
                    )}
                  </td>
                  <td>{c.events.join(', ')}</td>
                  <td className="actions">
                    <Can least="editor">
                      <button
                        type="button"
                        disabled={test.isPending}
                        aria-label={`Send a test message to ${c.name}`}
                        onClick={() => {
                          test.mutate(c.id);
                        }}
                      >
                        Send test
                      </button>{' '}
                    </Can>
                    <button
                      type="button"
                      aria-label={`Show the deliveries of ${c.name}`}
                      onClick={() => {
                        setShown(c.id);
                      }}
                    >
                      Deliveries
                    </button>{' '}
                    <Can least="editor">
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Delete ${c.name}`}
                        onClick={() => {
                          if (
                            window.confirm(`Delete the channel "${c.name}" and its delivery log?`)
                          )
                            remove.mutate(c.id);
                        }}
                      >
                        Delete
                      </button>
                    </Can>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      ) : null}
      {shownChannel ? <DeliveriesPanel channel={shownChannel} /> : null}
      <Can least="editor">
        <NewChannelForm
          onCreated={() => {
            void queryClient.invalidateQueries({ queryKey: KEY });
          }}
        />
      </Can>
    </>
  );
}
