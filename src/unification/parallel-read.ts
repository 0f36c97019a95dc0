import { WorkerThread } from '../common/worker-thread';
import type { PackedKeys } from './packed-keys';
import type { RecordTableData } from './record-table';
import type { MatchRule } from './unification-config';

/**
 * SQLite: from this many source-record rowids on, a worker thread reads the upper half of them
 * while the main thread reads the lower half (measured in docs/benchmarks.md: reading is most
 * of a large run's first phase, and the second core is otherwise idle then).
 */
export const PARALLEL_READ_FROM = 200_000;

export interface RecordReadWorkerData {
  /** The SQLite database file (the worker opens it read-only). */
  file: string;
  /** The sources in rank order, with the generation to read. */
  sources: { id: string; generation: number }[];
  /** The match rules (null: no matching, no keys). */
  rules: MatchRule[] | null;
  /** Rowids read: `after < rowid <= upTo`. */
  after: number;
  upTo: number;
}

export type RecordReadMessage =
  /** Match keys of the next records read (in order). */
  | { keys: PackedKeys }
  /** Every record read. */
  | { done: RecordTableData };

/** What the worker read: its records, and their match keys in batches (same order). */
export interface ParallelPart {
  table: RecordTableData;
  keys: PackedKeys[];
}

const READER = 'the second record reader';

/** The second reader, seen from the main thread. */
export class ParallelRead {
  readonly finished: Promise<ParallelPart>;
  /** Set when `finished` is made (its executor runs at once). */
  private worker!: WorkerThread<never, RecordReadMessage>;

  constructor(data: RecordReadWorkerData) {
    const keys: PackedKeys[] = [];
    this.finished = new Promise<ParallelPart>((resolve, reject) => {
      this.worker = new WorkerThread(__dirname, 'record-read.worker', data, READER, {
        message: (message) => {
          if ('keys' in message) keys.push(message.keys);
          else resolve({ table: message.done, keys });
        },
        failed: reject,
      });
    });
    // Awaited only when the main thread's part succeeds; a failure there must not also
    // surface as an unhandled rejection.
    this.finished.catch(() => undefined);
  }

  async stop(): Promise<void> {
    await this.worker.stop();
  }
}
