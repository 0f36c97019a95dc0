import type { Delivery, DeliveryStatus } from './delivery-outbox';
import type { ChannelType, NotificationChannel } from './notification-channel.entity';
import type { NotificationEventType } from './notification-events';

/** A channel as the API answers it: never its secret, only whether one is stored. */
export interface NotificationChannelView {
  id: string;
  type: ChannelType;
  name: string;
  /** Webhooks. */
  url?: string;
  secretSet?: boolean;
  /** E-mail. */
  to?: string[];
  events: NotificationEventType[];
  createdAt: string;
  updatedAt: string;
}

/** One entry of a channel's delivery log. */
export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  /** The webhook's HTTP status (or the SMTP reply code) of the last attempt. */
  responseCode: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  /** When a pending delivery is tried next. */
  nextAttemptAt: string | null;
}

export function toChannelView(c: NotificationChannel): NotificationChannelView {
  const where =
    c.type === 'webhook'
      ? { url: c.config.url ?? '', secretSet: c.secret !== null }
      : { to: c.config.to ?? [] };
  return {
    id: c.id,
    type: c.type,
    name: c.name,
    ...where,
    events: c.events,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function toDeliveryView(d: Delivery): DeliveryView {
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError,
    responseCode: d.responseCode,
    createdAt: d.createdAt,
    lastAttemptAt: d.lastAttemptAt,
    deliveredAt: d.deliveredAt,
    nextAttemptAt: d.status === 'pending' ? new Date(d.nextAttemptAt).toISOString() : null,
  };
}
