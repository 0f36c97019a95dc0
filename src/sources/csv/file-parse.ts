import type { PackedBatch } from './packed-batch';
import type { RowError } from './parse-messages';

/** What a {@link FileParse} hands to the ingest, on the main thread. */
export interface ParseSink {
  /** Records of the file, in file order, with physical line numbers (header = line 1). */
  batch(batch: PackedBatch): void;
  /** Input bytes may flow again (after `write` answered false). */
  room(): void;
  /** All batches were handed over; `errors`: the first row errors found in parsing. */
  done(rowsRead: number, rowsRejected: number, errors: RowError[]): void;
  /** The file is refused (a `CsvFileError`) or a worker broke. */
  failed(error: Error): void;
}

/**
 * An upload's bytes on their way through parse workers to the ingest: one worker reading the
 * whole stream (`stream-parse.ts`) or pieces of the file on several workers at once
 * (`segment-parse.ts`). Either way the batches reach the sink in file order.
 */
export interface FileParse {
  /** Takes the next bytes of the file; false: wait for `room` before more. */
  write(chunk: Buffer): boolean;
  /** The input is complete. */
  end(): void;
  /** While held, no new batches are produced (the database writes are behind). */
  hold(held: boolean): void;
  /** Stops the workers. */
  close(): Promise<void>;
}

/**
 * Unconsumed bytes a parse may hold before the input waits: ~80,000 rows of a typical file,
 * enough for the workers to go on while the main thread is held by a commit.
 */
export const BYTES_IN_FLIGHT = 16 * 1024 * 1024;
