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

/** A 32-bit hash of small integers (murmur3 finalizer over a running combination). */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
  }
  return h >>> 0;
}

export function hex(value: number, digits: number): string {
  return (value >>> 0)
    .toString(16)
    .padStart(8, '0')
    .slice(8 - digits);
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
    const pa = mix32(a ^ this.key);
    const pb = mix32(b ^ (this.key * 31));
    const h1 = hash32(this.key, pa, pb);
    const h2 = hash32(h1, pb, this.key);
    return (
      `${hex(pa, 8)}-${hex(h1 >>> 16, 4)}-4${hex(h1, 3)}-` +
      `${hex(8 | ((h2 >>> 28) & 3), 1)}${hex(h2 >>> 16, 3)}-${hex(h2, 4)}${hex(pb, 8)}`
    );
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
