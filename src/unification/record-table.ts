import { KeyTable } from './key-table';
import { TextStore, type TextStoreData } from './text-store';

/** A source whose current records take part in unification, in name order (its rank). */
export interface SourceInfo {
  id: string;
  name: string;
  generation: number;
}

/** Sorts sources by name in code point order: that order ranks them everywhere in unification. */
export function rankSources<T extends { name: string }>(sources: T[]): T[] {
  return [...sources].sort((a, b) => compareText(a.name, b.name));
}

/**
 * Unicode code point order (the same as UTF-8 byte order, as {@link TextStore} compares), on
 * every store and platform: no locale collation. JS `<` compares UTF-16 code units, which puts
 * characters beyond U+FFFF before U+E000–U+FFFF; the units are shifted to fix that.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}

/** A {@link RecordTable}'s records as another thread hands them over (texts not copied). */
export interface RecordTableData {
  count: number;
  source: Uint16Array;
  lastModified: Float64Array;
  keys: TextStoreData;
  fields: TextStoreData;
}

/**
 * The current source records of one run, held compactly: one entry per record in typed arrays
 * (source rank, last-modified time, previous customer), the record key, and the fields' JSON
 * text in a {@link TextStore}. A record's index is its position of arrival (any order);
 * {@link identityOrder} lists the indexes by identity (source rank, then record key in code-unit
 * order), the order every tie-break uses.
 */
export class RecordTable {
  count = 0;
  source = new Uint16Array(1024);
  /** Epoch milliseconds of `last_modified`; NaN when the record has none. */
  lastModified = new Float64Array(1024);
  /** Index of the customer the record belonged to before this run (see OldCustomers); −1 none. */
  oldCustomer = new Int32Array(1024);
  /** The record keys (compared in code point order; see TextStore). */
  readonly keys = new TextStore();
  /** The record's canonical fields as JSON text. */
  readonly fields = new TextStore();
  private identityOrderCache?: Int32Array;
  private sourceStartCache?: Int32Array;

  add(source: number, key: string, fields: string, lastModified: number): number {
    if (this.count === this.source.length) this.grow();
    const i = this.count++;
    this.source[i] = source;
    this.lastModified[i] = lastModified;
    this.oldCustomer[i] = -1;
    this.keys.add(key);
    this.fields.add(fields);
    this.identityOrderCache = undefined;
    return i;
  }

  /** The records, for another thread (see `record-read.worker.ts`). */
  share(): RecordTableData {
    return {
      count: this.count,
      source: this.source.slice(0, this.count),
      lastModified: this.lastModified.slice(0, this.count),
      keys: this.keys.share(),
      fields: this.fields.share(),
    };
  }

  /** Appends the records of another table (from {@link share}); answers the first one's index. */
  append(data: RecordTableData): number {
    const first = this.count;
    while (first + data.count > this.source.length) this.grow();
    this.source.set(data.source, first);
    this.lastModified.set(data.lastModified, first);
    this.oldCustomer.fill(-1, first, first + data.count);
    this.keys.append(data.keys);
    this.fields.append(data.fields);
    this.count += data.count;
    this.identityOrderCache = undefined;
    return first;
  }

  key(i: number): string {
    return this.keys.get(i);
  }

  /** Record indexes in identity order (source rank, then record key in code point order). */
  identityOrder(): Int32Array {
    if (this.identityOrderCache) return this.identityOrderCache;
    // Counting sort by source, then each source's records by key (skipped when they arrived
    // in key order, as stores usually give them).
    let sources = 0;
    for (let i = 0; i < this.count; i++) sources = Math.max(sources, this.source[i] + 1);
    const start = new Int32Array(sources + 1);
    for (let i = 0; i < this.count; i++) start[this.source[i] + 1]++;
    for (let s = 0; s < sources; s++) start[s + 1] += start[s];
    const fill = start.slice(0, sources);
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[fill[this.source[i]]++] = i;
    const keys = this.keys;
    for (let s = 0; s < sources; s++) {
      const part = order.subarray(start[s], start[s + 1]);
      let sorted = true;
      for (let p = 1; p < part.length && sorted; p++)
        sorted = keys.compare(part[p - 1], part[p]) < 0;
      if (!sorted) part.sort((a, b) => keys.compare(a, b));
    }
    this.identityOrderCache = order;
    this.sourceStartCache = start;
    return order;
  }

