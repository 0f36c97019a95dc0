import { finished, type Readable } from 'node:stream';
import type { RecordStage } from '../stage/record-stage';
import { CsvFileError } from './csv-file-error';
import { CsvRecordReader, type CsvReadPlan } from './csv-record-reader';
import type { RowError } from './error-list';

/** Figures of a CSV file read into a stage (duplicate keys not yet looked for). */
export interface CsvReadResult {
  rowsRead: number;
  rowsRejected: number;
  /** The first row errors, by line. */
  errors: RowError[];
}

/**
 * Streams a CSV file into a {@link RecordStage}, on the main thread: each chunk of the input is
 * decoded, parsed and mapped at once, its records go to the stage, and the input waits while
 * the stage writes (a transaction on SQLite, COPY back-pressure on PostgreSQL). The app holds
 * one chunk and the stage's current batch, whatever the size of the file.
 *
 * A refused file or an interrupted input rejects with a {@link CsvFileError}. Events rather
 * than async iteration: leaving a `for await` early would destroy the input, and with it the
 * HTTP connection the error answer has to go out on; after a failure the caller reads and
 * drops the rest.
 */
export function stageCsv(
  input: Readable,
  plan: CsvReadPlan,
  stage: RecordStage,
): Promise<CsvReadResult> {
  return new Promise<CsvReadResult>((resolve, reject) => {
    // Changed by the callbacks below (an object, so that each read sees the current value).
    const state = { settled: false, wantFlush: false };
    let flushing: Promise<void> = Promise.resolve();
    const fail = (error: unknown) => {
      if (state.settled) return;
      state.settled = true;
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const reader = new CsvRecordReader(plan, {
      record: (record, line) => {
        if (stage.add(record, line)) state.wantFlush = true;
      },
      done: (rowsRead, rowsRejected, errors) => {
        stage.finish().then(() => {
          if (state.settled) return;
          state.settled = true;
          resolve({ rowsRead, rowsRejected, errors });
        }, fail);
      },
      failed: (message, line) => {
        fail(new CsvFileError(message, line));
      },
    });

    /** Holds the input while the stage writes what it has. */
    const flush = () => {
      if (state.settled) return;
      state.wantFlush = false;
      input.pause();
      flushing = stage.flush().then(() => {
        if (!state.settled) input.resume();
      });
      flushing.catch(fail);
    };
    input.on('data', (chunk: Buffer) => {
      if (state.settled) return;
      reader.write(chunk);
      if (state.wantFlush) flush();
    });
    finished(input, (error) => {
      if (error) {
        fail(
          new CsvFileError(
            `the upload was interrupted before the end of the file (${error.message})`,
          ),
        );
        return;
      }
      flushing.then(() => {
        if (!state.settled) reader.end();
      }, fail);
    });
  });
}
