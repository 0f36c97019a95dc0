/** A source whose current records take part in unification, in name order (its rank). */
export interface SourceInfo {
  id: string;
  name: string;
  generation: number;
}

/** Sorts sources by name in code-unit order: that order ranks them everywhere in unification. */
export function rankSources<T extends { name: string }>(sources: T[]): T[] {
  return [...sources].sort((a, b) => compareText(a.name, b.name));
}

/** Code-unit order, the same on every store and platform (no locale collation). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The current source records of one run, held compactly: one entry per record in typed arrays
 * (source rank, last-modified time, previous customer) plus the record key and the fields'
 * JSON text. A record's index is its position of arrival; {@link identityOrder} lists the
 * indexes by identity (source rank, then record key), the order every tie-break uses.
 */
export class RecordTable {
  count = 0;
  source = new Uint16Array(1024);
  /** Epoch milliseconds of `last_modified`; NaN when the record has none. */
  lastModified = new Float64Array(1024);
  /** Index of the customer the record belonged to before this run (see OldCustomers); −1 none. */
  oldCustomer = new Int32Array(1024);
  readonly keys: string[] = [];
  /** The record's canonical fields as JSON text. */
  readonly fields: string[] = [];
  private identityOrderCache?: Int32Array;
  private readonly unsortedSources = new Set<number>();
  private lastSource = -1;

  /** Adds a record; records must arrive grouped by source, sources in rank order. */
  add(
    source: number,
    key: string,
    fields: string,
    lastModified: number,
    oldCustomer: number,
  ): number {
    if (this.count === this.source.length) this.grow();
    const i = this.count++;
    if (source === this.lastSource && compareText(this.keys[i - 1], key) >= 0) {
      this.unsortedSources.add(source);
    } else if (source < this.lastSource) {
      throw new Error('records must arrive grouped by source in rank order');
    }
    this.lastSource = source;
    this.source[i] = source;
    this.lastModified[i] = lastModified;
    this.oldCustomer[i] = oldCustomer;
    this.keys.push(key);
    this.fields.push(fields);
    this.identityOrderCache = undefined;
    return i;
  }

  /** Record indexes in identity order (source rank, record key in code-unit order). */
  identityOrder(): Int32Array {
    if (this.identityOrderCache) return this.identityOrderCache;
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[i] = i;
    // A store's own text order (a PostgreSQL collation) may differ from code-unit order; only
    // then do a source's records need sorting.
    for (const source of this.unsortedSources) {
      let start = 0;
      while (start < this.count && this.source[start] !== source) start++;
      let end = start;
      while (end < this.count && this.source[end] === source) end++;
      const slice = Array.from(order.subarray(start, end)).sort((a, b) =>
        compareText(this.keys[a], this.keys[b]),
      );
      order.set(slice, start);
    }
    this.identityOrderCache = order;
    return order;
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
  readonly ids: string[] = [];
  /** Creation time in epoch milliseconds (the oldest ID survives a merge). */
  readonly createdAt: number[] = [];
  readonly recordCount: number[] = [];
  readonly fieldsHash: (string | null)[] = [];
  private readonly index = new Map<string, number>();

  add(id: string, createdAt: number, recordCount: number, fieldsHash: string | null): number {
    const i = this.ids.length;
    this.ids.push(id);
    this.createdAt.push(createdAt);
    this.recordCount.push(recordCount);
    this.fieldsHash.push(fieldsHash);
    this.index.set(id, i);
    return i;
  }

  indexOf(id: string | null | undefined): number {
    if (id === null || id === undefined) return -1;
    return this.index.get(id) ?? -1;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  get count(): number {
    return this.ids.length;
  }

  /** Whether customer `a` is older than `b` (creation time, then ID), a total order. */
  older(a: number, b: number): boolean {
    const ta = this.createdAt[a];
    const tb = this.createdAt[b];
    if (ta !== tb) return ta < tb;
    return compareText(this.ids[a], this.ids[b]) < 0;
  }
}
