import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Db } from '@platform/database/db.service';
import { ExportRunListeners, type EndedExportRun } from '@stages/destinations/export-run-listeners';
import { Clock } from '@platform/clock/clock';
import { DeliveryOutbox } from './delivery-outbox';
import { NotificationDispatcher } from './notification-dispatcher';
import { runEvents, runPayload } from './notification-events';
import { NotificationsService } from './notifications.service';

/**
 * Turns the end of every export run (on demand, scheduled or by a refresh; in this process or
 * the CLI) into events, and writes one outbox row per event and subscribed channel in the same
 * breath, so nothing is lost if the process stops before sending.
 */
@Injectable()
export class RunNotifier implements OnModuleInit {
  constructor(
    private readonly listeners: ExportRunListeners,
    private readonly db: Db,
    private readonly channels: NotificationsService,
    private readonly outbox: DeliveryOutbox,
    private readonly dispatcher: NotificationDispatcher,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.listeners.register((ended) => this.notify(ended));
  }

  async notify({ run, previousStatus }: EndedExportRun): Promise<void> {
    const found = await this.db.query<{
      id: string;
      display_name: string;
      skipped_alert_percent: number | string | null;
    }>('SELECT id, display_name, skipped_alert_percent FROM destination WHERE id = ?', [
      run.destinationId,
    ]);
    if (found.length === 0) return; // deleted since
    const destination = found[0];
    const events = runEvents(run, {
      previousStatus,
      skippedAlertPercent:
        destination.skipped_alert_percent === null
          ? null
          : Number(destination.skipped_alert_percent),
    });
    if (events.length === 0) return;
    const channels = await this.channels.subscribed(events.map((e) => e.type));
    if (channels.length === 0) return;
    const now = this.clock.now();
    const rows = events.flatMap((event) => {
      const payload = runPayload(
        { ...event, id: randomUUID(), occurredAt: now.toISOString() },
        run,
        { id: destination.id, name: destination.display_name },
      );
      const body = JSON.stringify(payload);
      return channels
        .filter((c) => c.events.includes(event.type))
        .map((c) => ({
          channelId: c.id,
          eventId: payload.id,
          eventType: event.type,
          payload: body,
        }));
    });
    await this.outbox.add(rows, now);
    this.dispatcher.kick();
  }
}