  /** The records of source `s` in key order (a view of {@link identityOrder}). */
  recordsOfSource(s: number): Int32Array {
    const order = this.identityOrder();
    const start = this.sourceStartCache;
    if (!start || s + 1 >= start.length) return new Int32Array(0);
    return order.subarray(start[s], start[s + 1]);
  }

  private grow(): void {
    const capacity = this.source.length * 2;
    const source = new Uint16Array(capacity);
    source.set(this.source);
    const lastModified = new Float64Array(capacity);
    lastModified.set(this.lastModified);
    const oldCustomer = new Int32Array(capacity);
    oldCustomer.set(this.oldCustomer);
    this.source = source;
    this.lastModified = lastModified;
    this.oldCustomer = oldCustomer;
  }
}

/** Customers as they were before this run (only what ID assignment and the diff need). */
export class OldCustomers {
  /** Customer IDs, off the JS heap (see TextStore), and an index of them. */
  private readonly ids = new TextStore();
  private readonly index = new KeyTable(1 << 16);
  /** Creation time in epoch milliseconds (the oldest ID survives a merge). */
  private createdAtMs = new Float64Array(1024);
  private records = new Int32Array(1024);
  /** SHA-1 of each customer's fields JSON, 20 bytes each; `hasHash` 0 when none is stored. */
  private hashes = Buffer.alloc(20 * 1024);
  private hasHash = new Uint8Array(1024);
  count = 0;

  add(id: string, createdAt: number, recordCount: number, fieldsHash: string | null): number {
    const i = this.count;
    if (this.index.getOrAdd(id, i) >= 0) return this.index.find(id);
    this.count++;
    if (i === this.records.length) this.grow();
    this.ids.add(id);
    this.createdAtMs[i] = createdAt;
    this.records[i] = recordCount;
    if (fieldsHash !== null && this.hashes.write(fieldsHash, i * 20, 20, 'base64') === 20) {
      this.hasHash[i] = 1;
    }
    return i;
  }

  id(i: number): string {
    return this.ids.get(i);
  }

  indexOf(id: string | null | undefined): number {
    if (id === null || id === undefined) return -1;
    return this.index.find(id);
  }

  has(id: string): boolean {
    return this.index.find(id) >= 0;
  }

  recordCount(i: number): number {
    return this.records[i];
  }

  createdAt(i: number): number {
    return this.createdAtMs[i];
  }

  /** Whether customer `i`'s stored fields hash is `digest` (20 bytes). */
  sameHash(i: number, digest: Buffer): boolean {
    return this.hasHash[i] === 1 && digest.equals(this.hashes.subarray(i * 20, i * 20 + 20));
  }

  /** Whether customer `a` is older than `b` (creation time, then ID), a total order. */
  older(a: number, b: number): boolean {
    const ta = this.createdAtMs[a];
    const tb = this.createdAtMs[b];
    if (ta !== tb) return ta < tb;
    return this.ids.compare(a, b) < 0;
  }

  private grow(): void {
    const size = this.records.length * 2;
    const createdAt = new Float64Array(size);
    createdAt.set(this.createdAtMs);
    this.createdAtMs = createdAt;
    const records = new Int32Array(size);
    records.set(this.records);
    this.records = records;
    const hashes = Buffer.alloc(20 * size);
    this.hashes.copy(hashes);
    this.hashes = hashes;
    const hasHash = new Uint8Array(size);
    hasHash.set(this.hasHash);
    this.hasHash = hasHash;
  }
}
