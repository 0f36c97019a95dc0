import { createHash } from 'node:crypto';

/**
 * Deterministic, decodable GUIDs. Seeded contacts and list memberships do not store their ids:
 * an id is computed from a small integer (a row index) and decoded back to it, so a million
 * contacts or members cost no string storage and no id → index map. The integer goes through an
 * invertible 32-bit mix, so ids look random; the other 96 bits are a hash, checked on decode.
 */

const MIX_A = 0x7feb352d;
const MIX_B = 0x846ca68b;
const INV_A = inverse(MIX_A);
const INV_B = inverse(MIX_B);

function inverse(odd: number): number {
  let x = odd;
  for (let i = 0; i < 5; i += 1) x = Math.imul(x, 2 - Math.imul(odd, x));
  return x >>> 0;
}

/** Invertible 32-bit mix (xor-shift by 16 is its own inverse for 32-bit values). */
export function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, MIX_A) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, MIX_B) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

export function unmix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, INV_B) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, INV_A) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

/** A 32-bit hash of two or three integers (murmur3 finalizer over a running combination). */
export function hash32(a: number, b: number, c?: number): number {
  const h = step(step(0x9e3779b9, a), b);
  return (c === undefined ? h : step(h, c)) >>> 0;
}

function step(hash: number, part: number): number {
  let h = Math.imul(hash ^ (part >>> 0), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

const HEX_CHARS = Buffer.from('0123456789abcdef', 'latin1');
/** Scratch space for GUID text: written byte by byte, read as one flat string. */
const scratch = Buffer.alloc(36);

function putHex(target: Uint8Array, v: number, at: number, digits: number): void {
  for (let i = digits - 1; i >= 0; i -= 1) {
    target[at + i] = HEX_CHARS[(v >>> ((digits - 1 - i) * 4)) & 15];
  }
}

/**
 * Writes a GUID's 36 characters from four 32-bit words into `target` at `at`, with the
 * version-4 and RFC 4122 variant bits like a random GUID. Written as bytes: concatenating hex
 * pieces made deep rope strings that cost more than the rest of a 5,000-row page when
 * serialized, and a page writes its ids straight into the response buffer.
 */
function writeGuid(target: Uint8Array, at: number, w0: number, w1: number, w2: number, w3: number) {
  putHex(target, w0 >>> 0, at, 8);
  target[at + 8] = 45; // '-'
  putHex(target, w1 >>> 16, at + 9, 4);
  target[at + 13] = 45;
  putHex(target, 0x4000 | (w1 & 0x0fff), at + 14, 4);
  target[at + 18] = 45;
  putHex(target, 0x8000 | ((w2 >>> 16) & 0x3fff), at + 19, 4);
  target[at + 23] = 45;
  putHex(target, w2 & 0xffff, at + 24, 4);
  putHex(target, w3 >>> 0, at + 28, 8);
}

/** Hashes a seed or a name to 32 bits. */
export function keyOf(...parts: (string | number)[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

/**
 * A codec between small integers and GUIDs: `a` (e.g. a list number) and `b` (a row index)
 * are mixed into the first and last 32 bits; the middle 64 bits are a keyed hash of both.
 */
export class GuidCodec {
  constructor(private readonly key: number) {}

  encode(a: number, b: number): string {
    this.encodeInto(a, b, scratch, 0);
    return scratch.toString('latin1', 0, 36);
  }

  /** Writes the GUID of (a, b) as 36 ASCII bytes into `target` at `at`. */
  encodeInto(a: number, b: number, target: Uint8Array, at: number): void {
    const pa = mix32(a ^ this.key);
    const pb = mix32(b ^ (this.key * 31));
    const h1 = hash32(this.key, pa, pb);
    const h2 = hash32(h1, pb, this.key);
    writeGuid(target, at, pa, h1, h2, pb);
  }

  /** Decodes an id made by `encode`; undefined when the text is not one of ours. */
  decode(id: string): { a: number; b: number } | undefined {
    if (id.length !== 36) return undefined;
    const lower = id.toLowerCase();
    const pa = Number.parseInt(lower.slice(0, 8), 16);
    const pb = Number.parseInt(lower.slice(28, 36), 16);
    if (Number.isNaN(pa) || Number.isNaN(pb)) return undefined;
    const a = (unmix32(pa) ^ this.key) >>> 0;
    const b = (unmix32(pb) ^ (this.key * 31)) >>> 0;
    return this.encode(a, b) === lower ? { a, b } : undefined;
  }
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(text: string): boolean {
  return GUID_RE.test(text);
}

/** Strips optional braces and lower-cases a GUID; undefined when it is not one. */
export function normalizeGuid(text: string): string | undefined {
  const bare = text.startsWith('{') && text.endsWith('}') ? text.slice(1, -1) : text;
  return isGuid(bare) ? bare.toLowerCase() : undefined;
}

/** A deterministic GUID from a seed and a name (tenant, client, users…). */
export function namedGuid(seed: number, name: string): string {
  const h = createHash('sha256').update(`${seed}:${name}`).digest('hex');
  const variant = ((Number.parseInt(h[16], 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
