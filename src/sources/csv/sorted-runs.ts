import { ErrorList } from './error-list';
import type { RecordBatch } from './parse-messages';

/**
 * Collects records into runs of about `runSize`, sorts each run by key, drops duplicate keys
 * within the run (the row with the smallest line wins), and hands the run out in batches.
 *
 * Why sort: the records table is indexed by (source, generation, key), and keys such as CRM
 * GUIDs arrive in random order. Inserting them unsorted touches a different index page for
 * nearly every row, and each transaction rewrites those pages (measured on SQLite: ~15,000
 * rows/s unsorted against ~55,000 in sorted runs of 100,000 on a busy machine; see
 * docs/benchmarks.md). Memory stays bounded by the run size.
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
    const run = this.current;
    let flagged = 0;
    for (let i = 0; i < batch.keys.length; i++) {
      run.keys.push(batch.keys[i]);
      run.fields.push(batch.fields[i]);
      run.raw.push(batch.raw[i]);
      run.lastModified.push(batch.lastModified[i]);
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

  /** The next batch of the oldest sorted run, or null when none is ready. */
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
      if (run.maybeSeen[at]) batch.maybeSeen.push(batch.keys.length);
      batch.keys.push(run.keys[at]);
      batch.fields.push(run.fields[at]);
      batch.raw.push(run.raw[at]);
      batch.lastModified.push(run.lastModified[at]);
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

interface Run {
  keys: string[];
  fields: string[];
  raw: string[];
  lastModified: (string | null)[];
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
  return { keys: [], fields: [], raw: [], lastModified: [], lines: [], maybeSeen: [] };
}
