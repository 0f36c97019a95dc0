/**
 * The second record reader of a large SQLite unification run (see `parallel-read.ts`): with its
 * own read-only connection it reads the upper rowids of `source_record`, keeps the current
 * records in a {@link RecordTable} of its own (texts in shared memory) and computes their match
 * keys, as the main thread does for the lower rowids. It posts the keys in batches, then the
 * table, which the main thread appends without copying the texts. It writes nothing.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { FieldValues } from '../sources/customer-field';
import { compileRules } from './compiled-rules';
import { recordKeys } from './matcher';
import { PackedKeysBuilder, packedKeysTransfer, type PackedKeys } from './packed-keys';
import type { RecordReadMessage, RecordReadWorkerData } from './parallel-read';
import { RecordTable } from './record-table';
import { PAGE_ROWS, parseLastModified, SQLITE_RECORD_PAGE } from './snapshot-reader';

/** Records per keys message. */
const KEYS_BATCH = 10_000;

type Row = [
  id: number,
  sourceId: string,
  generation: number,
  key: string,
  fields: string,
  m: string | null,
];

const port = parentPort;
if (!port) throw new Error('record-read.worker must run in a worker thread');
const data = workerData as RecordReadWorkerData;

const db = new Database(data.file, { readonly: true, fileMustExist: true });
try {
  const current = new Map(
    data.sources.map((s, rank) => [s.id, { rank, generation: s.generation }]),
  );
  const rules = data.rules && compileRules(data.rules);
  const table = new RecordTable();
  const keys = new PackedKeysBuilder();
  const post = (message: RecordReadMessage, transfer: ArrayBuffer[] = []) => {
    port.postMessage(message, transfer);
  };
  const postKeys = (packed: PackedKeys) => {
    post({ keys: packed }, packedKeysTransfer(packed));
  };
  const select = db.prepare<unknown[], Row>(SQLITE_RECORD_PAGE).raw(true);
  let after = data.after;
  for (;;) {
    const rows = select.all(after, data.upTo, PAGE_ROWS);
    for (const [, sourceId, generation, key, fields, lastModified] of rows) {
      const source = current.get(sourceId);
      if (source?.generation !== generation) continue;
      table.add(source.rank, key, fields, parseLastModified(lastModified));
      if (!rules) continue;
      keys.add(recordKeys(rules, JSON.parse(fields) as FieldValues));
      if (keys.count >= KEYS_BATCH) postKeys(keys.take());
    }
    if (rows.length < PAGE_ROWS) break;
    after = rows[rows.length - 1][0];
  }
  if (keys.count > 0) postKeys(keys.take());
  const done = table.share();
  // The texts and their index arrays are shared memory; the two per-record arrays move.
  post({ done }, [done.source.buffer as ArrayBuffer, done.lastModified.buffer as ArrayBuffer]);
} finally {
  db.close();
}
