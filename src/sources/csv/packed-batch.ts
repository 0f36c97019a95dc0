import { Utf8Pack } from '../../common/utf8-pack';

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
  /**
   * Indexes of records whose key may have been seen before (to check exactly): filled on the
   * main thread, which sees the batches of all workers in file order.
   */
  maybeSeen: number[];
}

/** Builds one {@link PackedBatch} at a time. */
export class PackedBatchBuilder {
  private readonly texts: Utf8Pack;
  private keys: string[] = [];
  private lines: number[] = [];

  constructor(initialBytes?: number) {
    this.texts = new Utf8Pack(initialBytes);
  }

  get size(): number {
    return this.keys.length;
  }

  add(key: string, fields: string, raw: string, lastModified: string | null, line: number): void {
    this.keys.push(key);
    this.lines.push(line);
    this.texts.add(fields);
    this.texts.add(raw);
    this.texts.add(lastModified ?? '');
  }

  /** The batch built so far (its buffer changes hands); the builder starts a new one. */
  take(): PackedBatch {
    const { bytes, ends } = this.texts.take();
    const batch: PackedBatch = {
      keys: this.keys,
      bytes,
      ends,
      lines: Uint32Array.from(this.lines),
      maybeSeen: [],
    };
    this.keys = [];
    this.lines = [];
    return batch;
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

/** Reads the values of a batch's records back, as strings or as views of their UTF-8 bytes. */
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

  /**
   * The UTF-8 bytes of value `v` of record `i`: a view of the batch's buffer (no copy), for
   * writers that take bytes (see `RecordWriter.recordInserts`).
   */
  bytes(i: number, v: 0 | 1 | 2): Buffer {
    const at = i * 3 + v;
    return this.text.subarray(at === 0 ? 0 : this.batch.ends[at - 1], this.batch.ends[at]);
  }
}
