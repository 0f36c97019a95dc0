import {
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '@platform/config/app-config';
import { Clock } from '@platform/clock/clock';
import { Scheduler } from '@platform/schedule/scheduler';
import { ChannelSecrets } from './channel-secrets';
import { MAX_ATTEMPTS, retryDelayMs } from './delivery-backoff';
import { DeliveryOutbox, type Delivery } from './delivery-outbox';
import { EmailSender } from './email-sender';
import { NotificationChannel } from './notification-channel.entity';
import type { NotificationPayload } from './notification-events';
import { WebhookSender, type SendOutcome } from './webhook-sender';

const JOB = 'notifications.deliveries';
/** How long an attempt holds its delivery: past it, another process may try it again. */
const CLAIM_MS = 120_000;
/** Deliveries taken per poll. */
const BATCH = 20;

/**
 * Sends what is due in the outbox: polled by the {@link Scheduler} (in the API server only, not
 * the CLI) and woken at once when an event is written. A failed attempt is due again after
 * {@link retryDelayMs}; after {@link MAX_ATTEMPTS}, or at once when retrying cannot help (an
 * address refused by the policy), the delivery is `failed`.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Notifications');
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: DeliveryOutbox,
    @InjectRepository(NotificationChannel)
    private readonly channels: Repository<NotificationChannel>,
    private readonly secrets: ChannelSecrets,
    private readonly webhooks: WebhookSender,
    private readonly email: EmailSender,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    const poll = Math.min(1_000, this.config.NOTIFY_RETRY_BASE_MS);
    this.scheduler.every(JOB, poll, () => this.deliverDue());
  }

  /** After the exports have stopped (their hooks run before this one): the last events are in the outbox. */
  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.scheduler.remove(JOB);
    await this.running;
    await this.webhooks.close();
    this.email.close();
  }

  /** Sends what is due now, soon (in the background); never in a process without schedules. */
  kick(): void {
    if (!this.scheduler.active || this.stopped) return;
    void this.deliverDue();
  }

  /** Sends every due delivery; a call while one runs makes it go round once more. */
  deliverDue(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          for (;;) {
            const due = await this.outbox.due(this.clock.now().getTime(), BATCH);
            for (const d of due) await this.attempt(d);
            if (due.length < BATCH || this.stopped) break;
          }
        } while (this.goAgain());
      } catch (error) {
        this.logger.error(`Delivering notifications failed: ${(error as Error).message}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** Whether an event came while the last round ran (checked after awaits). */
  private goAgain(): boolean {
    return this.again && !this.stopped;
  }

  /** One attempt at a delivery, if this process gets it; answers the delivery as it stands. */
  async attempt(d: Delivery): Promise<Delivery | undefined> {
    const now = this.clock.now();
    if (!(await this.outbox.claim(d, now.getTime() + CLAIM_MS, now.toISOString()))) {
      return this.outbox.get(d.id);
    }
    const channel = await this.channels.findOneBy({ id: d.channelId });
    let outcome: SendOutcome;
    try {
      outcome = channel
        ? await this.send(channel, d)
        : { ok: false, responseCode: null, error: 'the channel was deleted', permanent: true };
    } catch (error) {
      outcome = { ok: false, responseCode: null, error: (error as Error).message };
    }
    const attempts = d.attempts + 1;
    const done = this.clock.now();
    const giveUp = !outcome.ok && (outcome.permanent === true || attempts >= MAX_ATTEMPTS);
    await this.outbox.record(d.id, {
      status: outcome.ok ? 'delivered' : giveUp ? 'failed' : 'pending',
      retryAt:
        outcome.ok || giveUp
          ? undefined
          : done.getTime() + retryDelayMs(attempts, this.config.NOTIFY_RETRY_BASE_MS),
      error: outcome.error,
      responseCode: outcome.responseCode,
      at: done.toISOString(),
    });
    if (!outcome.ok) {
      this.logger.warn(
        `Notification ${d.eventType} (${d.eventId}) to channel "${channel?.name ?? d.channelId}" failed, attempt ${attempts}${giveUp ? ', given up' : ''}: ${outcome.error ?? 'unknown error'}`,
      );
    }
    return this.outbox.get(d.id);
  }

  private async send(channel: NotificationChannel, d: Delivery): Promise<SendOutcome> {
    switch (channel.type) {
      case 'webhook': {
        const secret = this.secrets.open(channel);
        if (!channel.config.url || secret === null) {
          return { ok: false, responseCode: null, error: 'no URL or secret', permanent: true };
        }
        return this.webhooks.send(
          channel.config.url,
          secret,
          { id: d.eventId, type: d.eventType },
          d.payload,
        );
      }
      case 'email':
        return this.email.send(
          channel.config.to ?? [],
          JSON.parse(d.payload) as NotificationPayload,
        );
    }
  }
}
