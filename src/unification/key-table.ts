/**
 * A hash map from text keys to the first integer stored under them, kept entirely in typed
 * arrays and one byte buffer (the keys' UTF-8 bytes). Exact matching puts a million or more
 * normalized keys per rule in such a map; as a JS `Map` each key is a live string that the
 * garbage collector copies and marks over and over, which took longer than the matching
 * itself. Here the keys are bytes the collector never sees; lookups compare the bytes exactly
 * (no false matches on hash collisions). Written by hand because no maintained package offers
 * an off-heap string-keyed map.
 */
export class KeyTable {
  private slots: Int32Array;
  private mask: number;
  private entryHash = new Int32Array(1024);
  private entryValue = new Int32Array(1024);
  private entryStart = new Int32Array(1024);
  private entryEnd = new Int32Array(1024);
  private bytes = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private scratch = Buffer.allocUnsafe(4096);
  size = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  /**
   * The value stored under `key`; when there is none, stores `value` and answers −1.
   * (Values must be ≥ 0.)
   */
  getOrAdd(key: string, value: number): number {
    let probe = this.scratch;
    if (key.length * 3 > probe.length) probe = Buffer.allocUnsafe(key.length * 3);
    const length = probe.write(key, 0, 'utf8');
    return this.getOrAddBytes(probe, 0, length, keyHash(probe, 0, length), value);
  }

  /**
   * {@link getOrAdd} for a key given as its UTF-8 bytes `bytes[start, end)` and their
   * {@link keyHash} (computed by another thread, say).
   */
  getOrAddBytes(bytes: Buffer, start: number, end: number, h: number, value: number): number {
    let slot = h & this.mask;
    for (;;) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) break;
      if (this.entryHash[entry] === h && this.equals(entry, bytes, start, end)) {
        return this.entryValue[entry];
      }
      slot = (slot + 1) & this.mask;
    }
    this.insert(slot, h, bytes, start, end, value);
    return -1;
  }

  /** The value stored under `key`, or −1. */
  find(key: string): number {
    let probe = this.scratch;
    if (key.length * 3 > probe.length) probe = Buffer.allocUnsafe(key.length * 3);
    const length = probe.write(key, 0, 'utf8');
    const h = keyHash(probe, 0, length);
    let slot = h & this.mask;
    for (;;) {
      const entry = this.slots[slot] - 1;
      if (entry < 0) return -1;
      if (this.entryHash[entry] === h && this.equals(entry, probe, 0, length)) {
        return this.entryValue[entry];
      }
      slot = (slot + 1) & this.mask;
    }
  }

  private equals(entry: number, probe: Buffer, from: number, to: number): boolean {
    const start = this.entryStart[entry];
    const length = to - from;
    if (this.entryEnd[entry] - start !== length) return false;
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) if (bytes[start + i] !== probe[from + i]) return false;
    return true;
  }

  private insert(
    slot: number,
    h: number,
    probe: Buffer,
    from: number,
    to: number,
    value: number,
  ): void {
    const length = to - from;
    const entry = this.size++;
    if (entry === this.entryHash.length) this.growEntries();
    if (this.used + length > this.bytes.length) {
      const next = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + length));
      this.bytes.copy(next, 0, 0, this.used);
      this.bytes = next;
    }
    probe.copy(this.bytes, this.used, from, to);
    this.entryHash[entry] = h;
    this.entryValue[entry] = value;
    this.entryStart[entry] = this.used;
    this.entryEnd[entry] = this.used + length;
    this.used += length;
    this.slots[slot] = entry + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
  }

  private growEntries(): void {
    const size = this.entryHash.length * 2;
    for (const key of ['entryHash', 'entryValue', 'entryStart', 'entryEnd'] as const) {
      const next = new Int32Array(size);
      next.set(this[key]);
      this[key] = next;
    }
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let entry = 0; entry < this.size; entry++) {
      let slot = this.entryHash[entry] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = entry + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * The hash {@link KeyTable} files `bytes[start, end)` under: FNV-1a, finished with a
 * murmur-style mix so low bits spread well.
 */
export function keyHash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h | 0;
}
