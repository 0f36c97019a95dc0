import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { WorkerThread } from '../common/worker-thread';
import type { Db } from '../database/db.service';
import { StageCanceled } from '../refresh/stage';
import { ChunkCursor } from './chunk-cursor';
import type { CompiledRule } from './rule-compiler';
import { CUSTOMER_ALIAS } from './segment-sql';

/** Customers (by SQLite rowid) scanned per statement: short enough to keep the API responsive. */
const SQLITE_CHUNK = 50_000;

/** Customer IDs a scan worker found, inserted into the stage per statement. */
const INSERT_IDS = 20_000;

export interface ScanOptions {
  signal?: AbortSignal;
  onProgress?: (scanned: number, total: number) => void;
  /** The SQLite database file, for a second reader; unset: the scan stays on this thread. */
  file?: string;
  /** Customers from which a second reader (a worker thread) shares the scan. */
  parallelFrom: number;
}

export interface ScanWorkerData {
  file: string;
  sql: string;
  params: unknown[];
  /** Rowid of chunk 0; chunk i covers [first + i·chunk, first + (i+1)·chunk). */
  first: number;
  chunk: number;
  cursor: SharedArrayBuffer;
}

export type ScanWorkerMessage = { ready: true } | { ids: string[] } | { done: true };

/** Who scanned what: chunks of {@link SQLITE_CHUNK} rowids, and those the worker took. */
export interface ScanFigures {
  chunks: number;
  workerChunks: number;
}

/**
 * SQLite: collects the customers matching `rule` into the connection's TEMP table
 * `segment_member_stage` under `evaluationId`, in chunks of rowids, each its own short
 * statement with an event-loop turn in between (no write transaction across an await; the API
 * keeps being served). On a large table a worker thread with a read-only connection takes
 * chunks too (most of the time is SQLite parsing each row's JSON, which then runs on two
 * cores); the IDs it finds are added to the stage at the end.
 */
export async function collectSqliteMatches(
  db: Db,
  evaluationId: string,
  rule: CompiledRule,
  options: ScanOptions,
): Promise<ScanFigures> {
  const [range] = await db.query<{ lo: number | null; hi: number | null; n: number }>(
    'SELECT MIN(rowid) AS lo, MAX(rowid) AS hi, COUNT(*) AS n FROM customer',
  );
  if (range.lo === null || range.hi === null) return { chunks: 0, workerChunks: 0 };
  const c = CUSTOMER_ALIAS;
  const matching = `FROM customer ${c} WHERE ${c}.rowid >= ? AND ${c}.rowid < ? AND (${rule.where})`;
  const stage = `INSERT INTO segment_member_stage (evaluation_id, customer_id)
    SELECT ?, ${c}.customer_id ${matching}`;
  const chunks = Math.ceil((range.hi - range.lo + 1) / SQLITE_CHUNK);
  const cursor = new ChunkCursor(chunks);
  const helper =
    options.file !== undefined && range.n >= options.parallelFrom
      ? new ScanHelper({
          file: options.file,
          sql: `SELECT ${c}.customer_id ${matching}`,
          params: rule.params,
          first: range.lo,
          chunk: SQLITE_CHUNK,
          cursor: cursor.buffer,
        })
      : undefined;
  let scanned = 0;
  const progress = () =>
    options.onProgress?.(
      Math.round((range.n * (scanned + (helper?.chunks ?? 0))) / chunks),
      range.n,
    );
  try {
    // The worker opens its connection first (tens of ms), so both threads start together.
    await helper?.ready;
    for (;;) {
      // better-sqlite3 is synchronous: without a real yield, timers (heartbeats), HTTP
      // requests and the worker's messages would wait for the whole evaluation.
      await yieldToEventLoop();
      if (options.signal?.aborted) throw new StageCanceled();
      const i = cursor.next();
      if (i < 0) break;
      const from = range.lo + i * SQLITE_CHUNK;
      await db.query(stage, [evaluationId, from, from + SQLITE_CHUNK, ...rule.params]);
      scanned++;
      progress();
    }
    if (!helper) return { chunks, workerChunks: 0 };
    const found = await helper.finished;
    progress();
    for (let i = 0; i < found.length; i += INSERT_IDS) {
      if (options.signal?.aborted) throw new StageCanceled();
      await db.query(
        'INSERT INTO segment_member_stage (evaluation_id, customer_id) SELECT ?, value FROM json_each(?)',
        [evaluationId, JSON.stringify(found.slice(i, i + INSERT_IDS))],
      );
      await yieldToEventLoop();
    }
    return { chunks, workerChunks: helper.chunks };
  } finally {
    cursor.close();
    await helper?.stop();
  }
}

const SCANNER = 'the segment scan worker';

/** The scan worker, seen from the main thread: the IDs it found, once it has finished. */
class ScanHelper {
  chunks = 0;
  readonly ready: Promise<void>;
  readonly finished: Promise<string[]>;
  /** Set when `finished` is made (its executor runs at once). */
  private worker!: WorkerThread<never, ScanWorkerMessage>;

  constructor(data: ScanWorkerData) {
    const found: string[] = [];
    let started = () => {};
    this.ready = new Promise<void>((resolve) => (started = resolve));
    this.finished = new Promise<string[]>((resolve, reject) => {
      this.worker = new WorkerThread(__dirname, 'segment-scan.worker', data, SCANNER, {
        message: (message) => {
          if ('ready' in message) {
            started();
          } else if ('done' in message) {
            resolve(found);
          } else {
            for (const id of message.ids) found.push(id);
            this.chunks++;
          }
        },
        failed: reject,
      });
    });
    // A worker that fails before it is ready fails the scan at once.
    this.ready = Promise.race([this.ready, this.finished.then(() => undefined)]);
    // Awaited only when the main thread's part succeeds; a failure there must not also
    // surface as an unhandled rejection.
    this.finished.catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }
}
