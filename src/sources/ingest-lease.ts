import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../common/app-error';
import type { Db } from '../database/db.service';

/** How long a lease lasts without renewal, and how often a running ingest renews it. */
export const LEASE_MS = 60_000;
const RENEW_MS = 15_000;

/**
 * The right to ingest into one source: one ingest per source at a time, across processes
 * (the API server and the CLI share the store). Kept in `source.ingest_token` with an expiry
 * that a timer pushes forward while the ingest runs, so a lease left by a killed process
 * expires within a minute and never blocks the source for good.
 */
export class IngestLease {
  private readonly timer: NodeJS.Timeout;
  private released = false;

  private constructor(
    private readonly db: Db,
    readonly sourceId: string,
    readonly token: string,
  ) {
    this.timer = setInterval(() => {
      this.renew().catch((error: unknown) => {
        new Logger('IngestLease').warn(
          `could not renew the ingest lease of source ${sourceId}: ${String(error)}`,
        );
      });
    }, RENEW_MS);
    this.timer.unref();
  }

  /** Takes the lease of a source, or throws CONFLICT while another ingest holds it. */
  static async claim(db: Db, sourceId: string, sourceName: string): Promise<IngestLease> {
    const token = randomUUID();
    const now = Date.now();
    const [changed] = await db.atomic([
      {
        sql: 'UPDATE source SET ingest_token = ?, ingest_lease_until = ? WHERE id = ? AND (ingest_token IS NULL OR ingest_lease_until < ?)',
        params: [token, now + LEASE_MS, sourceId, now],
      },
    ]);
    if (changed !== 1) {
      throw AppError.conflict(
        `an ingest of source "${sourceName}" is already running; try again when it has finished`,
      );
    }
    return new IngestLease(db, sourceId, token);
  }

  /** True while some ingest holds the source's lease. */
  static async isHeld(db: Db, sourceId: string): Promise<boolean> {
    const rows = await db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM source WHERE id = ? AND ingest_token IS NOT NULL AND ingest_lease_until >= ?',
      [sourceId, Date.now()],
    );
    return Number(rows[0]?.n ?? 0) > 0;
  }

  /** The statement that keeps the lease (also usable inside a transaction's statements). */
  renewStatement(): { sql: string; params: unknown[] } {
    return {
      sql: 'UPDATE source SET ingest_lease_until = ? WHERE id = ? AND ingest_token = ?',
      params: [Date.now() + LEASE_MS, this.sourceId, this.token],
    };
  }

  async renew(): Promise<void> {
    if (this.released) return;
    await this.db.atomic([this.renewStatement()]);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    await this.db.atomic([
      {
        sql: 'UPDATE source SET ingest_token = NULL, ingest_lease_until = NULL WHERE id = ? AND ingest_token = ?',
        params: [this.sourceId, this.token],
      },
    ]);
  }
}
