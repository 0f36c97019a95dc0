import { parse } from 'csv-parse/browser/esm/sync';
import type { FieldType } from '../../api/types';

/** The start of a CSV file read in the browser: its columns and a few rows, for the mapping form. */
export interface CsvPreview {
  columns: string[];
  rows: string[][];
  delimiter: string;
}

export const DELIMITERS: { value: string; label: string }[] = [
  { value: ',', label: 'Comma ( , )' },
  { value: ';', label: 'Semicolon ( ; )' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Pipe ( | )' },
];

const SAMPLE_BYTES = 256 * 1024;
const SAMPLE_ROWS = 50;

/** The delimiter that splits the first line into the most columns (outside quotes). */
export function guessDelimiter(text: string, quote = '"'): string {
  let best = ',';
  let bestCount = 0;
  for (const { value } of DELIMITERS) {
    let count = 0;
    let quoted = false;
    for (const ch of text) {
      if (ch === quote) quoted = !quoted;
      else if (!quoted && (ch === '\n' || ch === '\r')) break;
      else if (!quoted && ch === value) count++;
    }
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

function decode(buffer: ArrayBuffer, encoding: string): string {
  try {
    return new TextDecoder(encoding || 'utf-8').decode(buffer);
  } catch {
    throw new Error(`This browser cannot read the encoding "${encoding}".`);
  }
}

/**
 * Reads the header and the first rows of a CSV file without loading the whole file: only its
 * first 256 KB are read, and parsing stops after the rows it needs (csv-parse's browser build, the
 * same parser the server uses, so quoting rules agree).
 */
export async function readCsvPreview(
  file: File,
  options: { delimiter?: string; quote?: string; encoding?: string } = {},
): Promise<CsvPreview> {
  const text = decode(await file.slice(0, SAMPLE_BYTES).arrayBuffer(), options.encoding ?? '');
  const quote = options.quote || '"';
  const delimiter = options.delimiter || guessDelimiter(text.replace(/^\uFEFF/, ''), quote);
  const parseRows = (to: number) =>
    parse(text, {
      bom: true,
      delimiter,
      quote,
      to,
      relax_column_count: true,
      skip_empty_lines: true,
    });
  let records: string[][];
  try {
    records = parseRows(SAMPLE_ROWS + 1);
  } catch {
    // The sample may end inside a quoted field; the header alone is enough for the mapping.
    try {
      records = parseRows(1);
    } catch (error) {
      throw new Error(
        `The first line of this file could not be read as CSV: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }
  if (records.length === 0) throw new Error('This file is empty: it has no header line.');
  const columns = records[0].map((c) => c.trim());
  if (columns.every((c) => c === '')) throw new Error('The header line of this file is empty.');
  return { columns, rows: records.slice(1), delimiter };
}

const NUMBER = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false|yes|no)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A type that every sample value of the column fits (string when unsure). */
export function guessType(values: string[]): FieldType {
  const filled = values.map((v) => v.trim()).filter(Boolean);
  if (filled.length === 0) return 'string';
  if (filled.every((v) => DATE.test(v))) return 'date';
  if (filled.every((v) => BOOLEAN.test(v))) return 'boolean';
  // Leading zeros (postal codes, phone numbers) are text, not numbers.
  if (filled.every((v) => NUMBER.test(v) && !/^-?0\d/.test(v))) return 'number';
  return 'string';
}

const KNOWN: Record<string, string> = {
  email: 'email',
  emailaddress: 'email',
  emailaddress1: 'email',
  mail: 'email',
  firstname: 'firstName',
  givenname: 'firstName',
  forename: 'firstName',
  lastname: 'lastName',
  surname: 'lastName',
  familyname: 'lastName',
  fullname: 'fullName',
  name: 'fullName',
  phone: 'phone',
  telephone: 'phone',
  telephone1: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
  city: 'city',
  address1city: 'city',
  contactid: 'contactId',
};

/** Is the header one of the well-known customer fields (email, contactid…)? */
export function isKnownField(column: string): boolean {
  const compact = column
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return compact in KNOWN;
}

/** A customer field name for a column header: known names first, else camelCase of the header. */
export function suggestFieldName(column: string): string {
  const plain = column
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim();
  const compact = plain.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (KNOWN[compact]) return KNOWN[compact];
  const words = plain.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (words.length === 0) return '';
  const camel = words
    .map((w, i) =>
      i === 0
        ? w.charAt(0).toLowerCase() + w.slice(1)
        : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase(),
    )
    .join('');
  const name = /^[A-Za-z]/.test(camel) ? camel : `f${camel}`;
  return name.slice(0, 64);
}

/** Field names are identifiers (the server's rule: `^[A-Za-z][A-Za-z0-9_]{0,63}$`). */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
