import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppError, type ErrorDetail } from '@platform/errors/app-error';
import { sameOrigin } from '@platform/http/url-origin';
import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { AddressPolicy, hostOf } from './address-policy';
import { ChannelSecrets } from './channel-secrets';
import { DeliveryOutbox } from './delivery-outbox';
import { EmailSender } from './email-sender';
import { NotificationChannel, type ChannelType } from './notification-channel.entity';
import { NotificationDispatcher } from './notification-dispatcher';
import type {
  CreateNotificationChannelDto,
  UpdateNotificationChannelDto,
} from './notification.dto';
import type { NotificationEventType, NotificationPayload } from './notification-events';
import {
  toChannelView,
  toDeliveryView,
  type DeliveryView,
  type NotificationChannelView,
} from './notification.view';

/** The values of a channel being saved, after merging an update into what is stored. */
interface Candidate {
  type: ChannelType;
  name?: string;
  url?: string;
  to?: string[];
  events: NotificationEventType[];
  /** Whether a secret will be stored (given now, or kept). */
  hasSecret: boolean;
}

/**
 * Notification channels: validated (a webhook's URL against the address policy, e-mail only
 * with SMTP configured), the webhook secret sealed; their delivery logs; a test message.
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectRepository(NotificationChannel)
    private readonly repo: Repository<NotificationChannel>,
    private readonly secrets: ChannelSecrets,
    private readonly outbox: DeliveryOutbox,
    private readonly dispatcher: NotificationDispatcher,
    private readonly policy: AddressPolicy,
    private readonly email: EmailSender,
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<NotificationChannelView[]> {
    const all = await this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return all.map(toChannelView);
  }

  async get(id: string): Promise<NotificationChannelView> {
    return toChannelView(await this.entity(id));
  }

  async entity(id: string): Promise<NotificationChannel> {
    const c = await this.repo.findOneBy({ id });
    if (!c) throw AppError.notFound('Notification channel', id);
    return c;
  }

  /** Channels that want any of these events. */
  async subscribed(events: NotificationEventType[]): Promise<NotificationChannel[]> {
    const all = await this.repo.find({ order: { createdAt: 'ASC', id: 'ASC' } });
    return all.filter((c) => c.events.some((e) => events.includes(e)));
  }

  async create(dto: CreateNotificationChannelDto): Promise<NotificationChannelView> {
    const candidate: Candidate = {
      type: dto.type,
      name: dto.name,
      url: dto.url,
      to: dto.to,
      events: dto.events,
      hasSecret: dto.secret !== undefined,
    };
    await this.check(candidate, dto);
    const entity = this.repo.create({
      id: randomUUID(),
      type: dto.type,
      name: candidate.name?.trim() || defaultName(candidate),
      config: configOf(candidate),
      events: dto.events,
      secret: null,
    });
    if (dto.secret !== undefined) entity.secret = this.secrets.seal(entity.id, dto.secret);
    await this.repo.save(entity);
    return this.get(entity.id);
  }

  async update(id: string, dto: UpdateNotificationChannelDto): Promise<NotificationChannelView> {
    const existing = await this.entity(id);
    if (dto.type !== undefined && dto.type !== existing.type) {
      throw AppError.validation(
        'type',
        `cannot change from "${existing.type}"; create a new channel instead`,
      );
    }
    const candidate: Candidate = {
      type: existing.type,
      name: dto.name ?? existing.name,
      url: dto.url ?? existing.config.url,
      to: dto.to ?? existing.config.to,
      events: dto.events ?? existing.events,
      hasSecret: dto.secret !== undefined || existing.secret !== null,
    };
    const problems: ErrorDetail[] = [];
    // The stored secret goes only to the host it was entered for.
    if (
      existing.type === 'webhook' &&
      dto.url !== undefined &&
      dto.secret === undefined &&
      !sameOrigin(dto.url, existing.config.url)
    ) {
      problems.push({
        path: 'secret',
        message:
          "is required again: the webhook's address changed (a stored secret is only sent to the address it was entered for)",
      });
    }
    await this.check(candidate, dto, problems);
    existing.name = candidate.name?.trim() || defaultName(candidate);
    existing.config = configOf(candidate);
    existing.events = candidate.events;
    if (dto.secret !== undefined) existing.secret = this.secrets.seal(id, dto.secret);
    await this.repo.save(existing);
    return this.get(id);
  }

  /** Deletes the channel and its delivery log (pending deliveries are not sent). */
  async remove(id: string): Promise<void> {
    await this.entity(id);
    await this.db.atomic([
      ...this.outbox.deleteChannelStatements(id),
      { sql: 'DELETE FROM notification_channel WHERE id = ?', params: [id] },
    ]);
  }

  async deliveries(id: string, limit: number, before?: string): Promise<DeliveryView[]> {
    await this.entity(id);
    return (await this.outbox.list(id, limit, before)).map(toDeliveryView);
  }

  /**
   * Sends a test event to the channel now and answers its delivery: `delivered`, or `pending`
   * with the error when it failed (it is then retried like any other).
   */
  async test(id: string): Promise<DeliveryView> {
    const channel = await this.entity(id);
    const now = this.clock.now();
    const payload: NotificationPayload = {
      id: randomUUID(),
      type: 'test',
      occurredAt: now.toISOString(),
      reason: `A test notification from Audience Sync to the channel "${channel.name}": it works.`,
      destination: null,
      run: null,
    };
    const [deliveryId] = await this.outbox.add(
      [
        {
          channelId: id,
          eventId: payload.id,
          eventType: payload.type,
          payload: JSON.stringify(payload),
        },
      ],
      now,
    );
    const queued = await this.outbox.get(deliveryId);
    const after = queued ? await this.dispatcher.attempt(queued) : undefined;
    if (!after) throw AppError.notFound('Delivery', deliveryId);
    return toDeliveryView(after);
  }

  private async check(
    c: Candidate,
    dto: { url?: string; secret?: string; to?: string[] },
    problems: ErrorDetail[] = [],
  ): Promise<void> {
    const other = (field: 'url' | 'secret' | 'to', type: string) =>
      problems.push({ path: field, message: `is only for ${type} channels` });
    if (c.type === 'webhook') {
      if (dto.to !== undefined) other('to', 'email');
      if (!c.hasSecret) problems.push({ path: 'secret', message: 'is required for a webhook' });
      if (!c.url) problems.push({ path: 'url', message: 'is required for a webhook' });
      else {
        const problem = await this.urlProblem(c.url);
        if (problem) problems.push({ path: 'url', message: problem });
      }
    } else {
      if (dto.url !== undefined) other('url', 'webhook');
      if (dto.secret !== undefined) other('secret', 'webhook');
      if (!c.to || c.to.length === 0) {
        problems.push({ path: 'to', message: 'is required for an e-mail channel' });
      }
      if (!this.email.configured) {
        problems.push({
          path: 'type',
          message:
            'e-mail channels need an SMTP server: set SMTP_URL (smtp://user:password@host:587) and restart',
        });
      }
    }
    if (problems.length > 0) throw AppError.validationMany(problems);
  }

  private async urlProblem(text: string): Promise<string | null> {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return 'is not a URL (e.g. https://hooks.example.com/audience-sync)';
    }
    const allowListed = this.policy.isAllowListed(hostOf(url));
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowListed)) {
      return 'must use https:// (http:// only for a host named in NOTIFY_ALLOWED_HOSTS)';
    }
    if (url.username || url.password) {
      return 'must not hold a user name or password; the body is signed with the secret instead';
    }
    const problem = await this.policy.problem(url);
    return problem ? `is refused: ${problem}` : null;
  }
}

function configOf(c: Candidate): NotificationChannel['config'] {
  return c.type === 'webhook' ? { url: c.url } : { to: c.to };
}

function defaultName(c: Candidate): string {
  if (c.type === 'webhook' && c.url) return `Webhook ${new URL(c.url).host}`;
  return `E-mail ${c.to?.[0] ?? ''}`.trim();
}
