import { finished, type Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ReplaceSession, SourceRecordInput } from '../record-writer';
import { ErrorList } from './error-list';
import type { FromWorker, ParseWorkerData, RecordBatch, RowError } from './parse-messages';
import { startParseWorker } from './parse-worker-host';
import { duplicateMessage, SortedRuns } from './sorted-runs';

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

export interface CsvIngestTuning {
  /** Records per worker message. */
  batchSize: number;
  /** Worker messages in flight before the worker pauses. */
  batchesAhead: number;
  /** Records sorted together by key (see `sorted-runs.ts`); two runs at most are in memory. */
  runSize: number;
  /** Records per transaction (one `Db.atomic`; on SQLite it blocks the event loop meanwhile). */
  writeSize: number;
}

/**
 * Measured on this project's 2-core machine (docs/benchmarks.md): 10,000 rows per transaction
 * cost ~5-10% less CPU per row than 2,500, but under load a transaction that size held the
 * event loop for up to ~1 s; 5,000 is the compromise (~50 ms on an idle machine). The parse
 * worker is the slower thread: it may run 8 batches (20,000 rows) ahead, so that it keeps
 * parsing while the main thread is held by a commit or a checkpoint (with 4 it waited ~20% of
 * an upload).
 */
export const DEFAULT_TUNING: CsvIngestTuning = {
  batchSize: 2_500,
  batchesAhead: 8,
  runSize: 100_000,
  writeSize: 5_000,
};

/**
 * Unconsumed bytes the main thread lets the worker have before it stops reading the input:
 * ~80,000 rows of a typical file, enough for the worker to go on while the main thread is held.
 */
const BYTES_IN_FLIGHT = 16 * 1024 * 1024;

/**
 * Streams a CSV file into a {@link ReplaceSession}. The bytes go to a parse worker (decode,
 * parse, map: the bulk of the CPU work); its batches of records come back in file order, are
 * gathered here into runs sorted by key, and each run is written in transactions of
 * `writeSize` records while the worker parses on. The work is split so that both threads of a
 * 2-core machine are busy. Memory stays bounded by flow control in both directions (a few MiB
 * of bytes, a few batches, two runs).
 *
 * Duplicate primary keys: the first row of a key is kept, later ones are rejected. Within a
 * run they are found by sorting; across runs, the worker flags keys its Bloom filter may have
 * seen, and only those are checked against the rows already written.
 */
export async function ingestCsv(
  input: Readable,
  data: Pick<ParseWorkerData, 'plan' | 'options'>,
  session: ReplaceSession,
  tuning: Partial<CsvIngestTuning> = {},
): Promise<CsvIngestResult> {
  const t = { ...DEFAULT_TUNING, ...tuning };
  const worker = startParseWorker({
    ...data,
    batchSize: t.batchSize,
    batchesAhead: t.batchesAhead,
  });
  const runs = new SortedRuns(t.runSize, t.writeSize);
  const duplicates = new ErrorList();
  let duplicateCount = 0;
  let settled = false;
  let inFlight = 0;
  let room: (() => void) | null = null;
  /** Worker batches taken while two runs were waiting: confirmed once one is written. */
  let untaken = 0;
  let writing: Promise<void> | null = null;
  const currentWrite = (): Promise<void> | null => writing;

  /** Writes the sealed runs, batch by batch, then lets the worker go on. */
  const writeRuns = async (): Promise<void> => {
    for (let batch = runs.nextBatch(); batch && !settled; batch = runs.nextBatch()) {
      await writeBatch(batch);
      // On SQLite a write completes without giving the event loop a turn: take one, so the
      // worker's batches (and the upload's bytes) keep flowing while the run is written.
      await nextTurn();
      while (untaken > 0 && runs.pending < 2) {
        untaken--;
        worker.postMessage({ type: 'taken' });
      }
    }
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
    /** Writes whatever runs are sealed, one writer at a time. */
    const startWriting = () => {
      if (writing) return;
      writing = writeRuns()
        .catch(fail)
        .finally(() => {
          writing = null;
          if (runs.pending > 0 && !settled) startWriting();
        });
    };
    const whenWritten = async (): Promise<void> => {
      for (let w = currentWrite(); w; w = currentWrite()) await w;
    };

    worker.on('message', (message: FromWorker) => {
      if (settled) return;
      switch (message.type) {
        case 'consumed':
          inFlight -= message.bytes;
          if (inFlight < BYTES_IN_FLIGHT && room) wakeInput();
          break;
        case 'batch':
          runs.addPacked(message.batch);
          if (runs.full) {
            runs.seal();
            startWriting();
          }
          if (runs.pending < 2) worker.postMessage({ type: 'taken' });
          else untaken++;
          break;
        case 'done':
          runs.seal();
          startWriting();
          whenWritten()
            .then(() => {
              if (settled) return;
              settled = true;
              duplicates.addAll(message.errors);
              duplicates.addAll(runs.errors.list());
              resolve({
                rowsRead: message.rowsRead,
                rowsStored: session.rows,
                rowsRejected: message.rowsRejected + runs.duplicates + duplicateCount,
                errors: duplicates.list(),
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
    for (let w = currentWrite(); w; w = currentWrite()) await w;
  }
}

/** Indexes of the batch's records whose key was already written (by an earlier run). */
async function findDuplicates(batch: RecordBatch, session: ReplaceSession): Promise<Set<number>> {
  const existing = await session.existingKeys(batch.maybeSeen.map((i) => batch.keys[i]));
  return new Set(batch.maybeSeen.filter((i) => existing.has(batch.keys[i])));
}
