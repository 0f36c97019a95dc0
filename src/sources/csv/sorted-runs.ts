import { ErrorList } from './error-list';
import { PackedBatchReader, type PackedBatch } from './packed-batch';
import { emptyRecordBatch, type RecordBatch } from './parse-messages';

/**
 * Collects records into runs of about `runSize`, hands each run out in key order in batches
 * of `batchSize`, and drops duplicate keys within a run (the row with the smallest line wins).
 *
 * Why sort: the records table is indexed by (source, generation, key), and keys such as CRM
 * GUIDs arrive in random order. Inserting them unsorted touches a different index page for
 * nearly every row, and each transaction rewrites those pages (measured on SQLite: ~15,000
 * rows/s unsorted against ~55,000 in sorted runs of 100,000 on a busy machine; see
 * docs/benchmarks.md).
 *
 * How: each incoming batch is sorted when it arrives (a few thousand keys: a millisecond or
 * two), and a run is handed out by merging its sorted batches with a small heap, as the writes
 * ask for records. Nothing sorts a whole run at once, so the event loop never stalls on it.
 * Memory stays bounded by the run size; packed batches keep their values in the worker's
 * UTF-8 buffers (see `packed-batch.ts`) until they are handed out.
 */
export class SortedRuns {
  private current: SortedBatch[] = [];
  private currentSize = 0;
  private readonly sealed: RunMerge[] = [];
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

  /** The run being filled has reached its size. */
  get full(): boolean {
    return this.currentSize >= this.runSize;
  }

  /** Runs closed by {@link seal} and not yet handed out completely. */
  get pending(): number {
    return this.sealed.length;
  }

  /** Rows dropped (so far) as duplicates of a key earlier in the same run. */
  get duplicates(): number {
    return this.duplicateCount;
  }

  /** Closes the run being filled; its records are handed out by {@link nextBatch}. */
  seal(): void {
    if (this.current.length > 0) this.sealed.push(new RunMerge(this.current));
    this.current = [];
    this.currentSize = 0;
  }

  /** The next batch of the oldest closed run, in key order, or null when none is left. */
  nextBatch(): RecordBatch | null {
    for (let head = this.sealed.at(0); head; head = this.sealed.at(0)) {
      const batch = emptyRecordBatch();
      while (batch.keys.length < this.batchSize) {
        const next = head.pop();
        if (!next) break;
        const [b, i] = next;
        const key = b.keys[i];
        if (head.lastKey === key) {
          this.duplicateCount++;
          this.errors.add(b.lines[i], duplicateMessage(key));
          continue;
        }
        head.lastKey = key;
        if (b.seen(i)) batch.maybeSeen.push(batch.keys.length);
        batch.keys.push(key);
        batch.fields.push(b.values.fields(i));
        batch.raw.push(b.values.raw(i));
        batch.lastModified.push(b.values.lastModified(i));
        batch.lines.push(b.lines[i]);
      }
      if (head.done) this.sealed.shift();
      if (batch.keys.length > 0) return batch;
    }
    return null;
  }

  private add(
    batch: { keys: string[]; lines: ArrayLike<number>; maybeSeen: number[] },
    values: BatchValues,
  ): void {
    const { keys, lines } = batch;
    const order = Array.from({ length: keys.length }, (_, i) => i);
    order.sort((a, b) => compare(keys[a], lines[a], keys[b], lines[b]));
    const flagged = new Set(batch.maybeSeen);
    this.current.push({ keys, lines, values, order, next: 0, seen: (i) => flagged.has(i) });
    this.currentSize += keys.length;
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

/** A batch with its records' order by key (then line). */
interface SortedBatch {
  keys: string[];
  lines: ArrayLike<number>;
  values: BatchValues;
  order: number[];
  /** Next position in `order`. */
  next: number;
  seen(i: number): boolean;
}

function compare(keyA: string, lineA: number, keyB: string, lineB: number): number {
  return keyA < keyB ? -1 : keyA > keyB ? 1 : lineA - lineB;
}

/**
 * Merges a run's sorted batches: a binary min-heap of the batches by their next record.
 * Written here (about 30 lines) rather than taken from a package: it needs nothing but an
 * array and this comparison.
 */
class RunMerge {
  private readonly heap: SortedBatch[];
  lastKey: string | undefined;

  constructor(batches: SortedBatch[]) {
    this.heap = batches.filter((b) => b.order.length > 0);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get done(): boolean {
    return this.heap.length === 0;
  }

  /** The smallest remaining record: its batch and its index there. */
  pop(): [SortedBatch, number] | null {
    const top = this.heap.at(0);
    if (!top) return null;
    const index = top.order[top.next++];
    if (top.next >= top.order.length) {
      const last = this.heap.pop() as SortedBatch;
      if (this.heap.length > 0) this.heap[0] = last;
    }
    if (this.heap.length > 0) this.down(0);
    return [top, index];
  }

  private less(a: SortedBatch, b: SortedBatch): boolean {
    const i = a.order[a.next];
    const j = b.order[b.next];
    return compare(a.keys[i], a.lines[i], b.keys[j], b.lines[j]) < 0;
  }

  private down(at: number): void {
    const heap = this.heap;
    for (;;) {
      const left = at * 2 + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && this.less(heap[right], heap[left]) ? right : left;
      if (!this.less(heap[child], heap[at])) return;
      [heap[at], heap[child]] = [heap[child], heap[at]];
      at = child;
    }
  }
}
