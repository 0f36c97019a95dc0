/**
 * Number storage off the JavaScript heap. A million-member list kept in a Map and plain arrays
 * made every major GC walk millions of slots, which showed in page latency; typed arrays are
 * not scanned by the GC. Hand-written (~100 lines) because the npm collections that offer
 * typed-array maps (mnemonist and the like) bring far more than this needs.
 */

/** A growable Uint32Array. */
export class GrowableUint32 {
  private data: Uint32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }

  get(i: number): number {
    return this.data[i];
  }

  set(i: number, value: number): void {
    if (i >= this.data.length) this.grow(i + 1);
    this.data[i] = value;
    if (i >= this.length) this.length = i + 1;
  }

  push(value: number): void {
    this.set(this.length, value);
  }

  /** Keeps the first `length` values. */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  private grow(min: number): void {
    let capacity = this.data.length * 2;
    while (capacity < min) capacity *= 2;
    const next = new Uint32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

const EMPTY = 0xffffffff;
const TOMBSTONE = 0xfffffffe;

/** A hash map from uint32 keys (below 0xfffffffe) to uint32 values, with linear probing. */
export class Uint32Map {
  private keys: Uint32Array;
  private values: Uint32Array;
  private used = 0; // live + tombstones
  size = 0;

  constructor(capacity = 16) {
    this.keys = new Uint32Array(capacity).fill(EMPTY);
    this.values = new Uint32Array(capacity);
  }

  get(key: number): number | undefined {
    const slot = this.find(key);
    return slot < 0 ? undefined : this.values[slot];
  }

  has(key: number): boolean {
    return this.find(key) >= 0;
  }

  set(key: number, value: number): void {
    if ((this.used + 1) * 4 > this.keys.length * 3)
      this.rehash(this.size * 2 >= this.keys.length / 2 ? this.keys.length * 2 : this.keys.length);
    const mask = this.keys.length - 1;
    let slot = hash(key) & mask;
    let free = -1;
    for (;;) {
      const k = this.keys[slot];
      if (k === key) {
        this.values[slot] = value;
        return;
      }
      if (k === TOMBSTONE && free < 0) free = slot;
      if (k === EMPTY) break;
      slot = (slot + 1) & mask;
    }
    if (free < 0) {
      free = slot;
      this.used += 1;
    }
    this.keys[free] = key;
    this.values[free] = value;
    this.size += 1;
  }

  delete(key: number): boolean {
    const slot = this.find(key);
    if (slot < 0) return false;
    this.keys[slot] = TOMBSTONE;
    this.size -= 1;
    return true;
  }

  private find(key: number): number {
    const mask = this.keys.length - 1;
    let slot = hash(key) & mask;
    for (;;) {
      const k = this.keys[slot];
      if (k === key) return slot;
      if (k === EMPTY) return -1;
      slot = (slot + 1) & mask;
    }
  }

  private rehash(capacity: number): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(capacity).fill(EMPTY);
    this.values = new Uint32Array(capacity);
    this.used = 0;
    this.size = 0;
    for (let i = 0; i < keys.length; i += 1) {
      if (keys[i] !== EMPTY && keys[i] !== TOMBSTONE) this.set(keys[i], values[i]);
    }
  }
}

function hash(key: number): number {
  let h = Math.imul(key ^ (key >>> 16), 0x45d9f3b);
  h ^= h >>> 16;
  return h >>> 0;
}
