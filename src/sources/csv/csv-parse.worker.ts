/**
 * A CSV parse worker: decodes, parses and maps an upload off the main thread, so that this
 * work overlaps with the sorting and database writes on the main thread (better-sqlite3
 * writes on the main thread). Started by {@link startParseWorker}; speaks the messages of
 * `parse-messages.ts`, in one of two ways:
 *
 * - a stream of the whole file (`bytes`, `end`): flow control both ways, the main thread sends
 *   bytes only while a few MiB are unconsumed, this worker stops parsing while `batchesAhead`
 *   batches wait for the main thread;
 * - pieces of the file that start at a record (`segment`, see `segment-parse.ts`), several
 *   workers at once: each piece is parsed on its own and answered with one batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../../common/thread-priority';
import { CsvRecordReader } from './csv-record-reader';
import { PackedBatchBuilder, transferList } from './packed-batch';
import type { FromWorker, ParseWorkerData, ToWorker } from './parse-messages';

const port = parentPort;
if (!port) throw new Error('csv-parse.worker must run in a worker thread');
const data = workerData as ParseWorkerData;
// Pieces are parsed ahead by several workers while the main thread writes them in order: when
// the three compete for two cores, the main thread (the one that cannot be split) goes first.
if (data.background) lowerThreadPriority();
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

/** The reader of a streamed file: made by its first bytes (a worker given pieces has none). */
let streamReader: CsvRecordReader | undefined;
function reader(): CsvRecordReader {
  return (streamReader ??= new CsvRecordReader(data, {
    record: (record, line) => {
      batch.add(record.key, record.fields, record.raw, record.lastModified, line);
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
  }));
}

function flush(): void {
  if (batch.size === 0) return;
  const packed = batch.take();
  post({ type: 'batch', batch: packed }, transferList(packed));
  if (++ahead >= data.batchesAhead && !paused) {
    paused = true;
    reader().pause();
  }
}

function pump(): void {
  while (writable && !finished && queue.length > 0) {
    const bytes = queue.shift() as Uint8Array;
    writable = reader().write(bytes);
    post({ type: 'consumed', bytes: bytes.length });
    if (!writable) {
      reader().onceDrain(() => {
        writable = true;
        pump();
      });
    }
  }
  if (ending && writable && !finished && queue.length === 0) {
    ending = false;
    reader().end();
  }
}

/** Parses one piece of the file (it starts at a record) and answers with all its records. */
function parseSegment(segment: Extract<ToWorker, { type: 'segment' }>): void {
  const { id, attempt } = segment;
  const records = new PackedBatchBuilder();
  const piece = new CsvRecordReader(
    data,
    {
      record: (record, line) => {
        records.add(record.key, record.fields, record.raw, record.lastModified, line);
      },
      done: (rowsRead, rowsRejected, errors) => {
        const packed = records.take();
        const header = segment.header ? undefined : piece.headerValues;
        const parsed = {
          batch: packed,
          lines: piece.lines,
          header,
          rowsRead,
          rowsRejected,
          errors,
        };
        post({ type: 'segment', id, attempt, parsed }, transferList(packed));
      },
      failed: (message, line, openQuote) => {
        post({ type: 'segment', id, attempt, failed: { message, line, openQuote: !!openQuote } });
      },
    },
    { header: segment.header },
  );
  piece.write(segment.bytes);
  piece.end();
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'segment':
      parseSegment(message);
      break;
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
        reader().resume();
      }
      break;
  }
});
