/**
 * A Bloom filter over record keys: "surely new" or "maybe seen". Ingestion uses it to find
 * duplicate primary keys without holding every key in memory: only the keys it flags are
 * checked exactly (against the rows already written). Its size is fixed (8 MiB by default),
 * so memory stays flat for any file; past tens of millions of keys it flags more keys and
 * the exact checks grow, but results stay exact.
 *
 * Hand-written (about 30 lines): the npm Bloom filter packages bring dependency trees and
 * object-per-call APIs for what is two string hashes and a bit array.
 */
export class KeyFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;

  /** @param log2Bits size of the filter as a power of two (26: 64 Mi bits, 8 MiB) */
  constructor(
    log2Bits = 26,
    private readonly hashes = 4,
  ) {
    this.bits = new Uint32Array(2 ** (log2Bits - 5));
    this.mask = 2 ** log2Bits - 1;
  }

  /** Adds the key; answers whether it may have been added before (false: surely not). */
  add(key: string): boolean {
    // FNV-1a and a multiplicative hash in one pass, combined by double hashing.
    let h1 = 0x811c9dc5;
    let h2 = 0x2f1b9a5d;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    h2 = (h2 ^ (h2 >>> 13)) | 1;
    let seen = true;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) & this.mask;
      const word = bit >>> 5;
      const flag = 1 << (bit & 31);
      if ((this.bits[word] & flag) === 0) {
        seen = false;
        this.bits[word] |= flag;
      }
    }
    return seen;
  }
}
