import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '@platform/errors/app-error';
import type { Db } from '@platform/database/db.service';
import { toPostgresPlaceholders } from '@platform/database/sql-dialect';
import { PG_LOCK_HELD, PgLockSession } from './pg-lock-session';
import type { ProcessIdentity, ProcessRef } from './process-identity';
import { RunLockHandle } from './run-lock-handle';

/** SQLite: a holder that has not renewed its lock for this long is taken to be gone. */
export const LOCK_TTL_MS = 60_000;
/** How often held locks are renewed (SQLite) or their connection checked (PostgreSQL). */
export const LOCK_RENEW_MS = 10_000;

/** Who holds a lock. */
export interface LockHolder extends ProcessRef {
  name: string;
  /** What the holder said it runs (a refresh run id, "upload", …). */
  owner: string;
  acquiredAt: string;
}

export type LockAttempt =
  { acquired: true; handle: RunLockHandle } | { acquired: false; holder: LockHolder };

export interface RunLockOptions {
  now?: () => number;
  ttlMs?: number;
  renewMs?: number;
}

interface Row {
  name: string;
  token: string;
  owner: string;
  host: string;
  pid: number | string;
  boot_id: string;
  acquired_at: string;
  expires_at: number | string;
}

const COLUMNS = 'name, token, owner, host, pid, boot_id, acquired_at, expires_at';

/**
 * "One run at a time across processes" (the API server and the CLI share the database), for
 * ingests (`source:<id>`), unification (`unification`) and refresh (`refresh`).
 *
 * - PostgreSQL: a session-level advisory lock on a connection of its own (see
 *   {@link PgLockSession}); a holder that dies releases at once. `run_lock` names the holder.
 * - SQLite: the `run_lock` row is the lock, renewed by a heartbeat. It is taken over when its
 *   holder stopped renewing it for {@link LOCK_TTL_MS}, or ran on this host and its process is
 *   gone (or is an earlier start of this one).
 *
 * Within the process a held name is refused too. A holder fences its writes with
 * {@link RunLockHandle.heldSql}, so one whose lock was taken over cannot write any more.
 */
export class RunLocks implements BeforeApplicationShutdown {
  private readonly logger = new Logger('RunLocks');
  /** Names held or being taken by this instance. */
  private readonly local = new Map<string, LockHolder>();
  private readonly handles = new Map<string, RunLockHandle>();
  private session?: Promise<PgLockSession>;
  private timer?: NodeJS.Timeout;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly renewMs: number;

  constructor(
    private readonly db: Db,
    private readonly identity: ProcessIdentity,
    options: RunLockOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.ttlMs = options.ttlMs ?? LOCK_TTL_MS;
    this.renewMs = options.renewMs ?? LOCK_RENEW_MS;
  }

  /** Takes a lock, or answers who holds it. */
  async tryAcquire(name: string, owner: string): Promise<LockAttempt> {
    const taken = this.local.get(name);
    if (taken) return { acquired: false, holder: taken };
    const { host, pid, bootId } = this.identity.self;
    const holder: LockHolder = {
      name,
      owner,
      host,
      pid,
      bootId,
      acquiredAt: new Date(this.now()).toISOString(),
    };
    this.local.set(name, holder);
    try {
      const token = randomUUID();
      const other =
        this.db.kind === 'postgres'
          ? await this.acquirePostgres(holder, token)
          : await this.acquireSqlite(holder, token);
      if (other) {
        this.local.delete(name);
        return { acquired: false, holder: other };
      }
      const handle = new RunLockHandle(name, token, holder, this);
      this.handles.set(name, handle);
      this.startHeartbeat();
      return { acquired: true, handle };
    } catch (error) {
      this.local.delete(name);
      throw error;
    }
  }

  /** Takes a lock, or throws CONFLICT with the message `busy` while another run holds it. */
  async acquire(name: string, owner: string, busy: string): Promise<RunLockHandle> {
    const attempt = await this.tryAcquire(name, owner);
    if (attempt.acquired) return attempt.handle;
    throw AppError.conflict(busy);
  }

  /** The live holder of a lock, if any. */
  async holder(name: string): Promise<LockHolder | undefined> {
    return (await this.holders('r.name = ?', [name]))[0];
  }

  /** The names of the locks held (by anyone) that start with `prefix`. */
  async heldNames(prefix: string): Promise<string[]> {
    const holders = await this.holders('substr(r.name, 1, ?) = ?', [prefix.length, prefix]);
    return holders.map((h) => h.name);
  }

  /**
   * Gives back what is still held rather than leave it to expire (SQLite). This module is global,
   * so this runs after the features' own shutdown hooks (the runs stopping) and before the store
   * closes (`onApplicationShutdown`).
   */
  async beforeApplicationShutdown(): Promise<void> {
    for (const handle of [...this.handles.values()]) {
      await handle.release().catch(() => undefined);
    }
    this.stopHeartbeat();
    const session = this.session;
    this.session = undefined;
    if (session) await (await session.catch(() => undefined))?.close();
  }

  /** @internal Keeps a lock; answers false when it was lost (taken over, connection gone). */
  async renew(handle: RunLockHandle): Promise<boolean> {
    const sql = 'UPDATE run_lock SET expires_at = ? WHERE name = ? AND token = ?';
    const params = [this.now() + this.ttlMs, handle.name, handle.token];
    if (this.db.kind === 'postgres') {
      const session = await this.session?.catch(() => undefined);
      if (!session?.alive) return false;
      return (await session.run(toPostgresPlaceholders(sql), params).catch(() => 0)) === 1;
    }
    const [changed] = await this.db.atomic([{ sql, params }]);
    return changed === 1;
  }

