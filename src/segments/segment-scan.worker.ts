/**
 * A second reader for SQLite segment evaluation: with its own read-only connection to the
 * database file, it runs the segment's SELECT over the rowid chunks it takes from the shared
 * {@link ChunkCursor} while the main thread scans the others, so a large customer table is
 * filtered on two cores. Posts `{ ids }` per chunk, then `{ done: true }`. It writes nothing.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { ChunkCursor } from './chunk-cursor';
import type { ScanWorkerData, ScanWorkerMessage } from './segment-scan';
import { FOLD_FUNCTION, foldSqlValue } from './text-fold';

const port = parentPort;
if (!port) throw new Error('segment-scan.worker must run in a worker thread');
const data = workerData as ScanWorkerData;
const post = (message: ScanWorkerMessage) => {
  port.postMessage(message);
};

const db = new Database(data.file, { readonly: true, fileMustExist: true });
try {
  db.function(
    FOLD_FUNCTION,
    { deterministic: true },
    (value: unknown) => foldSqlValue(value) as string,
  );
  const select = db.prepare<unknown[], string>(data.sql).pluck();
  const cursor = new ChunkCursor(data.cursor);
  post({ ready: true });
  for (let i = cursor.next(); i >= 0; i = cursor.next()) {
    const from = data.first + i * data.chunk;
    post({ ids: select.all(from, from + data.chunk, ...data.params) });
  }
  post({ done: true });
} finally {
  db.close();
}
