import type { FieldType, FieldValue } from '@stages/contract/customer-field';

/**
 * Converts the text of a source value into the canonical stored form of its field type
 * (`customer-field.ts`). Shared by every reader (CSV uploads, Dataverse tables).
 *
 * Accepted inputs (surrounding whitespace is ignored for every type but `string`):
 * - `string`: any text, kept as it is; a value that is empty or only whitespace is absent.
 * - `number`: a decimal number with a dot as the decimal separator and an optional exponent
 *   (`42`, `-3.5`, `1e6`, `.5`); no thousands separators, no decimal comma, no `NaN` or
 *   `Infinity`. Ambiguous spellings are refused rather than guessed.
 * - `date`: ISO-8601 / RFC 3339: a date `YYYY-MM-DD` (midnight UTC) or a date-time
 *   `YYYY-MM-DDTHH:mm[:ss[.fraction]]` (`T` or a space between date and time) with a zone
 *   `Z`, `±HH:mm`, `±HHmm` or `±HH`, or without a zone (then read as UTC). Fractions beyond
 *   milliseconds are cut. Month, day (leap years included), hour, minute and second ranges are
 *   checked. Other formats (`03/07/2024`) are refused: they are ambiguous between locales.
 * - `boolean`: `true`/`false`, `yes`/`no`, `y`/`n`, `t`/`f`, `1`/`0`, in any case.
 *
 * Written by hand rather than with a date library: the accepted set is small and must be
 * strict (date libraries are lenient by design), and this runs for every value of every row.
 */
export type Conversion = { ok: true; value: FieldValue } | { ok: false; message: string };

/** Describes the accepted formats of a type, for error messages and the API docs. */
export const ACCEPTED_FORMATS: Record<Exclude<FieldType, 'string'>, string> = {
  number:
    'a decimal number such as 42, -3.5 or 1e6 (dot as decimal separator, no thousands separators)',
  date: 'an ISO-8601 date or date-time such as 2024-05-01, 2024-05-01T10:00:00Z or 2024-05-01 10:00:00+02:00',
  boolean: 'true/false, yes/no, y/n, t/f or 1/0',
};

/** True when the text holds no value (empty or only whitespace). */
export function isBlank(text: string): boolean {
  // Most values start with a visible ASCII character: answer those without trimming.
  const first = text.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return false;
  return text === '' || text.trim() === '';
}

/** Converts a non-blank text to its field type; the caller skips blank values. */
export function convertText(type: FieldType, text: string): Conversion {
  switch (type) {
    case 'string':
      return { ok: true, value: text };
    case 'number':
      return convertNumber(text);
    case 'date': {
      const iso = parseIsoDate(text.trim());
      return iso === undefined ? refuse('date', text) : { ok: true, value: iso };
    }
    case 'boolean':
      return convertBoolean(text);
  }
}

/**
 * Converts a value that arrives already typed (JSON from an API) or as text. Numbers must be
 * finite, booleans are taken as they are, anything else is converted from its text.
 */
export function convertValue(type: FieldType, value: unknown): Conversion | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return isBlank(value) ? undefined : convertText(type, value);
  if (type === 'number' && typeof value === 'number') {
    return Number.isFinite(value) ? { ok: true, value } : refuse('number', String(value));
  }
  if (type === 'boolean' && typeof value === 'boolean') return { ok: true, value };
  if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
    return { ok: true, value: String(value) };
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return convertText(type, String(value));
  }
  return { ok: false, message: `${describe(JSON.stringify(value))} is not a ${type}` };
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

function convertNumber(text: string): Conversion {
  const t = text.trim();
  if (!NUMBER.test(t)) return refuse('number', text);
  const value = Number(t);
  if (!Number.isFinite(value)) return { ok: false, message: `${describe(text)} is out of range` };
  return { ok: true, value: value === 0 ? 0 : value };
}

const TRUE = new Set(['true', 'yes', 'y', 't', '1']);
const FALSE = new Set(['false', 'no', 'n', 'f', '0']);

function convertBoolean(text: string): Conversion {
  const t = text.trim().toLowerCase();
  if (TRUE.has(t)) return { ok: true, value: true };
  if (FALSE.has(t)) return { ok: true, value: false };
  return refuse('boolean', text);
}