  /** @internal */
  async release(handle: RunLockHandle): Promise<void> {
    if (this.handles.get(handle.name) === handle) {
      this.handles.delete(handle.name);
      this.local.delete(handle.name);
    }
    if (this.handles.size === 0) this.stopHeartbeat();
    await this.db.query('DELETE FROM run_lock WHERE name = ? AND token = ?', [
      handle.name,
      handle.token,
    ]);
    if (this.db.kind === 'postgres') {
      const session = await this.session?.catch(() => undefined);
      if (session?.alive) await session.unlock(handle.name).catch(() => undefined);
    }
  }

  /** Answers another holder, or undefined once the lock is this one's. */
  private async acquirePostgres(mine: LockHolder, token: string): Promise<LockHolder | undefined> {
    const session = await this.pgSession();
    if (!(await session.tryLock(mine.name))) {
      return (await this.holder(mine.name)) ?? { ...unknownHolder(mine.name) };
    }
    try {
      // Any row left is a dead holder's (its session, and so its lock, are gone).
      await session.run(
        toPostgresPlaceholders(
          `INSERT INTO run_lock (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET token = EXCLUDED.token, owner = EXCLUDED.owner,
             host = EXCLUDED.host, pid = EXCLUDED.pid, boot_id = EXCLUDED.boot_id,
             acquired_at = EXCLUDED.acquired_at, expires_at = EXCLUDED.expires_at`,
        ),
        this.rowValues(mine, token),
      );
    } catch (error) {
      await session.unlock(mine.name).catch(() => undefined);
      throw error;
    }
    return undefined;
  }

  private async acquireSqlite(mine: LockHolder, token: string): Promise<LockHolder | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const [inserted] = await this.db.atomic([
        {
          sql: `INSERT INTO run_lock (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING`,
          params: this.rowValues(mine, token),
        },
      ]);
      if (inserted === 1) return undefined;
      const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM run_lock WHERE name = ?`, [
        mine.name,
      ]);
      if (rows.length === 0) continue; // released in between: insert again
      if (!this.sqliteStale(rows[0])) return toHolder(rows[0]);
      // Take over the stale row, unless it changed hands meanwhile.
      const [swapped] = await this.db.atomic([
        {
          sql: `UPDATE run_lock SET token = ?, owner = ?, host = ?, pid = ?, boot_id = ?, acquired_at = ?, expires_at = ?
                WHERE name = ? AND token = ?`,
          params: [...this.rowValues(mine, token).slice(1), mine.name, rows[0].token],
        },
      ]);
      if (swapped === 1) {
        const was = toHolder(rows[0]);
        this.logger.warn(`took over lock "${mine.name}" from ${describe(was)}, which was gone`);
        return undefined;
      }
    }
    const current = await this.holder(mine.name);
    return current ?? unknownHolder(mine.name);
  }

  private sqliteStale(row: Row): boolean {
    return Number(row.expires_at) < this.now() || this.identity.processGone(toHolder(row));
  }

  private async holders(where: string, params: unknown[]): Promise<LockHolder[]> {
    const pg = this.db.kind === 'postgres';
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM run_lock r WHERE ${where}${pg ? ` AND ${PG_LOCK_HELD}` : ''} ORDER BY name`,
      params,
    );
    return rows.filter((r) => pg || !this.sqliteStale(r)).map(toHolder);
  }

  private rowValues(holder: LockHolder, token: string): unknown[] {
    return [
      holder.name,
      token,
      holder.owner.slice(0, 200),
      holder.host.slice(0, 255),
      holder.pid,
      holder.bootId,
      holder.acquiredAt,
      this.now() + this.ttlMs,
    ];
  }

  private pgSession(): Promise<PgLockSession> {
    const current = this.session;
    if (current) {
      return current.then(
        (s) => (s.alive ? s : this.openSession()),
        () => this.openSession(),
      );
    }
    return this.openSession();
  }

  private openSession(): Promise<PgLockSession> {
    const url = (this.db.dataSource.options as { url?: string }).url;
    if (!url) return Promise.reject(new Error('run locks need DATABASE_URL on PostgreSQL'));
    const opening = PgLockSession.open(url, this.identity.self, (error) => {
      this.sessionLost(error);
    });
    this.session = opening;
    return opening;
  }

  /** The lock connection broke: every lock it held is gone (others may take them now). */
  private sessionLost(error: unknown): void {
    if (this.handles.size === 0) return;
    this.logger.error(`the run-lock connection was lost (${String(error)}); held locks are gone`);
    for (const handle of [...this.handles.values()]) handle.markLost();
  }

  private startHeartbeat(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat(), this.renewMs);
    this.timer.unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    for (const handle of [...this.handles.values()]) {
      await handle.renew().catch((error: unknown) => {
        this.logger.warn(`could not renew lock "${handle.name}": ${String(error)}`);
      });
    }
  }
}

function toHolder(row: Row): LockHolder {
  return {
    name: row.name,
    owner: row.owner,
    host: row.host,
    pid: Number(row.pid),
    bootId: row.boot_id,
    acquiredAt: row.acquired_at,
  };
}

function unknownHolder(name: string): LockHolder {
  return { name, owner: 'unknown', host: 'unknown', pid: 0, bootId: '', acquiredAt: '' };
}

function describe(holder: LockHolder): string {
  return `${holder.host} (pid ${holder.pid}) since ${holder.acquiredAt}`;
}
