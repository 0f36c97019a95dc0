import type { ByteWriter } from '../util/byte-writer';

const DAY_MS = 86_400_000;
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** `YYYY-MM-DDT` per day number, as text and as bytes. */
const dayPrefixes = new Map<number, { text: string; bytes: Buffer }>();

function dayPrefix(day: number): { text: string; bytes: Buffer } {
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    const text = new Date(day * DAY_MS).toISOString().slice(0, 11);
    prefix = { text, bytes: Buffer.from(text, 'latin1') };
    if (dayPrefixes.size > 10_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  return prefix;
}

/**
 * Dataverse writes datetimes without fractions: `2025-03-01T12:34:56Z`. Formatted from a cached
 * day prefix and two-digit tables: `Date#toISOString` per row was a large share of a page.
 */
export function isoTime(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  const seconds = Math.floor((ms - day * DAY_MS) / 1000);
  return `${dayPrefix(day).text}${TWO_DIGITS[Math.floor(seconds / 3600)]}:${TWO_DIGITS[Math.floor(seconds / 60) % 60]}:${TWO_DIGITS[seconds % 60]}Z`;
}

/** `isoTime(ms)` as a JSON string literal, written as bytes. */
export function writeIsoTime(out: ByteWriter, ms: number): void {
  const day = Math.floor(ms / DAY_MS);
  const seconds = Math.floor((ms - day * DAY_MS) / 1000);
  out.byte(34);
  out.bytes(dayPrefix(day).bytes);
  out.digits(Math.floor(seconds / 3600), 2);
  out.byte(58);
  out.digits(Math.floor(seconds / 60) % 60, 2);
  out.byte(58);
  out.digits(seconds % 60, 2);
  out.byte(90);
  out.byte(34);
}
