import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db } from '@platform/database/db.service';
import { StageCanceled } from '@stages/contract/stage';
import type { CompiledRule } from './rule-compiler';
import { ruleTooSlow } from './rule-cost';
import { CUSTOMER_ALIAS } from './segment-sql';

/** What one statement of a scan aims to take: the longest the rest of the server waits. */
const CHUNK_MS = 50;
/** Customers (by rowid) in the first chunk: small, since a rule may cost milliseconds each. */
const FIRST_CHUNK = 64;
const MAX_CHUNK = 100_000;

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (scanned: number, total: number) => void;
  /** Past this many milliseconds the scan stops with a VALIDATION error (too costly). */
  timeLimitMs: number;
}

/**
 * SQLite: calls `chunk(from, to)` for consecutive ranges of customer rowids, [from, to), until
 * every customer is covered; `chunk` runs one statement over its range. better-sqlite3 is
 * synchronous and cannot interrupt a statement, so this is what keeps the server responsive:
 * each chunk is sized from the time the last one took to last about {@link CHUNK_MS}, with a
 * real event-loop turn in between (HTTP requests, heartbeats and cancels are served), however
 * costly the rule is per customer. Past `timeLimitMs` the scan stops (the rule is too costly).
 */
export async function scanSqliteCustomers(
  db: Db,
  options: ScanOptions,
  chunk: (from: number, to: number) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const [range] = await db.query<{ lo: number | null; hi: number | null; n: number }>(
    'SELECT MIN(rowid) AS lo, MAX(rowid) AS hi, COUNT(*) AS n FROM customer',
  );
  if (range.lo === null || range.hi === null) return;
  const rowids = range.hi - range.lo + 1;
  let span = FIRST_CHUNK;
  for (let from = range.lo; from <= range.hi;) {
    await yieldToEventLoop();
    if (options.signal?.aborted) throw new StageCanceled();
    if (performance.now() - started > options.timeLimitMs) throw ruleTooSlow(options.timeLimitMs);
    const before = performance.now();
    await chunk(from, from + span);
    const took = performance.now() - before;
    from += span;
    options.onProgress?.(
      Math.round((range.n * Math.min(rowids, from - range.lo)) / rowids),
      range.n,
    );
    // At most four times larger each time: a cheap first chunk says little about the rest.
    span = Math.max(1, Math.min(MAX_CHUNK, span * 4, Math.floor((span * CHUNK_MS) / took)));
  }
}

/**
 * SQLite: collects the customers matching `rule` into the connection's TEMP table
 * `segment_member_stage` under `evaluationId`, one `INSERT … SELECT` per chunk of rowids
 * ({@link scanSqliteCustomers}: no write transaction is held across an await).
 */
export async function collectSqliteMatches(
  db: Db,
  evaluationId: string,
  rule: CompiledRule,
  options: ScanOptions,
): Promise<void> {
  const c = CUSTOMER_ALIAS;
  const stage = `INSERT INTO segment_member_stage (evaluation_id, customer_id)
    SELECT ?, ${c}.customer_id FROM customer ${c}
    WHERE ${c}.rowid >= ? AND ${c}.rowid < ? AND (${rule.where})`;
  await scanSqliteCustomers(db, options, async (from, to) => {
    await db.query(stage, [evaluationId, from, to, ...rule.params]);
  });
}
