import type { MappingPlan } from '../record-mapper';
import type { CsvOptions } from './csv-options';
import type { PackedBatch } from './packed-batch';

/** Messages between the ingest (main thread) and its CSV parse worker. */

export interface ParseWorkerData {
  plan: MappingPlan;
  options: CsvOptions;
  /** Records per batch sent to the main thread. */
  batchSize: number;
  /** Batches the worker may send before the main thread has taken them. */
  batchesAhead: number;
  /** Runs below the main thread's priority (one of several workers; see csv-parse.worker). */
  background?: boolean;
}

/** A row error: its physical line (header = line 1) and what is wrong. */
export interface RowError {
  line: number;
  message: string;
}

export type ToWorker =
  /** Bytes of the file, in order. */
  | { type: 'bytes'; bytes: Uint8Array }
  /** No more bytes. */
  | { type: 'end' }
  /** The main thread took one batch (it may send another). */
  | { type: 'taken' }
  /**
   * A piece of the file that starts at a record (see `segment-parse.ts`); `header`: the file's
   * header, absent for the piece that starts the file. Line numbers count from its start.
   */
  | { type: 'segment'; id: number; attempt: number; bytes: Uint8Array; header?: string[] };

/** A piece of the file, parsed: its records and figures; lines count from the piece's start. */
export interface ParsedSegment {
  batch: PackedBatch;
  /** Physical lines in the piece. */
  lines: number;
  /** The header, when the piece started the file. */
  header?: string[];
  rowsRead: number;
  rowsRejected: number;
  errors: RowError[];
}

/** Why a piece of the file was refused; `openQuote`: it ended inside a quoted value. */
export interface SegmentFailure {
  message: string;
  line?: number;
  openQuote: boolean;
}

/** Records of a batch as parallel arrays, as they are written. */
export interface RecordBatch {
  keys: string[];
  /** JSON texts, or their UTF-8 bytes (views of a parse worker's buffer, see `packed-batch.ts`). */
  fields: (string | Uint8Array)[];
  raw: (string | Uint8Array)[];
  lastModified: (string | null)[];
  lines: number[];
  /** Indexes of records whose key may have been seen before (to check exactly). */
  maybeSeen: number[];
}

/** A batch without records, to fill. */
export function emptyRecordBatch(): RecordBatch {
  return { keys: [], fields: [], raw: [], lastModified: [], lines: [], maybeSeen: [] };
}

export type FromWorker =
  /** Bytes handed over were taken in (for flow control). */
  | { type: 'consumed'; bytes: number }
  /** Mapped records, in file order (buffers transferred). */
  | { type: 'batch'; batch: PackedBatch }
  /** All batches were sent; `errors` are the first row errors (by line) the worker found. */
  | { type: 'done'; rowsRead: number; rowsRejected: number; errors: RowError[] }
  /** The whole file is refused; `line` says where. */
  | { type: 'failed'; message: string; line?: number }
  /** A piece of the file, parsed or refused. */
  | {
      type: 'segment';
      id: number;
      attempt: number;
      parsed?: ParsedSegment;
      failed?: SegmentFailure;
    };

/** Row errors reported by an ingest (the rest are only counted). */
export const MAX_REPORTED_ERRORS = 100;
