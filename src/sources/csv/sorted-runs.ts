import { ErrorList } from './error-list';
import { PackedBatchReader, type PackedBatch } from './packed-batch';
import type { RecordBatch } from './parse-messages';

/**
 * Collects records into runs of about `runSize`, sorts each run by key, drops duplicate keys
 * within the run (the row with the smallest line wins), and hands the run out in batches.
 *
 * Why sort: the records table is indexed by (source, generation, key), and keys such as CRM
 * GUIDs arrive in random order. Inserting them unsorted touches a different index page for
 * nearly every row, and each transaction rewrites those pages (measured on SQLite: ~15,000
 * rows/s unsorted against ~55,000 in sorted runs of 100,000 on a busy machine; see
 * docs/benchmarks.md). Memory stays bounded by the run size; packed batches keep their values
 * in the worker's UTF-8 buffers (see `packed-batch.ts`) until they are handed out.
 */
export class SortedRuns {
  private current = emptyRun();
  private readonly sealed: SealedRun[] = [];
  private duplicateCount = 0;
  readonly errors = new ErrorList();

  constructor(
    private readonly runSize: number,
    private readonly batchSize: number,
  ) {}

  /** Adds the records of a batch (in file order) to the run being filled. */
  addBatch(batch: RecordBatch): void {
    this.add(batch, {
      fields: (i) => batch.fields[i],
      raw: (i) => batch.raw[i],
      lastModified: (i) => batch.lastModified[i],
    });
  }

  /** Adds the records of a packed batch from the parse worker (see `packed-batch.ts`). */
  addPacked(batch: PackedBatch): void {
    const reader = new PackedBatchReader(batch);
    this.add(batch, {
      fields: (i) => reader.value(i, 0),
      raw: (i) => reader.value(i, 1),
      lastModified: (i) => reader.value(i, 2) || null,
    });
  }

  private add(
    batch: { keys: string[]; lines: ArrayLike<number>; maybeSeen: number[] },
    values: BatchValues,
  ): void {
    const run = this.current;
    const b = run.batches.push(values) - 1;
    let flagged = 0;
    for (let i = 0; i < batch.keys.length; i++) {
      run.keys.push(batch.keys[i]);
      run.batch.push(b);
      run.index.push(i);
      run.lines.push(batch.lines[i]);
      const seen = batch.maybeSeen[flagged] === i;
      if (seen) flagged++;
      run.maybeSeen.push(seen);
    }
  }

  /** The run being filled has reached its size. */
  get full(): boolean {
    return this.current.keys.length >= this.runSize;
  }

  /** Sorted runs not yet handed out completely. */
  get pending(): number {
    return this.sealed.length;
  }

  /** Rows dropped as duplicates of a key earlier in the same run. */
  get duplicates(): number {
    return this.duplicateCount;
  }

  /** Sorts the run being filled and queues it for output. */
  seal(): void {
    const run = this.current;
    this.current = emptyRun();
    const n = run.keys.length;
    if (n === 0) return;
    const { keys, lines } = run;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : lines[a] - lines[b]));
    const kept: number[] = [];
    for (let i = 0; i < n; i++) {
      const at = order[i];
      if (kept.length > 0 && keys[kept[kept.length - 1]] === keys[at]) {
        this.duplicateCount++;
        this.errors.add(lines[at], duplicateMessage(keys[at]));
      } else kept.push(at);
    }
    this.sealed.push({ run, order: kept, next: 0 });
  }

  /** The next batch of the oldest sorted run (its values as strings), or null when none. */
  nextBatch(): RecordBatch | null {
    const head = this.sealed.at(0);
    if (!head) return null;
    const { run, order } = head;
    const end = Math.min(order.length, head.next + this.batchSize);
    const batch: RecordBatch = {
      keys: [],
      fields: [],
      raw: [],
      lastModified: [],
      lines: [],
      maybeSeen: [],
    };
    for (let i = head.next; i < end; i++) {
      const at = order[i];
      const values = run.batches[run.batch[at]];
      const index = run.index[at];
      if (run.maybeSeen[at]) batch.maybeSeen.push(batch.keys.length);
      batch.keys.push(run.keys[at]);
      batch.fields.push(values.fields(index));
      batch.raw.push(values.raw(index));
      batch.lastModified.push(values.lastModified(index));
      batch.lines.push(run.lines[at]);
    }
    head.next = end;
    if (end >= order.length) this.sealed.shift();
    return batch;
  }
}

/** The message of a row rejected for repeating an earlier row's primary key. */
export function duplicateMessage(key: string): string {
  return `duplicate primary key ${JSON.stringify(key)}: an earlier row has the same key (the first one is kept)`;
}

/** The values of a batch's records, read when they are handed out. */
interface BatchValues {
  fields(i: number): string;
  raw(i: number): string;
  lastModified(i: number): string | null;
}

interface Run {
  batches: BatchValues[];
  keys: string[];
  /** Batch and position in it of each record. */
  batch: number[];
  index: number[];
  lines: number[];
  maybeSeen: boolean[];
}

interface SealedRun {
  run: Run;
  /** Positions in the run, sorted by key, duplicates left out. */
  order: number[];
  /** Next position of `order` to hand out. */
  next: number;
}

function emptyRun(): Run {
  return { batches: [], keys: [], batch: [], index: [], lines: [], maybeSeen: [] };
}
