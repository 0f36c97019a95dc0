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

/**
 * CSV as in RFC 4180: comma-separated, CRLF line ends, a header row with the field names, a
 * field quoted when it holds a comma, quote, line break or outer spaces (quotes doubled).
 * Absent values are empty. Written by hand rather than with a CSV library because the
 * plugin depends only on the exporter contract, and this is the whole of the quoting rule.
 */
const csv: RecordFormat = {
  extension: 'csv',
  header: (fields) => `${fields.map(csvField).join(',')}\r\n`,
  lines: (records, fields) => {
    let out = '';
    for (const record of records) {
      out += `${fields.map((f) => csvField(text(record.fields[f]))).join(',')}\r\n`;
    }
    return out;
  },
};

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

export const RECORD_FORMATS: Record<FileFormat, RecordFormat> = { csv, ndjson };

function text(value: Value): string {
  return value === null || value === undefined ? '' : String(value);
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
