import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { LessThan, Repository } from 'typeorm';
import { AppConfig } from '@platform/config/app-config';
import { Clock } from '@platform/clock/clock';
import type { Role } from './principal';
import { hashToken } from './token-hash';
import { UserSession } from './user-session.entity';

/** Requests closer together than this do not write the session's last-seen time again. */
const TOUCH_EVERY_MS = 15_000;

export interface NewSession {
  /** The cookie's value: 32 random bytes (only their hash is stored). */
  id: string;
  session: UserSession;
}

/**
 * Server-side sessions of people signed in to the admin UI: created at sign-in, ended by
 * sign-out or after `SESSION_IDLE_MINUTES` without a request (sliding).
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectRepository(UserSession) private readonly repo: Repository<UserSession>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(person: {
    oid: string;
    name: string;
    username: string;
    role: Role;
  }): Promise<NewSession> {
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    const session = this.repo.create({
      idHash: hashToken(id),
      oid: person.oid,
      name: person.name.slice(0, 256),
      username: person.username.slice(0, 256),
      role: person.role,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    });
    await this.repo.insert(session);
    // Sessions idle long ago go here rather than on a timer: sign-ins are rare, and this keeps
    // the table small without a schedule of its own.
    await this.repo.delete({ lastSeenAt: LessThan(now - this.idleMs) });
    return { id, session };
  }

  /** The live session of a cookie value, its idle time pushed back; null when none. */
  async resolve(id: string): Promise<UserSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
    const session = await this.repo.findOneBy({ idHash: hashToken(id) });
    if (!session) return null;
    const now = this.clock.now().getTime();
    if (now - session.lastSeenAt > this.idleMs) {
      await this.repo.delete({ idHash: session.idHash });
      return null;
    }
    if (now - session.lastSeenAt >= TOUCH_EVERY_MS) {
      session.lastSeenAt = now;
      await this.repo.update({ idHash: session.idHash }, { lastSeenAt: now });
    }
    return session;
  }

  async end(id: string): Promise<void> {
    await this.repo.delete({ idHash: hashToken(id) });
  }

  /** Whether `sent` is the session's CSRF token (compared in constant time). */
  csrfMatches(session: UserSession, sent: string | undefined): boolean {
    if (sent === undefined) return false;
    const a = Buffer.from(sent);
    const b = Buffer.from(session.csrfToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  private get idleMs(): number {
    return this.config.SESSION_IDLE_MINUTES * 60_000;
  }
}
