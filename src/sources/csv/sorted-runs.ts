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

  /**
   * Adds the records of a packed batch from the parse worker (see `packed-batch.ts`). Their
   * fields and raw values are handed out as views of the batch's UTF-8 bytes, which SQLite
   * stores as they are (see `RecordWriter.recordInserts`).
   */
  addPacked(batch: PackedBatch): void {
    const reader = new PackedBatchReader(batch);
    this.add(batch, {
      fields: (i) => reader.bytes(i, 0),
      raw: (i) => reader.bytes(i, 1),
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
        const b = head.pop();
        if (!b) break;
        const i = head.index;
        const key = b.keys[i];
        if (head.lastKey === key) {
          this.duplicateCount++;
          this.errors.add(b.lines[i], duplicateMessage(key));
          continue;
        }
        head.lastKey = key;
        if (b.seen?.[i]) batch.maybeSeen.push(batch.keys.length);
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
    let seen: Uint8Array | null = null;
    if (batch.maybeSeen.length > 0) {
      seen = new Uint8Array(keys.length);
      for (const i of batch.maybeSeen) seen[i] = 1;
    }
    this.current.push({ keys, lines, values, order, next: 0, seen });
    this.currentSize += keys.length;
  }
}

/** The message of a row rejected for repeating an earlier row's primary key. */
export function duplicateMessage(key: string): string {
  return `duplicate primary key ${JSON.stringify(key)}: an earlier row has the same key (the first one is kept)`;
}

/** The values of a batch's records, read when they are handed out. */
interface BatchValues {
  fields(i: number): string | Uint8Array;
  raw(i: number): string | Uint8Array;
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
  /** 1 for the records whose key may have been seen before; null: none. */
  seen: Uint8Array | null;
}

function compare(keyA: string, lineA: number, keyB: string, lineB: number): number {
  return keyA < keyB ? -1 : keyA > keyB ? 1 : lineA - lineB;
}

/**
 * Merges a run's sorted batches with a loser tree (a tournament over the batches' next
 * records), written here rather than taken from a package: it needs only a few arrays.
 *
 * Why not a binary heap (as before): a heap's sift-down compares both children at every level,
 * and each comparison looked up the batch's next record through `order` into `keys` and
 * `lines`. The tree replays one leaf-to-root path per record, one comparison per level, against
 * each batch's next key and line cached in flat arrays (measured on 1,000,000 random GUIDs in
 * runs of 40 batches of 2,500: the merge alone ~650 -> ~450 ms).
 */
class RunMerge {
  private readonly batches: SortedBatch[];
  /** `tree[0]` is the batch with the smallest next record; `tree[1 … k-1]` hold the losers. */
  private readonly tree: Int32Array;
  /** Each batch's next key and line; undefined: the batch is used up (it loses every match). */
  private readonly keys: (string | undefined)[];
  private readonly lines: Float64Array;
  /** The index within its batch of the record {@link pop} answered last. */
  index = 0;
  lastKey: string | undefined;

  constructor(batches: SortedBatch[]) {
    this.batches = batches.filter((b) => b.order.length > 0);
    const k = this.batches.length;
    this.tree = new Int32Array(Math.max(k, 1));
    this.keys = new Array<string | undefined>(k);
    this.lines = new Float64Array(k);
    for (let b = 0; b < k; b++) this.load(b);
    // Leaf b sits at position k + b, the parent of position p at p >> 1; play every match once.
    const winners = new Int32Array(2 * k);
    for (let b = 0; b < k; b++) winners[k + b] = b;
    for (let p = k - 1; p >= 1; p--) {
      const left = winners[2 * p];
      const right = winners[2 * p + 1];
      const leftWins = this.less(left, right);
      winners[p] = leftWins ? left : right;
      this.tree[p] = leftWins ? right : left;
    }
    if (k > 1) this.tree[0] = winners[1];
  }

  get done(): boolean {
    return this.batches.length === 0 || this.keys[this.tree[0]] === undefined;
  }

  /** The batch of the smallest remaining record (its index there: {@link index}), or null. */
  pop(): SortedBatch | null {
    let winner = this.tree[0];
    const batch = this.batches.at(winner);
    if (!batch || this.keys[winner] === undefined) return null;
    this.index = batch.order[batch.next++];
    this.load(winner);
    const tree = this.tree;
    for (let p = (winner + this.batches.length) >> 1; p >= 1; p >>= 1) {
      const other = tree[p];
      if (this.less(other, winner)) {
        tree[p] = winner;
        winner = other;
      }
    }
    tree[0] = winner;
    return batch;
  }

  /** Caches batch `b`'s next key and line. */
  private load(b: number): void {
    const batch = this.batches[b];
    if (batch.next < batch.order.length) {
      const i = batch.order[batch.next];
      this.keys[b] = batch.keys[i];
      this.lines[b] = batch.lines[i];
    } else {
      this.keys[b] = undefined;
    }
  }

  /** Whether batch `a`'s next record comes before batch `b`'s. */
  private less(a: number, b: number): boolean {
    const keyA = this.keys[a];
    const keyB = this.keys[b];
    if (keyA === undefined) return false;
    if (keyB === undefined) return true;
    return keyA < keyB || (keyA === keyB && this.lines[a] < this.lines[b]);
  }
}
