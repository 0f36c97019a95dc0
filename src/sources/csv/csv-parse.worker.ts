/**
 * The CSV parse worker: decodes, parses and maps an upload off the main thread, so that this
 * work overlaps with the sorting and database writes on the main thread (better-sqlite3
 * writes on the main thread). Started by {@link startParseWorker}; speaks the messages of
 * `parse-messages.ts`.
 *
 * Flow control both ways: the main thread sends bytes only while a few MiB are unconsumed;
 * this worker stops parsing while `batchesAhead` batches wait for the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvRecordReader } from './csv-record-reader';
import { PackedBatchBuilder, transferList } from './packed-batch';
import type { FromWorker, ParseWorkerData, ToWorker } from './parse-messages';

const port = parentPort;
if (!port) throw new Error('csv-parse.worker must run in a worker thread');
const data = workerData as ParseWorkerData;
const post = (message: FromWorker, transfer?: ArrayBuffer[]) => {
  port.postMessage(message, transfer);
};

let ahead = 0;
let ending = false;
let writable = true;
let finished = false;
let paused = false;
const batch = new PackedBatchBuilder();
const queue: Uint8Array[] = [];

const reader = new CsvRecordReader(data, {
  record: (record, line, maybeSeen) => {
    batch.add(record.key, record.fields, record.raw, record.lastModified, line, maybeSeen);
    if (batch.size >= data.batchSize) flush();
  },
  done: (rowsRead, rowsRejected, errors) => {
    flush();
    finished = true;
    post({ type: 'done', rowsRead, rowsRejected, errors });
  },
  failed: (message, line) => {
    finished = true;
    queue.length = 0;
    post({ type: 'failed', message, line });
  },
});

function flush(): void {
  if (batch.size === 0) return;
  const packed = batch.take();
  post({ type: 'batch', batch: packed }, transferList(packed));
  if (++ahead >= data.batchesAhead && !paused) {
    paused = true;
    reader.pause();
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
    case 'taken':
      if (--ahead < data.batchesAhead && paused) {
        paused = false;
        reader.resume();
      }
      break;
  }
});
