import { finished, type Readable } from 'node:stream';
import type { ReplaceSession, SourceRecordInput } from '../record-writer';
import { ErrorList } from './error-list';
import type { FromWorker, ParseWorkerData, RecordBatch, RowError } from './parse-messages';
import { duplicateMessage } from './sorted-runs';
import { startParseWorker } from './parse-worker-host';

/** Figures of a CSV file read into a new generation (not yet published). */
export interface CsvIngestResult {
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  /** The first row errors, by line. */
  errors: RowError[];
}

/** The file as a whole is refused (header, encoding, unparsable): nothing was stored. */
export class CsvFileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}

/** Unconsumed bytes the main thread lets the worker have before it stops reading the input. */
const BYTES_IN_FLIGHT = 4 * 1024 * 1024;

/**
 * Streams a CSV file into a {@link ReplaceSession}: the bytes go to a parse worker (decode,
 * parse, map, sort by key in runs), its batches of records come back and are written one
 * `Db.atomic` each, in order, while the worker parses the next ones. Memory stays bounded by
 * flow control in both directions (a few MiB of bytes, two runs of records).
 *
 * Duplicate primary keys: the first row of a key is kept, later ones are rejected. Within a
 * run the worker finds them by sorting; across runs, it flags keys its Bloom filter may have
 * seen, and only those are checked here, against the rows already written.
 */
export async function ingestCsv(
  input: Readable,
  data: Pick<ParseWorkerData, 'plan' | 'options'>,
  session: ReplaceSession,
  tuning: Partial<Pick<ParseWorkerData, 'batchSize' | 'batchesAhead' | 'runSize'>> = {},
): Promise<CsvIngestResult> {
  const worker = startParseWorker({
    ...data,
    batchSize: tuning.batchSize ?? 2_500,
    batchesAhead: tuning.batchesAhead ?? 3,
    runSize: tuning.runSize ?? 100_000,
  });
  let settled = false;
  let inFlight = 0;
  let room: (() => void) | null = null;
  let writes: Promise<void> = Promise.resolve();
  const duplicates = new ErrorList();
  let duplicateCount = 0;

  const result = new Promise<CsvIngestResult>((resolve, reject) => {
    const wakeInput = () => {
      const wake = room;
      room = null;
      wake?.();
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      wakeInput();
      reject(error instanceof Error ? error : new Error(String(error)));
    };

    const writeBatch = async (batch: RecordBatch) => {
      const rejected = batch.maybeSeen.length > 0 ? await findDuplicates(batch, session) : null;
      const records: SourceRecordInput[] = [];
      for (let i = 0; i < batch.keys.length; i++) {
        if (rejected?.has(i)) {
          duplicateCount++;
          duplicates.add(batch.lines[i], duplicateMessage(batch.keys[i]));
          continue;
        }
        records.push({
          key: batch.keys[i],
          fields: batch.fields[i],
          raw: batch.raw[i],
          lastModified: batch.lastModified[i],
        });
      }
      await session.write(records);
    };

    worker.on('message', (message: FromWorker) => {
      if (settled) return;
      switch (message.type) {
        case 'consumed':
          inFlight -= message.bytes;
          if (inFlight < BYTES_IN_FLIGHT && room) wakeInput();
          break;
        case 'batch':
          writes = writes
            .then(() => writeBatch(message.batch))
            .then(() => {
              if (!settled) worker.postMessage({ type: 'written' });
            });
          writes.catch(fail);
          break;
        case 'done':
          writes
            .then(() => {
              if (settled) return;
              settled = true;
              duplicates.addAll(message.errors);
              const errors = duplicates.list();
              resolve({
                rowsRead: message.rowsRead,
                rowsStored: session.rows,
                rowsRejected: message.rowsRejected + duplicateCount,
                errors,
              });
            })
            .catch(fail);
          break;
        case 'failed':
          fail(new CsvFileError(message.message, message.line));
          break;
      }
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(`the CSV parse worker stopped unexpectedly (exit code ${code})`));
    });

    // Events rather than async iteration: leaving a `for await` early would destroy the
    // input, and with it the HTTP connection the error answer has to go out on. After a
    // failure the rest of the input is read and dropped.
    input.on('data', (chunk: Buffer) => {
      if (settled) return;
      // A chunk is often a view into a larger buffer, which postMessage would copy whole:
      // copy just its bytes and hand the copy over without another copy.
      const bytes = new Uint8Array(chunk.length);
      bytes.set(chunk);
      worker.postMessage({ type: 'bytes', bytes }, [bytes.buffer]);
      inFlight += chunk.length;
      if (inFlight >= BYTES_IN_FLIGHT) {
        input.pause();
        room = () => input.resume();
      }
    });
    finished(input, (error) => {
      if (error) {
        fail(
          new CsvFileError(
            `the upload was interrupted before the end of the file (${error.message})`,
          ),
        );
      } else if (!settled) worker.postMessage({ type: 'end' });
    });
  });

  try {
    return await result;
  } finally {
    await worker.terminate();
    // A write may still be running after a failure; let it finish before the caller discards.
    await writes.catch(() => undefined);
  }
}

/** Indexes of the batch's records whose key is a duplicate (of this batch or earlier ones). */
async function findDuplicates(batch: RecordBatch, session: ReplaceSession): Promise<Set<number>> {
  const first = new Map<string, number>();
  batch.keys.forEach((key, i) => {
    if (!first.has(key)) first.set(key, i);
  });
  const duplicates = new Set<number>();
  const check: number[] = [];
  for (const i of batch.maybeSeen) {
    if ((first.get(batch.keys[i]) ?? i) < i) duplicates.add(i);
    else check.push(i);
  }
  if (check.length > 0) {
    const existing = await session.existingKeys(check.map((i) => batch.keys[i]));
    for (const i of check) if (existing.has(batch.keys[i])) duplicates.add(i);
  }
  return duplicates;
}
