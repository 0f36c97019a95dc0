import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { IsNull, LessThan, Or, Repository } from 'typeorm';
import { AppError } from '@platform/errors/app-error';
import { Clock } from '@platform/clock/clock';
import type { CreateApiTokenDto } from './api-token.dto';
import { ApiToken } from './api-token.entity';
import type { Principal } from './principal';
import { generateToken, hashToken } from './token-hash';

/** Last use is written at most once a minute per token, so requests rarely write. */
const LAST_USE_STEP_MS = 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  role: ApiToken['role'];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired: boolean;
}

/** What a presented token proves: a principal, or why not. */
export type TokenCheck = { principal: Principal } | { refused: 'unknown' | 'expired' };

/**
 * Named API tokens: created with a role and an optional expiry, answered once, kept as their
 * SHA-256. Every request looks its token up in the store (no cache), so a revoked or expired
 * token is refused at once.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    @InjectRepository(ApiToken) private readonly repo: Repository<ApiToken>,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateApiTokenDto): Promise<ApiTokenView & { token: string }> {
    const name = dto.name.trim();
    if (name === '') throw AppError.validation('name', 'must not be blank');
    const now = this.clock.now();
    let expiresAt: string | null = null;
    if (dto.expiresAt !== undefined) {
      const at = new Date(dto.expiresAt);
      if (!(at.getTime() > now.getTime())) {
        throw AppError.validation('expiresAt', `must be in the future (got ${dto.expiresAt})`);
      }
      expiresAt = at.toISOString();
    }
    if (await this.repo.existsBy({ name })) throw nameTaken(name);
    const token = generateToken();
    const entity = this.repo.create({
      id: randomUUID(),
      name,
      role: dto.role,
      tokenHash: hashToken(token),
      createdAt: now.toISOString(),
      expiresAt,
      lastUsedAt: null,
    });
    try {
      await this.repo.insert(entity);
    } catch (error) {
      if (/unique|duplicate/i.test((error as Error).message)) throw nameTaken(name);
      throw error;
    }
    return { ...this.view(entity), token };
  }

  async list(): Promise<ApiTokenView[]> {
    const all = await this.repo.find({ order: { name: 'ASC' } });
    return all.map((t) => this.view(t));
  }

  async get(id: string): Promise<ApiTokenView> {
    const t = await this.repo.findOneBy({ id });
    if (!t) throw AppError.notFound('API token', id);
    return this.view(t);
  }

  async revoke(id: string): Promise<void> {
    const { affected } = await this.repo.delete({ id });
    if (!affected) throw AppError.notFound('API token', id);
  }

  /** Checks a presented token against the store and notes its use. */
  async check(token: string): Promise<TokenCheck> {
    const t = await this.repo.findOneBy({ tokenHash: hashToken(token) });
    if (!t) return { refused: 'unknown' };
    const now = this.clock.now();
    if (isExpired(t, now)) return { refused: 'expired' };
    const due = new Date(now.getTime() - LAST_USE_STEP_MS).toISOString();
    if (t.lastUsedAt === null || t.lastUsedAt < due) {
      // Conditional, so concurrent requests of one token write once.
      await this.repo.update(
        { id: t.id, lastUsedAt: Or(IsNull(), LessThan(due)) },
        { lastUsedAt: now.toISOString() },
      );
    }
    return { principal: { kind: 'api-token', id: t.id, name: t.name, role: t.role } };
  }

  private view(t: ApiToken): ApiTokenView {
    return {
      id: t.id,
      name: t.name,
      role: t.role,
      createdAt: t.createdAt,
      expiresAt: t.expiresAt,
      lastUsedAt: t.lastUsedAt,
      expired: isExpired(t, this.clock.now()),
    };
  }
}

function isExpired(t: ApiToken, now: Date): boolean {
  return t.expiresAt !== null && t.expiresAt <= now.toISOString();
}

function nameTaken(name: string): AppError {
  return AppError.validation(
    'name',
    `${JSON.stringify(name)} is already used by another API token`,
  );
}
