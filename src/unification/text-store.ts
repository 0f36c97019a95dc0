import { hash, type Hash } from 'node:crypto';

const BLOCK_BYTES = 16 * 1024 * 1024;

/**
 * A store's contents as another thread can take them without copying: the blocks and the index
 * arrays are shared memory; `block`, `start`, `end` locate text i < `count` (as
 * {@link TextStore} keeps them; the arrays may be longer).
 */
export interface TextStoreData {
  blocks: SharedArrayBuffer[];
  block: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
  bytes: number;
}

/**
 * Append-only storage of many texts (record keys, the records' fields JSON, customer IDs) as
 * UTF-8 in 16 MiB Buffers, addressed by index. A million JS strings kept alive for a run cost
 * the garbage collector dearly (each is copied when promoted, and every collection walks
 * them: it took more time than the matching itself); in Buffers they are a few off-heap
 * blocks the collector never walks. Blocks are never copied when the store grows.
 *
 * Texts compare in UTF-8 byte order, which is Unicode code point order (and SQLite's BINARY
 * collation, and PostgreSQL's "C").
 *
 * The blocks and the index arrays are SharedArrayBuffers, so a worker thread can read a store
 * ({@link share}, {@link TextStore.of}) without copying anything, and a store built by a worker
 * can be appended to another ({@link append}) without copying the texts.
 */
export class TextStore {
  private readonly blocks: Buffer[] = [];
  private current: Buffer = Buffer.alloc(0);
  private used = 0;
  private block = sharedInt32(1024);
  private start = sharedInt32(1024);
  private end = sharedInt32(1024);
  /** The index arrays are another store's (see {@link of}): copied before the first write. */
  private borrowed = false;
  private bytesHeld = 0;
  count = 0;

  add(text: string): number {
    const worst = text.length * 3;
    if (this.blocks.length === 0 || this.used + worst > this.current.length) {
      this.current = Buffer.from(new SharedArrayBuffer(Math.max(BLOCK_BYTES, worst)));
      this.blocks.push(this.current);
      this.used = 0;
    }
    if (this.count === this.block.length || this.borrowed) this.grow();
    const i = this.count++;
    this.block[i] = this.blocks.length - 1;
    this.start[i] = this.used;
    const written = this.current.write(text, this.used, 'utf8');
    this.used += written;
    this.bytesHeld += written;
    this.end[i] = this.used;
    return i;
  }

  /**
   * A store over `data` (from {@link share}, in another thread), reading the same memory; texts
   * added to it are its own.
   */
  static of(data: TextStoreData): TextStore {
    const store = new TextStore();
    store.blocks.push(...data.blocks.map((shared) => Buffer.from(shared)));
    store.block = data.block;
    store.start = data.start;
    store.end = data.end;
    store.borrowed = true;
    store.count = data.count;
    store.bytesHeld = data.bytes;
    store.current = store.blocks.at(-1) ?? store.current;
    store.used = store.current.length; // the next text starts a block of its own
    return store;
  }

  /** The texts as a worker can take them: nothing is copied (see {@link TextStoreData}). */
  share(): TextStoreData {
    return {
      blocks: this.blocks.map((b) => b.buffer as SharedArrayBuffer),
      block: this.block,
      start: this.start,
      end: this.end,
      count: this.count,
      bytes: this.bytesHeld,
    };
  }

  /**
   * Appends the texts of `data` (another store's, from {@link share}) after this store's: their
   * blocks become this store's too; the texts are not copied. The block that was being filled
   * is left as it is (texts added later start a new block).
   */
  append(data: TextStoreData): void {
    const firstBlock = this.blocks.length;
    for (const shared of data.blocks) this.blocks.push(Buffer.from(shared));
    if (this.borrowed) this.grow();
    while (this.count + data.count > this.block.length) this.grow();
    for (let j = 0; j < data.count; j++) {
      const i = this.count + j;
      this.block[i] = data.block[j] + firstBlock;
      this.start[i] = data.start[j];
      this.end[i] = data.end[j];
    }
    this.count += data.count;
    this.bytesHeld += data.bytes;
    if (data.blocks.length > 0) {
      this.current = this.blocks[this.blocks.length - 1];
      this.used = this.current.length; // full: the next text starts a block of its own
    }
  }

  get(i: number): string {
    return this.blocks[this.block[i]].toString('utf8', this.start[i], this.end[i]);
  }

  /** SHA-1 of text `i`'s UTF-8 bytes (the same as hashing `get(i)`). */
  digest(i: number): Buffer {
    return hash('sha1', this.blocks[this.block[i]].subarray(this.start[i], this.end[i]), 'buffer');
  }

  /** Feeds text `i`'s bytes to a hash. */
  feed(i: number, hash: Hash): void {
    hash.update(this.blocks[this.block[i]].subarray(this.start[i], this.end[i]));
  }

  /** Byte order of texts `a` and `b`: negative, 0 or positive. */
  compare(a: number, b: number): number {
    return this.compareTo(a, this.blocks[this.block[b]], this.start[b], this.end[b]);
  }

  /** Byte order of text `i` and `bytes[start, end)`. */
  compareTo(i: number, bytes: Buffer, start: number, end: number): number {
    const own = this.blocks[this.block[i]];
    let p = this.start[i];
    const pEnd = this.end[i];
    let q = start;
    while (p < pEnd && q < end) {
      const d = own[p] - bytes[q];
      if (d !== 0) return d;
      p++;
      q++;
    }
    return pEnd - p - (end - q);
  }

  /** UTF-8 bytes held. */
  get bytes(): number {
    return this.bytesHeld;
  }

  /** Larger index arrays (or, for borrowed ones, arrays of its own first). */
  private grow(): void {
    const size = this.borrowed ? Math.max(1024, this.count * 2) : this.block.length * 2;
    for (const key of ['block', 'start', 'end'] as const) {
      const next = sharedInt32(size);
      next.set(this[key].subarray(0, this.count));
      this[key] = next;
    }
    this.borrowed = false;
  }
}

function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/** Encodes text into a reusable scratch buffer (for comparisons with a {@link TextStore}). */
export class ScratchText {
  buffer = Buffer.allocUnsafe(1024);
  length = 0;

  set(text: string): this {
    if (text.length * 3 > this.buffer.length) this.buffer = Buffer.allocUnsafe(text.length * 3);
    this.length = this.buffer.write(text, 0, 'utf8');
    return this;
  }

  compare(other: ScratchText): number {
    const a = this.buffer;
    const b = other.buffer;
    const n = Math.min(this.length, other.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
    return this.length - other.length;
  }
}
