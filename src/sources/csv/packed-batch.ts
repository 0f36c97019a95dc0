/**
 * Records as the parse worker hands them to the main thread: the keys as strings (the main
 * thread sorts by them), everything else as UTF-8 in one buffer that is transferred, not
 * copied. The main thread keeps these buffers while it sorts a run and decodes a record's
 * strings only when it writes the record, so the bulk of a run lives outside the JS heap:
 * copying ~450 bytes of strings per record between threads and keeping them in the heap for
 * a run cost more CPU (structured clone, then garbage collection of long-lived strings) than
 * the UTF-8 round trip.
 */
export interface PackedBatch {
  keys: string[];
  /** For record i: fields JSON, raw JSON, last-modified (empty: none), back to back. */
  bytes: Uint8Array;
  /** End offset in `bytes` of each of the three values of each record (3 per record). */
  ends: Uint32Array;
  lines: Uint32Array;
  /** Indexes of records whose key may have been seen before (to check exactly). */
  maybeSeen: number[];
}

/** Builds one {@link PackedBatch} at a time. */
export class PackedBatchBuilder {
  private buffer: Buffer;
  private used = 0;
  private keys: string[] = [];
  private ends: number[] = [];
  private lines: number[] = [];
  private maybeSeen: number[] = [];

  constructor(private readonly initialBytes = 1 << 20) {
    this.buffer = allocate(initialBytes);
  }

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

  /** The batch built so far (its buffer changes hands); the builder starts a new one. */
  take(): PackedBatch {
    const batch: PackedBatch = {
      keys: this.keys,
      bytes: new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.used),
      ends: Uint32Array.from(this.ends),
      lines: Uint32Array.from(this.lines),
      maybeSeen: this.maybeSeen,
    };
    this.buffer = allocate(Math.max(this.initialBytes, this.used));
    this.used = 0;
    this.keys = [];
    this.ends = [];
    this.lines = [];
    this.maybeSeen = [];
    return batch;
  }

  private write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      const bigger = allocate(Math.max(this.buffer.length * 2, this.used + text.length * 3));
      this.buffer.copy(bigger, 0, 0, this.used);
      this.buffer = bigger;
    }
    this.used += this.buffer.write(text, this.used);
    this.ends.push(this.used);
  }
}

/** The transferable buffers of a batch (for `postMessage`). */
export function transferList(batch: PackedBatch): ArrayBuffer[] {
  return [
    batch.bytes.buffer as ArrayBuffer,
    batch.ends.buffer as ArrayBuffer,
    batch.lines.buffer as ArrayBuffer,
  ];
}

/** Reads the values of a batch's records back as strings. */
export class PackedBatchReader {
  private readonly text: Buffer;

  constructor(private readonly batch: PackedBatch) {
    this.text = Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength);
  }

  /** Value `v` (0 fields, 1 raw, 2 last-modified) of record `i`. */
  value(i: number, v: 0 | 1 | 2): string {
    const at = i * 3 + v;
    return this.text.toString('utf8', at === 0 ? 0 : this.batch.ends[at - 1], this.batch.ends[at]);
  }
}

/** A buffer of its own (not a slice of Node's pool), so that it can be transferred. */
function allocate(bytes: number): Buffer {
  return Buffer.from(new ArrayBuffer(bytes));
}