const DATE_TIME =
  /^(?<y>\d{4})-(?<mo>\d{2})-(?<d>\d{2})(?:[T ](?<h>\d{2}):(?<mi>\d{2})(?::(?<s>\d{2})(?:[.,](?<f>\d+))?)?(?<z>Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Groups of {@link DATE_TIME}; the optional ones are undefined when absent. */
interface DateParts {
  y: string;
  mo: string;
  d: string;
  h?: string;
  mi?: string;
  s?: string;
  f?: string;
  z?: string;
}

/**
 * Parses an ISO-8601 date or date-time (see the module comment) into the canonical
 * `YYYY-MM-DDTHH:mm:ss.sssZ`, or undefined when it is not one.
 */
export function parseIsoDate(text: string): string | undefined {
  // Fast paths for the common UTC shapes; everything else goes through the full pattern.
  const n = text.length;
  if ((n === 10 || n === 20 || n === 24) && dateFieldsValid(text)) {
    if (n === 10) return `${text}T00:00:00.000Z`;
    const t = text.charCodeAt(10);
    if ((t === 84 || t === 32) && timeFieldsValid(text) && text.charCodeAt(n - 1) === 90) {
      if (n === 20) return `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`;
      if (text.charCodeAt(19) === 46 && digitsAt(text, 20, 3) >= 0) {
        return t === 84 ? text : `${text.slice(0, 10)}T${text.slice(11)}`;
      }
    }
  } else if (n === 25 && dateFieldsValid(text) && timeFieldsValid(text)) {
    const zoned = withOffset(text);
    if (zoned !== null) return zoned;
  }
  return parseIsoDateSlow(text);
}

/**
 * `YYYY-MM-DDTHH:mm:ss±HH:mm` (validated date and time fields) in UTC; null for anything else
 * (the full pattern then decides). Exports with a zone spell this shape, on every row.
 */
function withOffset(text: string): string | undefined | null {
  const sign = text.charCodeAt(19);
  const t = text.charCodeAt(10);
  if ((sign !== 43 && sign !== 45) || (t !== 84 && t !== 116 && t !== 32)) return null;
  const zh = digitsAt(text, 20, 2);
  const zm = digitsAt(text, 23, 2);
  const year = digitsAt(text, 0, 4);
  if (text.charCodeAt(22) !== 58 || zh < 0 || zm < 0 || year < 100) return null;
  if (zh > 23 || zm > 59) return undefined;
  const time = Date.UTC(
    year,
    digitsAt(text, 5, 2) - 1,
    digitsAt(text, 8, 2),
    digitsAt(text, 11, 2),
    digitsAt(text, 14, 2) - (sign === 45 ? -1 : 1) * (zh * 60 + zm),
    digitsAt(text, 17, 2),
  );
  return time < YEAR_10000 ? new Date(time).toISOString() : undefined;
}

/** `YYYY-MM-DD` at the start, with a valid month and day. */
function dateFieldsValid(text: string): boolean {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return (
    year >= 0 &&
    text.charCodeAt(4) === 45 &&
    text.charCodeAt(7) === 45 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** `HH:mm:ss` at offset 11, in range. */
function timeFieldsValid(text: string): boolean {
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  return (
    text.charCodeAt(13) === 58 &&
    text.charCodeAt(16) === 58 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

/** The decimal number spelled by `count` digits at `start`, or -1. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    value = value * 10 + c;
  }
  return value;
}

function parseIsoDateSlow(text: string): string | undefined {
  const p = DATE_TIME.exec(text)?.groups as DateParts | undefined;
  if (!p) return undefined;
  const year = +p.y;
  const month = +p.mo;
  const day = +p.d;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (p.h === undefined || p.mi === undefined) return `${p.y}-${p.mo}-${p.d}T00:00:00.000Z`;
  const hour = +p.h;
  const minute = +p.mi;
  const second = p.s === undefined ? 0 : +p.s;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = p.f === undefined ? 0 : +p.f.slice(0, 3).padEnd(3, '0');
  let offsetMinutes = 0;
  if (p.z !== undefined && p.z.toUpperCase() !== 'Z') {
    const digits = p.z.slice(1).replace(':', '');
    const zh = +digits.slice(0, 2);
    const zm = digits.length > 2 ? +digits.slice(2) : 0;
    if (zh > 23 || zm > 59) return undefined;
    offsetMinutes = (p.z.startsWith('-') ? -1 : 1) * (zh * 60 + zm);
  }
  if (offsetMinutes === 0) {
    return `${p.y}-${p.mo}-${p.d}T${p.h}:${p.mi}:${pad(second, 2)}.${pad(millis, 3)}Z`;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, millis);
  const time = date.getTime();
  // A zone may move a time just outside the four-digit years the canonical form spells.
  if (time < YEAR_0 || time >= YEAR_10000) return undefined;
  return date.toISOString();
}

const YEAR_0 = new Date(0).setUTCFullYear(0, 0, 1);
const YEAR_10000 = Date.UTC(10000, 0, 1);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function refuse(type: Exclude<FieldType, 'string'>, text: string): Conversion {
  return {
    ok: false,
    message: `${describe(text)} is not a ${type} (expected ${ACCEPTED_FORMATS[type]})`,
  };
}

/** A value quoted for an error message, shortened when long. */
export function describe(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}
