import { Injectable, type OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DestinationsService } from '../destinations/destinations.service';
import { ExportRunListeners, type EndedExportRun } from '../destinations/export-run-listeners';
import { AppError, ErrorCode } from '../common/app-error';
import { Clock } from '../schedule/clock';
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
    private readonly destinations: DestinationsService,
    private readonly channels: NotificationsService,
    private readonly outbox: DeliveryOutbox,
    private readonly dispatcher: NotificationDispatcher,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.listeners.register((ended) => this.notify(ended));
  }

  async notify({ run, previousStatus }: EndedExportRun): Promise<void> {
    let destination;
    try {
      destination = await this.destinations.entity(run.destinationId);
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) return;
      throw error;
    }
    const events = runEvents(run, {
      previousStatus,
      skippedAlertPercent: destination.skippedAlertPercent ?? null,
    });
    if (events.length === 0) return;
    const channels = await this.channels.subscribed(events.map((e) => e.type));
    if (channels.length === 0) return;
    const now = this.clock.now();
    const rows = events.flatMap((event) => {
      const payload = runPayload(
        { ...event, id: randomUUID(), occurredAt: now.toISOString() },
        run,
        { id: destination.id, name: destination.displayName },
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
