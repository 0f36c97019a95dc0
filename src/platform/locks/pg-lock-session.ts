import { Client } from 'pg';
import type { ProcessRef } from './process-identity';

/** The 64-bit advisory-lock key of a lock name, computed by the server. */
const KEY = 'hashtextextended($1, 0)';

/**
 * The dedicated PostgreSQL connection that holds this process's run locks: session-level
 * advisory locks live exactly as long as it, so a process that dies (or whose connection
 * breaks) gives its locks up at once. Not from the pool: a pooled connection is shared and
 * recycled, and a lock taken on it would outlive its holder or vanish under it.
 */
export class PgLockSession {
  private dead = false;
  /** One statement at a time: a pg client must not be given a query while one runs. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly client: Client,
    onLost: (error: unknown) => void,
  ) {
    const lost = (error: unknown) => {
      if (this.dead) return;
      this.dead = true;
      onLost(error);
    };
    client.on('error', lost);
    client.on('end', () => {
      lost(new Error('the lock connection closed'));
    });
  }

  static async open(
    url: string,
    self: ProcessRef,
    onLost: (error: unknown) => void,
  ): Promise<PgLockSession> {
    const client = new Client({
      connectionString: url,
      application_name: lockSessionName(self),
      keepAlive: true,
    });
    await client.connect();
    const session = new PgLockSession(client, onLost);
    // The server notices a vanished client host within about a minute, not two hours.
    await client.query(
      'SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3',
    );
    return session;
  }

  get alive(): boolean {
    return !this.dead;
  }

  async tryLock(name: string): Promise<boolean> {
    const { rows } = await this.query<{ ok: boolean }>(
      `SELECT pg_try_advisory_lock(${KEY}) AS ok`,
      [name],
    );
    return rows[0]?.ok;
  }

  async unlock(name: string): Promise<void> {
    await this.query(`SELECT pg_advisory_unlock(${KEY})`, [name]);
  }

  /** Runs a statement on this connection (so it fails once the connection, and its locks, are gone). */
  async run(sql: string, params: unknown[]): Promise<number> {
    return (await this.query(sql, params)).rowCount ?? 0;
  }

  private query<R extends object>(sql: string, params: unknown[]) {
    const result = this.queue.then(() => this.client.query<R>(sql, params));
    this.queue = result.catch(() => undefined);
    return result;
  }

  async close(): Promise<void> {
    this.dead = true;
    await this.client.end().catch(() => undefined);
  }
}

/** The session's `application_name`: shows in `pg_stat_activity` which process holds locks. */
export function lockSessionName(self: ProcessRef): string {
  return `audience-sync locks ${self.host.slice(0, 20)} ${self.pid} ${self.bootId.slice(0, 8)}`;
}

/**
 * SQL true while some session holds the advisory lock of `run_lock.name` (alias `r`): a
 * 64-bit key shows in `pg_locks` as classid (high 32 bits) and objid (low 32 bits), objsubid 1.
 */
export const PG_LOCK_HELD = `EXISTS (SELECT 1 FROM pg_locks l
  WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.classid::bigint = ((hashtextextended(r.name, 0) >> 32) & 4294967295)
    AND l.objid::bigint = (hashtextextended(r.name, 0) & 4294967295))`;
