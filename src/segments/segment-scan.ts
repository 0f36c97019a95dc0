import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '../database/db.service';
import { StageCanceled } from '../refresh/stage';
import type { CompiledRule } from './rule-compiler';
import { CUSTOMER_ALIAS } from './segment-sql';

/** Customers (by SQLite rowid) scanned per statement: short enough to keep the API responsive. */
const SQLITE_CHUNK = 50_000;

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (scanned: number, total: number) => void;
}

/**
 * SQLite: collects the customers matching `rule` into the connection's TEMP table
 * `segment_member_stage` under `evaluationId` with one `INSERT … SELECT` per chunk of rowids,
 * with an event-loop turn in between (better-sqlite3 is synchronous: no write transaction is
 * held across an await, and the API, heartbeats and cancel requests keep being served).
 */
export async function collectSqliteMatches(
  db: Db,
  evaluationId: string,
  rule: CompiledRule,
  options: ScanOptions,
): Promise<void> {
  const [range] = await db.query<{ lo: number | null; hi: number | null; n: number }>(
    'SELECT MIN(rowid) AS lo, MAX(rowid) AS hi, COUNT(*) AS n FROM customer',
  );
  if (range.lo === null || range.hi === null) return;
  const c = CUSTOMER_ALIAS;
  const stage = `INSERT INTO segment_member_stage (evaluation_id, customer_id)
    SELECT ?, ${c}.customer_id FROM customer ${c}
    WHERE ${c}.rowid >= ? AND ${c}.rowid < ? AND (${rule.where})`;
  const span = range.hi - range.lo + 1;
  for (let from = range.lo; from <= range.hi; from += SQLITE_CHUNK) {
    await yieldToEventLoop();
    if (options.signal?.aborted) throw new StageCanceled();
    await db.query(stage, [evaluationId, from, from + SQLITE_CHUNK, ...rule.params]);
    const done = Math.min(span, from + SQLITE_CHUNK - range.lo);
    options.onProgress?.(Math.round((range.n * done) / span), range.n);
  }
}
