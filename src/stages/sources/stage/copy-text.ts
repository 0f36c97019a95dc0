/** The characters COPY's text format escapes. */
const SPECIAL = /[\\\n\r\t]/;
const SPECIALS = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A value in PostgreSQL's COPY text format (tab-separated, `\N` for null): backslash, line
 * breaks and tab are escaped. Hand-written because it is four replacements and runs for every
 * value of a bulk load. Text must not hold U+0000 (PostgreSQL refuses it; readers reject
 * such rows before they get here).
 */
export function copyValue(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return SPECIAL.test(value) ? value.replace(SPECIALS, (c) => ESCAPES[c]) : value;
}
