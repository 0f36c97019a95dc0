import { finished, type Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { KeyFilter } from '../key-filter';
import type { ReplaceSession, SourceRecordInput } from '../record-writer';
import { CsvFileError } from './csv-file-error';
import { ErrorList } from './error-list';
import type { FileParse, ParseSink } from './file-parse';
import type { ParseWorkerData, RecordBatch, RowError } from './parse-messages';
import { SegmentParse } from './segment-parse';
import { duplicateMessage, SortedRuns } from './sorted-runs';
import { StreamParse } from './stream-parse';

/** Figures of a CSV file read into a new generation (not yet published). */
export interface CsvIngestResult {
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  /** The first row errors, by line. */
  errors: RowError[];
}

export interface CsvIngestTuning {
  /** Workers parsing pieces of a UTF-8 file at once (0: one worker reads the whole stream). */
  parseWorkers: number;
  /** Size of those pieces, in bytes (each is cut after a line break). */
  segmentBytes: number;
  /** Records per worker message, when one worker reads the whole stream. */
  batchSize: number;
  /** Worker messages in flight before that worker pauses. */
  batchesAhead: number;
  /** Records sorted together by key (see `sorted-runs.ts`); two runs at most are in memory. */
  runSize: number;
  /** Records per transaction (one `Db.atomic`; on SQLite it blocks the event loop meanwhile). */
  writeSize: number;
}

/**
 * Measured on this project's 2-core machine (docs/benchmarks.md): 10,000 rows per transaction
 * cost ~5-10% less CPU per row than 2,500, but under load a transaction that size held the
 * event loop for up to ~1 s; 5,000 is the compromise (~50 ms on an idle machine). Parsing is
 * the costliest step (csv-parse alone ~7 µs a row, more than the main thread's sorting and
 * writing): with one parse worker the main thread waited for it, so a UTF-8 file is parsed
 * in pieces of 1 MiB (~5,000 rows) by two workers at once (256 KiB: no faster; 4 MiB: slower).
 * A single stream worker may run 8 batches (20,000 rows) ahead, so that it keeps parsing while
 * the main thread is held by a commit or a checkpoint.
 */
export const DEFAULT_TUNING: CsvIngestTuning = {
  parseWorkers: 2,
  segmentBytes: 1024 * 1024,
  batchSize: 2_500,
  batchesAhead: 8,
  runSize: 100_000,
  writeSize: 5_000,
};

/**
 * Streams a CSV file into a {@link ReplaceSession}. The bytes go to parse workers (decode,
 * parse, map: the bulk of the CPU work; see {@link FileParse}); their batches of records come
 * back in file order, are gathered here into runs sorted by key, and each run is written in
 * transactions of `writeSize` records while the workers parse on. Memory stays bounded by
 * flow control in both directions (a few MiB of bytes, a few batches, two runs).
 *
 * Duplicate primary keys: the first row of a key is kept, later ones are rejected. Within a
 * run they are found by sorting; across runs, the keys a Bloom filter may have seen are
 * flagged here, and only those are checked against the rows already written.
 */
export async function ingestCsv(
  input: Readable,
  data: Pick<ParseWorkerData, 'plan' | 'options'>,
  session: ReplaceSession,
  tuning: Partial<CsvIngestTuning> = {},
): Promise<CsvIngestResult> {
  const t = { ...DEFAULT_TUNING, ...tuning };
  const runs = new SortedRuns(t.runSize, t.writeSize);
  const seen = new KeyFilter();
  const duplicates = new ErrorList();
  let duplicateCount = 0;
  let settled = false;
  let room: (() => void) | null = null;
  let writing: Promise<void> | null = null;
  const currentWrite = (): Promise<void> | null => writing;
  /** Started inside the promise below (its sink settles it). */
  let parse!: FileParse;

  /** Writes the sealed runs, batch by batch, then lets the parse go on. */
  const writeRuns = async (): Promise<void> => {
    for (let batch = runs.nextBatch(); batch && !settled; batch = runs.nextBatch()) {
      await writeBatch(batch);
      // On SQLite a write completes without giving the event loop a turn: take one, so the
      // workers' batches (and the upload's bytes) keep flowing while the run is written.
      await nextTurn();
      parse.hold(runs.pending >= 2);
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

    const sink: ParseSink = {
      batch: (batch) => {
        if (settled) return;
        // Keys a Bloom filter may have seen in an earlier batch are checked exactly when written.
        const { keys, maybeSeen } = batch;
        for (let i = 0; i < keys.length; i++) if (seen.add(keys[i])) maybeSeen.push(i);
        runs.addPacked(batch);
        if (runs.full) {
          runs.seal();
          startWriting();
        }
        parse.hold(runs.pending >= 2);
      },
      room: wakeInput,
      done: (rowsRead, rowsRejected, errors) => {
        if (settled) return;
        runs.seal();
        startWriting();
        whenWritten()
          .then(() => {
            if (settled) return;
            settled = true;
            duplicates.addAll(errors);
            duplicates.addAll(runs.errors.list());
            resolve({
              rowsRead,
              rowsStored: session.rows,
              rowsRejected: rowsRejected + runs.duplicates + duplicateCount,
              errors: duplicates.list(),
            });
          })
          .catch(fail);
      },
      failed: fail,
    };
    parse = startParse(data, t, sink);

    // Events rather than async iteration: leaving a `for await` early would destroy the
    // input, and with it the HTTP connection the error answer has to go out on. After a
    // failure the rest of the input is read and dropped.
    input.on('data', (chunk: Buffer) => {
      if (settled) return;
      if (!parse.write(chunk)) {
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
      } else if (!settled) parse.end();
    });
  });

  try {
    return await result;
  } finally {
    await parse.close();
    // A write may still be running after a failure; let it finish before the caller discards.
    for (let w = currentWrite(); w; w = currentWrite()) await w;
  }
}

/**
 * UTF-8 files are cut into pieces parsed on several workers; other encodings cannot be cut
 * without decoding them first and stream through one.
 */
function startParse(
  data: Pick<ParseWorkerData, 'plan' | 'options'>,
  t: CsvIngestTuning,
  sink: ParseSink,
): FileParse {
  const workerData = { ...data, batchSize: t.batchSize, batchesAhead: t.batchesAhead };
  if (data.options.encoding === 'utf-8' && t.parseWorkers > 0) {
    const background = { ...workerData, background: true };
    return new SegmentParse(background, t.parseWorkers, t.segmentBytes, sink);
  }
  return new StreamParse(workerData, sink);
}

/** Indexes of the batch's records whose key was already written (by an earlier run). */
async function findDuplicates(batch: RecordBatch, session: ReplaceSession): Promise<Set<number>> {
  const existing = await session.existingKeys(batch.maybeSeen.map((i) => batch.keys[i]));
  return new Set(batch.maybeSeen.filter((i) => existing.has(batch.keys[i])));
}
