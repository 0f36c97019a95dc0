import type { RelativeAmount } from './rule';

/**
 * Date values of conditions. Customer dates are stored as ISO-8601 UTC text
 * (`YYYY-MM-DDTHH:mm:ss.sssZ`, see customer-field.ts), so comparisons are text comparisons
 * against values in the same form.
 *
 * - A date alone (`2024-05-01`) means that whole UTC day: `eq` matches any time on it, `gt` is
 *   after its end, `lte` up to its end, `between` includes both end days.
 * - A date-time must carry its zone (`2024-05-01T10:00:00Z`, `…+02:00`) and means that instant.
 */
export type DateValue =
  | {
      kind: 'day';
      /** first instant of the day */ start: string;
      /** first instant after */ end: string;
    }
  | { kind: 'instant'; at: string };

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Parses a date value, or answers undefined when the text is not one. */
export function parseDateValue(text: string): DateValue | undefined {
  const day = DAY.exec(text);
  if (day) {
    const start = utcDay(Number(day[1]), Number(day[2]), Number(day[3]));
    if (start === undefined) return undefined;
    return {
      kind: 'day',
      start: new Date(start).toISOString(),
      end: new Date(start + MS_PER_DAY).toISOString(),
    };
  }
  const dt = DATE_TIME.exec(text);
  if (!dt) return undefined;
  if (utcDay(Number(dt[1]), Number(dt[2]), Number(dt[3])) === undefined) return undefined;
  if (Number(dt[4]) > 23 || Number(dt[5]) > 59 || Number((dt[6] as string | undefined) ?? 0) > 59)
    return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return undefined;
  const at = new Date(ms);
  if (at.getUTCFullYear() < 1 || at.getUTCFullYear() > 9999) return undefined;
  return { kind: 'instant', at: at.toISOString() };
}

/** Milliseconds of midnight UTC of that calendar day, or undefined when it does not exist. */
function utcDay(year: number, month: number, day: number): number | undefined {
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.getTime();
}

/** First instant the value covers. */
export function lowerBound(value: DateValue): string {
  return value.kind === 'day' ? value.start : value.at;
}

/**
 * `now` minus a relative amount, in UTC. Days and weeks are exact multiples of 24 hours;
 * months are calendar months, the day clamped to the target month's length (31 March minus one
 * month is 28 or 29 February). Written by hand: a dozen lines of Date arithmetic do not justify a
 * direct date-library dependency.
 */
export function subtractRelative(now: Date, relative: RelativeAmount): Date {
  switch (relative.unit) {
    case 'days':
      return new Date(now.getTime() - relative.amount * MS_PER_DAY);
    case 'weeks':
      return new Date(now.getTime() - relative.amount * 7 * MS_PER_DAY);
    case 'months': {
      const totalMonths = now.getUTCFullYear() * 12 + now.getUTCMonth() - relative.amount;
      const year = Math.floor(totalMonths / 12);
      const month = totalMonths - year * 12;
      const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      const shifted = new Date(now.getTime());
      shifted.setUTCFullYear(year, month, Math.min(now.getUTCDate(), lastDay));
      return shifted;
    }
  }
}
