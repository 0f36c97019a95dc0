import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from '../database/db.service';
import { storedTime } from './snapshot-reader';

/** Who holds the lease, as stored (JSON in `app_setting`). */
export interface LeaseHolder {
  owner: string;
  host: string;
  pid: number;
  startedAt: string;
  heartbeatAt: number;
}

/** A holder that has not renewed its lease for this long is taken to be gone. */
export const LEASE_STALE_MS = 90_000;
const HEARTBEAT_MS = 15_000;

/** One per process: tells this process's leases from those of an earlier one with the same pid. */
const BOOT_ID = randomUUID();

export type LeaseAttempt =
  { acquired: true; release: () => Promise<void> } | { acquired: false; holder: LeaseHolder };

/**
 * "One at a time" across processes (the API server and the CLI share the database): a row in
 * `app_setting` taken with a conditional insert, renewed by a heartbeat, and released at the
 * end. A holder that crashed does not block forever: its lease is taken over once its heartbeat
 * is stale, or at once when it ran on this host and its process is gone.
 */
export class RunLease {
  constructor(
    private readonly db: Db,
    private readonly key: string,
    private readonly clock: () => number = Date.now,
  ) {}

  async tryAcquire(): Promise<LeaseAttempt> {
    const mine: LeaseHolder = {
      owner: `${hostname()}:${process.pid}:${BOOT_ID}:${randomUUID()}`,
      host: hostname(),
      pid: process.pid,
      startedAt: new Date(this.clock()).toISOString(),
      heartbeatAt: this.clock(),
    };
    let value = JSON.stringify(mine);
    let acquired = false;
    for (let attempt = 0; attempt < 3 && !acquired; attempt++) {
      if (await this.insertIfAbsent(value)) {
        acquired = true;
        break;
      }
      const current = await this.read();
      if (!current) continue; // released in between: try the insert again
      if (!this.isStale(current.holder)) return { acquired: false, holder: current.holder };
      acquired = await this.swap(current.raw, value);
    }
    if (!acquired) {
      const current = await this.read();
      return {
        acquired: false,
        holder: current?.holder ?? { ...mine, owner: 'unknown', host: 'unknown', pid: 0 },
      };
    }
    // The heartbeat in flight, awaited before release (else release could delete the old value
    // while the row already holds the new one, and the lease would outlive the run).
    let beat: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      const next = JSON.stringify({ ...mine, heartbeatAt: this.clock() });
      beat = beat.then(() =>
        this.swap(value, next).then(
          (ok) => {
            if (ok) value = next;
          },
          () => undefined,
        ),
      );
    }, HEARTBEAT_MS);
    timer.unref();
    return {
      acquired: true,
      release: async () => {
        clearInterval(timer);
        await beat;
        await this.db.query('DELETE FROM app_setting WHERE key = ? AND value = ?', [
          this.key,
          value,
        ]);
      },
    };
  }

  /** The current holder, if any. */
  async holder(): Promise<LeaseHolder | undefined> {
    const current = await this.read();
    return current && !this.isStale(current.holder) ? current.holder : undefined;
  }

  private isStale(holder: LeaseHolder): boolean {
    if (this.clock() - holder.heartbeatAt > LEASE_STALE_MS) return true;
    if (holder.host !== hostname()) return false;
    if (holder.pid === process.pid) return !holder.owner.includes(BOOT_ID);
    return !processAlive(holder.pid);
  }

  private async read(): Promise<{ raw: string; holder: LeaseHolder } | undefined> {
    const rows = await this.db.query<{ value: string }>(
      'SELECT value FROM app_setting WHERE key = ?',
      [this.key],
    );
    if (rows.length === 0) return undefined;
    try {
      return { raw: rows[0].value, holder: JSON.parse(rows[0].value) as LeaseHolder };
    } catch {
      return {
        raw: rows[0].value,
        holder: { owner: '?', host: '?', pid: 0, startedAt: '', heartbeatAt: 0 },
      };
    }
  }

  private async insertIfAbsent(value: string): Promise<boolean> {
    const [inserted] = await this.db.atomic(
      this.db.insertRows(
        'app_setting',
        ['key', 'value', 'updated_at'],
        [[this.key, value, this.now()]],
        { suffix: 'ON CONFLICT (key) DO NOTHING' },
      ),
    );
    return inserted === 1;
  }

  private async swap(from: string, to: string): Promise<boolean> {
    const [changed] = await this.db.atomic([
      {
        sql: 'UPDATE app_setting SET value = ?, updated_at = ? WHERE key = ? AND value = ?',
        params: [to, this.now(), this.key, from],
      },
    ]);
    return changed === 1;
  }

  private now(): string {
    return storedTime(new Date(this.clock()));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
