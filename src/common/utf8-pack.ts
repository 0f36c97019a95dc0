/**
 * Texts as UTF-8, back to back in one growable buffer, with the end offset of each: how a worker
 * thread hands many strings to another thread (the buffer is transferred, not cloned, and the
 * receiver decodes only the texts it needs). Used by the CSV parse batches and by unification's
 * match keys and merged fields.
 */
export class Utf8Pack {
  private buffer: Buffer;
  private used = 0;
  private ends: number[] = [];

  constructor(private readonly initialBytes = 1 << 20) {
    this.buffer = allocate(initialBytes);
  }

  /** Texts added since the last {@link take}. */
  get count(): number {
    return this.ends.length;
  }

  /** Bytes added since the last {@link take}. */
  get byteLength(): number {
    return this.used;
  }

  add(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    if (this.used + text.length * 3 > this.buffer.length) {
      const bigger = allocate(Math.max(this.buffer.length * 2, this.used + text.length * 3));
      this.buffer.copy(bigger, 0, 0, this.used);
      this.buffer = bigger;
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
    this.ends.push(this.used);
  }

  /** The bytes of the last text added (a view, valid until the next add or take). */
  last(): Buffer {
    const n = this.ends.length;
    return this.buffer.subarray(n > 1 ? this.ends[n - 2] : 0, this.used);
  }

  /** The texts so far (the buffer changes hands: it can be transferred); the pack starts anew. */
  take(): { bytes: Uint8Array; ends: Uint32Array } {
    const taken = {
      bytes: new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.used),
      ends: Uint32Array.from(this.ends),
    };
    this.buffer = allocate(Math.max(this.initialBytes, this.used));
    this.used = 0;
    this.ends = [];
    return taken;
  }
}

/** A buffer of its own (not a slice of Node's pool), so that it can be transferred. */
function allocate(bytes: number): Buffer {
  return Buffer.from(new ArrayBuffer(bytes));
}
