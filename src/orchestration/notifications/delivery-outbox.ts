import { Injectable } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import { uuidV7 } from '@platform/ids/uuid-v7';

/** pending: waiting for its next attempt; delivered; failed: gave up (or cannot be sent). */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface Delivery {
  id: string;
  channelId: string;
  eventId: string;
  eventType: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  /** Epoch ms: when it is due (pending), or until when a sender holds it. */
  nextAttemptAt: number;
  lastError: string | null;
  responseCode: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

interface Row {
  id: string;
  channel_id: string;
  event_id: string;
  event_type: string;
  payload: string;
  status: string;
  attempts: number | string;
  next_attempt_at: number | string;
  last_error: string | null;
  response_code: number | string | null;
  created_at: string;
  last_attempt_at: string | null;
  delivered_at: string | null;
}

const COLUMNS =
  'id, channel_id, event_id, event_type, payload, status, attempts, next_attempt_at, last_error, response_code, created_at, last_attempt_at, delivered_at';

/**
 * The outbox of notifications (`notification_delivery`), in raw SQL like the run stores: an
 * event writes one row per channel at once; senders claim a due row by pushing its
 * `next_attempt_at` forward with a compare-and-set, so each attempt is made by one process,
 * and a process that dies mid-send leaves the row due again once the claim runs out.
 */
@Injectable()
export class DeliveryOutbox {
  constructor(private readonly db: Db) {}

  async add(
    items: { channelId: string; eventId: string; eventType: string; payload: string }[],
    now: Date,
  ): Promise<string[]> {
    const ids = items.map(() => uuidV7());
    await this.db.atomic(
      items.map((item, i) => ({
        sql: `INSERT INTO notification_delivery (${COLUMNS}) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?, NULL, NULL)`,
        params: [
          ids[i],
          item.channelId,
          item.eventId,
          item.eventType,
          item.payload,
          now.getTime(),
          now.toISOString(),
        ],
      })),
    );
    return ids;
  }

  /** Pending deliveries due at `now`, oldest first. */
  async due(now: number, limit: number): Promise<Delivery[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM notification_delivery WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, id LIMIT ?`,
      [now, limit],
    );
    return rows.map(toDelivery);
  }

  async get(id: string): Promise<Delivery | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM notification_delivery WHERE id = ?`,
      [id],
    );
    return rows.length > 0 ? toDelivery(rows[0]) : undefined;
  }

  /** A channel's deliveries, newest first; `before` is an id. */
  async list(channelId: string, limit: number, before?: string): Promise<Delivery[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM notification_delivery WHERE channel_id = ? ${before ? 'AND id < ?' : ''}
       ORDER BY id DESC LIMIT ?`,
      before ? [channelId, before, limit] : [channelId, limit],
    );
    return rows.map(toDelivery);
  }

  /** Takes a due delivery for one attempt (until `holdUntil`); answers whether this caller got it. */
  async claim(d: Delivery, holdUntil: number, at: string): Promise<boolean> {
    const [changed] = await this.db.atomic([
      {
        sql: `UPDATE notification_delivery SET next_attempt_at = ?, attempts = attempts + 1, last_attempt_at = ?
          WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`,
        params: [holdUntil, at, d.id, d.nextAttemptAt],
      },
    ]);
    return changed === 1;
  }

  /** Records an attempt's outcome: delivered, due again at `retryAt`, or failed for good. */
  async record(
    id: string,
    outcome: {
      status: DeliveryStatus;
      retryAt?: number;
      error: string | null;
      responseCode: number | null;
      at: string;
    },
  ): Promise<void> {
    await this.db.atomic([
      {
        sql: `UPDATE notification_delivery SET status = ?, next_attempt_at = COALESCE(?, next_attempt_at),
          last_error = ?, response_code = ?, delivered_at = ? WHERE id = ?`,
        params: [
          outcome.status,
          outcome.retryAt ?? null,
          outcome.error,
          outcome.responseCode,
          outcome.status === 'delivered' ? outcome.at : null,
          id,
        ],
      },
    ]);
  }

  deleteChannelStatements(channelId: string) {
    return [{ sql: 'DELETE FROM notification_delivery WHERE channel_id = ?', params: [channelId] }];
  }
}

function toDelivery(r: Row): Delivery {
  return {
    id: r.id,
    channelId: r.channel_id,
    eventId: r.event_id,
    eventType: r.event_type,
    payload: r.payload,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    lastError: r.last_error,
    responseCode: r.response_code === null ? null : Number(r.response_code),
    createdAt: r.created_at,
    lastAttemptAt: r.last_attempt_at,
    deliveredAt: r.delivered_at,
  };
}
