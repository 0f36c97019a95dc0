import type { MemberRecord } from '@audience-sync/exporter-contract';
import type { FileFormat } from './description';

type Value = MemberRecord['fields'][string] | undefined;

/** Turns members into the lines of one file format. */
export interface RecordFormat {
  extension: string;
  /** Text before the first record (the CSV header). */
  header(fields: string[]): string;
  lines(records: MemberRecord[], fields: string[]): string;
}

/** How a format writes values (CSV only: NDJSON files hold data, not cells). */
export interface FormatOptions {
  /**
   * Text cells starting like a formula are neutralized (OWASP, "CSV injection"): written with a
   * `'` in front and quoted, so spreadsheet programs show them as text instead of running them.
   */
  formulaEscaping: boolean;
}

/** What makes a spreadsheet read a cell as a formula (OWASP's list: = + - @ tab CR). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * CSV as in RFC 4180: comma-separated, CRLF line ends, a header row with the field names, a
 * field quoted when it holds a comma, quote, line break or outer spaces (quotes doubled).
 * Absent values are empty. With `formulaEscaping`, a text value starting with = + - @, a tab or
 * a carriage return becomes `"'=…"`; numbers and booleans are never formulas and stay as they
 * are (-1 is written -1). Written by hand rather than with a CSV library because the plugin
 * depends only on the exporter contract, and this is the whole of the quoting rule.
 */
function csv(options: FormatOptions): RecordFormat {
  const cell = (value: Value): string => {
    if (value === null || value === undefined) return '';
    if (typeof value !== 'string') return csvField(String(value));
    if (options.formulaEscaping && FORMULA_START.test(value)) return quoted(`'${value}`);
    return csvField(value);
  };
  return {
    extension: 'csv',
    header: (fields) => `${fields.map(cell).join(',')}\r\n`,
    lines: (records, fields) => {
      let out = '';
      for (const record of records) {
        out += `${fields.map((f) => cell(record.fields[f])).join(',')}\r\n`;
      }
      return out;
    },
  };
}

/** NDJSON: one JSON object per line with every chosen field (absent values are `null`). */
const ndjson: RecordFormat = {
  extension: 'ndjson',
  header: () => '',
  lines: (records, fields) => {
    let out = '';
    for (const record of records) {
      const row: Record<string, Value> = {};
      for (const f of fields) row[f] = record.fields[f] ?? null;
      out += `${JSON.stringify(row)}\n`;
    }
    return out;
  },
};

/** The writer of one file format. */
export function recordFormat(format: FileFormat, options: FormatOptions): RecordFormat {
  return format === 'ndjson' ? ndjson : csv(options);
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? quoted(value) : value;
}

function quoted(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}
