/**
 * The CSV parse worker: decodes, parses, maps and sorts an upload off the main thread, so
 * that this work overlaps with the database writes (better-sqlite3 writes on the main
 * thread). Started by {@link startParseWorker}; speaks the messages of `parse-messages.ts`.
 *
 * Flow control both ways: the main thread sends bytes only while a few MiB are unconsumed;
 * this worker sends at most `batchesAhead` batches before the main thread confirms their
 * writes, and stops parsing while two sorted runs wait to be sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvRecordReader } from './csv-record-reader';
import type { FromWorker, ParseWorkerData, RowError, ToWorker } from './parse-messages';
import { SortedRuns } from './sorted-runs';

const port = parentPort;
if (!port) throw new Error('csv-parse.worker must run in a worker thread');
const data = workerData as ParseWorkerData;
const post = (message: FromWorker) => {
  port.postMessage(message);
};

const runs = new SortedRuns(data.runSize, data.batchSize);
let ahead = 0;
let ending = false;
let writable = true;
let finished = false;
let paused = false;
let result: { rowsRead: number; rowsRejected: number; errors: RowError[] } | null = null;
const queue: Uint8Array[] = [];

const reader = new CsvRecordReader(data, {
  record: (record, line, maybeSeen) => {
    runs.add(record, line, maybeSeen);
    if (runs.full) {
      runs.seal();
      sendBatches();
    }
  },
  done: (rowsRead, rowsRejected, errors) => {
    runs.seal();
    runs.errors.addAll(errors);
    result = { rowsRead, rowsRejected: rowsRejected + runs.duplicates, errors: runs.errors.list() };
    sendBatches();
  },
  failed: (message, line) => {
    finished = true;
    queue.length = 0;
    post({ type: 'failed', message, line });
  },
});

/** Sends what the main thread has room for; parses on while at most one run waits. */
function sendBatches(): void {
  if (finished) return;
  while (ahead < data.batchesAhead) {
    const batch = runs.nextBatch();
    if (!batch) break;
    post({ type: 'batch', batch });
    ahead++;
  }
  if (result && runs.pending === 0) {
    finished = true;
    post({ type: 'done', ...result });
    return;
  }
  const wait = runs.pending >= 2;
  if (wait !== paused) {
    paused = wait;
    if (wait) reader.pause();
    else reader.resume();
  }
}

function pump(): void {
  while (writable && !finished && queue.length > 0) {
    const bytes = queue.shift() as Uint8Array;
    writable = reader.write(bytes);
    post({ type: 'consumed', bytes: bytes.length });
    if (!writable) {
      reader.onceDrain(() => {
        writable = true;
        pump();
      });
    }
  }
  if (ending && writable && !finished && queue.length === 0) {
    ending = false;
    reader.end();
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'bytes':
      queue.push(message.bytes);
      pump();
      break;
    case 'end':
      ending = true;
      pump();
      break;
    case 'written':
      ahead--;
      sendBatches();
      break;
  }
});
