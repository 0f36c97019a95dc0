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
  | { type: 'taken' };

/** Records of a batch as parallel arrays, as they are written. */
export interface RecordBatch {
  keys: string[];
  fields: string[];
  raw: string[];
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
  | { type: 'failed'; message: string; line?: number };

/** Row errors reported by an ingest (the rest are only counted). */
export const MAX_REPORTED_ERRORS = 100;
