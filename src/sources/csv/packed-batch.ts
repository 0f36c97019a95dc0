/**
 * Records as the parse worker hands them to the main thread: the keys as strings (the main
 * thread sorts by them), and every other value of the batch back to back in one string.
 *
 * Why one string: `postMessage` copies a flat string with one memcpy, while thousands of small
 * strings cost a structured-clone step each, and the main thread then keeps them alive in the
 * heap for a whole run (more garbage-collection work). The values are read back with `slice`,
 * which in V8 makes a view into the batch string, not a copy. The worker builds the string
 * with one `join` per batch, which also flattens the values made by concatenation (strings
 * made by `+` are trees of pieces in V8, expensive to copy one by one). This replaced a
 * UTF-8 buffer per batch: encoding in the worker and decoding in the main thread cost ~2 µs
 * per record of the two threads' CPU (docs/benchmarks.md).
 */
export interface PackedBatch {
  keys: string[];
  /** For record i: fields JSON, raw JSON, last-modified (empty: none), back to back. */
  text: string;
  /** End offset (UTF-16 code units) in `text` of each of the three values of each record. */
  ends: Uint32Array;
  lines: Uint32Array;
  /** Indexes of records whose key may have been seen before (to check exactly). */
  maybeSeen: number[];
}

/** Builds one {@link PackedBatch} at a time. */
export class PackedBatchBuilder {
  private parts: string[] = [];
  private length = 0;
  private keys: string[] = [];
  private ends: number[] = [];
  private lines: number[] = [];
  private maybeSeen: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  add(
    key: string,
    fields: string,
    raw: string,
    lastModified: string | null,
    line: number,
    maybeSeen: boolean,
  ): void {
    if (maybeSeen) this.maybeSeen.push(this.keys.length);
    this.keys.push(key);
    this.lines.push(line);
    this.write(fields);
    this.write(raw);
    this.write(lastModified ?? '');
  }

  /** The batch built so far; the builder starts a new one. */
  take(): PackedBatch {
    const batch: PackedBatch = {
      keys: this.keys,
      text: this.parts.join(''),
      ends: Uint32Array.from(this.ends),
      lines: Uint32Array.from(this.lines),
      maybeSeen: this.maybeSeen,
    };
    this.parts = [];
    this.length = 0;
    this.keys = [];
    this.ends = [];
    this.lines = [];
    this.maybeSeen = [];
    return batch;
  }

  private write(text: string): void {
    this.parts.push(text);
    this.length += text.length;
    this.ends.push(this.length);
  }
}

/** The transferable buffers of a batch (for `postMessage`; the text is copied). */
export function transferList(batch: PackedBatch): ArrayBuffer[] {
  return [batch.ends.buffer as ArrayBuffer, batch.lines.buffer as ArrayBuffer];
}

/** Reads the values of a batch's records back as strings. */
export class PackedBatchReader {
  constructor(private readonly batch: PackedBatch) {}

  /** Value `v` (0 fields, 1 raw, 2 last-modified) of record `i`. */
  value(i: number, v: 0 | 1 | 2): string {
    const at = i * 3 + v;
    return this.batch.text.slice(at === 0 ? 0 : this.batch.ends[at - 1], this.batch.ends[at]);
  }
}
