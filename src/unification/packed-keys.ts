import { Utf8Pack } from '../common/utf8-pack';
import { keyHash } from './key-table';
import type { RecordKeys } from './matcher';

/**
 * The match keys of many records (see {@link RecordKeys}) as another thread hands them over:
 * UTF-8 bytes back to back with their cut points, and each exact key's {@link keyHash}, so the
 * receiving thread files them without decoding, re-encoding or hashing (and without the
 * structured clone of an array and a string per key).
 */
export interface PackedKeys {
  /** Records packed; `rules` pieces each. */
  count: number;
  bytes: Uint8Array;
  /** End of each piece in `bytes`. */
  ends: Uint32Array;
  /** Per piece: {@link NO_KEY}, {@link EXACT_KEY} or {@link FUZZY_KEY}. */
  kinds: Uint8Array;
  /** Per piece: the key hash of an exact key (0 otherwise). */
  hashes: Int32Array;
}

export const NO_KEY = 0;
export const EXACT_KEY = 1;
/** A fuzzy rule's key as JSON `{ block, fuzzy }` (rare enough not to pack further). */
export const FUZZY_KEY = 2;

/** Packs the keys of records, one batch at a time. */
export class PackedKeysBuilder {
  private readonly texts = new Utf8Pack();
  private kinds: number[] = [];
  private hashes: number[] = [];
  count = 0;

  add(keys: RecordKeys): void {
    for (const key of keys) {
      if (key === null) {
        this.piece('', NO_KEY, false);
      } else if (typeof key === 'string') {
        this.piece(key, EXACT_KEY, true);
      } else {
        this.piece(JSON.stringify(key), FUZZY_KEY, false);
      }
    }
    this.count++;
  }

  /** The batch (its buffers can be transferred); the builder starts a new one. */
  take(): PackedKeys {
    const { bytes, ends } = this.texts.take();
    const packed: PackedKeys = {
      count: this.count,
      bytes,
      ends,
      kinds: Uint8Array.from(this.kinds),
      hashes: Int32Array.from(this.hashes),
    };
    this.kinds = [];
    this.hashes = [];
    this.count = 0;
    return packed;
  }

  private piece(text: string, kind: number, hashed: boolean): void {
    this.texts.add(text);
    this.kinds.push(kind);
    const bytes = hashed ? this.texts.last() : undefined;
    this.hashes.push(bytes ? keyHash(bytes, 0, bytes.length) : 0);
  }
}

/** The buffers of a batch (for `postMessage`'s transfer list). */
export function packedKeysTransfer(packed: PackedKeys): ArrayBuffer[] {
  return [packed.bytes, packed.ends, packed.kinds, packed.hashes].map(
    (a) => a.buffer as ArrayBuffer,
  );
}
