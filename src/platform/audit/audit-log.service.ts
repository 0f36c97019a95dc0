import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, LessThan, Repository } from 'typeorm';
import type { Principal } from '@platform/auth/principal';
import { Clock } from '@platform/clock/clock';
import { AuditEntry } from './audit-entry.entity';
import { redactSecrets } from './redact';

export interface AuditEvent {
  /** Who; null when nobody was identified (a failed sign-in). */
  actor: Principal | null;
  /** What was done: `create`, `update`, `delete`, `cancel`, `approve`, `sign-in`, … */
  action: string;
  /** The kind of thing it was done to: `destination`, `segment`, `api-token`, `session`, … */
  entity: string;
  entityId?: string | null;
  /** The entity before and after; secrets are redacted here, whatever the caller passes. */
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export interface AuditEntryView {
  id: number;
  at: string;
  actor: { kind: string; id: string; name: string } | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditPage {
  items: AuditEntryView[];
  /** `after` for the next (older) page; null on the last page. */
  next: string | null;
}

export interface AuditQuery {
  /** An actor's id or name. */
  actor?: string;
  entity?: string;
  entityId?: string;
  limit: number;
  /** Entries older than this entry id (the previous page's `next`). */
  after?: number;
}

/**
 * The audit log: append-only entries, newest first. `record` is the one way in (the audit
 * interceptor for API changes; sign-ins call it directly).
 */
@Injectable()
export class AuditLog {
  constructor(
    @InjectRepository(AuditEntry) private readonly repo: Repository<AuditEntry>,
    private readonly clock: Clock,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.repo.insert({
      at: this.clock.iso(),
      actorKind: event.actor?.kind ?? null,
      actorId: event.actor?.id ?? null,
      actorName: event.actor?.name ?? null,
      action: event.action,
      entity: event.entity,
      entityId: event.entityId ?? null,
      beforeJson: toJson(event.before),
      afterJson: toJson(event.after),
      ip: event.ip ?? null,
    });
  }

  async page(query: AuditQuery): Promise<AuditPage> {
    const q = this.repo
      .createQueryBuilder('e')
      .orderBy('e.id', 'DESC')
      .take(query.limit + 1);
    if (query.actor !== undefined) {
      const actor = query.actor;
      q.andWhere(
        new Brackets((w) =>
          w.where('e.actor_id = :actor', { actor }).orWhere('e.actor_name = :actor', { actor }),
        ),
      );
    }
    if (query.entity !== undefined) q.andWhere('e.entity = :entity', { entity: query.entity });
    if (query.entityId !== undefined) {
      q.andWhere('e.entity_id = :entityId', { entityId: query.entityId });
    }
    if (query.after !== undefined) q.andWhere('e.id < :after', { after: query.after });
    const rows = await q.getMany();
    const items = rows.slice(0, query.limit).map(toView);
    return {
      items,
      next: rows.length > query.limit ? String(items[items.length - 1].id) : null,
    };
  }

  /** Deletes the entries recorded before `cutoff`; answers how many. */
  async purgeBefore(cutoff: Date): Promise<number> {
    const { affected } = await this.repo.delete({ at: LessThan(cutoff.toISOString()) });
    return affected ?? 0;
  }
}

function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(redactSecrets(value));
}

function toView(e: AuditEntry): AuditEntryView {
  return {
    id: Number(e.id),
    at: e.at,
    actor:
      e.actorId !== null
        ? { kind: e.actorKind ?? '', id: e.actorId, name: e.actorName ?? '' }
        : null,
    action: e.action,
    entity: e.entity,
    entityId: e.entityId,
    before: e.beforeJson === null ? null : JSON.parse(e.beforeJson),
    after: e.afterJson === null ? null : JSON.parse(e.afterJson),
    ip: e.ip,
  };
}
