import type Papa from 'papaparse';
import type { ErrorDetail } from '@platform/errors/app-error';

/** The dialect of a CSV source (`source.options`). */
export interface CsvOptions {
  /** One character between fields (default `,`). */
  delimiter: string;
  /** One character around fields holding delimiters, quotes or line breaks (default `"`). */
  quote: string;
  /** Canonical name of the text encoding of uploads (default `utf-8`). */
  encoding: string;
}

export const DEFAULT_CSV_OPTIONS: Readonly<CsvOptions> = {
  delimiter: ',',
  quote: '"',
  encoding: 'utf-8',
};

/**
 * Encodings of the WHATWG Encoding Standard that this Node.js decodes (its `TextDecoder`),
 * by canonical name. Left out: iso-2022-jp (stateful across lines), and the pseudo-encodings
 * `replacement` and `x-user-defined`.
 */
export const SUPPORTED_ENCODINGS: readonly string[] = [
  'utf-8',
  'utf-16le',
  'utf-16be',
  'windows-1252',
  'windows-1250',
  'windows-1251',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'windows-874',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-8-i',
  'iso-8859-10',
  'iso-8859-13',
  'iso-8859-14',
  'iso-8859-15',
  'iso-8859-16',
  'ibm866',
  'koi8-r',
  'koi8-u',
  'macintosh',
  'x-mac-cyrillic',
  'gbk',
  'gb18030',
  'big5',
  'euc-jp',
  'euc-kr',
  'shift_jis',
].filter(decodable);

function decodable(name: string): boolean {
  try {
    return new TextDecoder(name).encoding === name;
  } catch {
    return false;
  }
}

/**
 * The canonical name of an encoding label (`latin1` → `windows-1252`, `UTF8` → `utf-8`, as the
 * Encoding Standard defines them), or undefined when it is not supported.
 */
export function canonicalEncoding(label: string): string | undefined {
  try {
    const name = new TextDecoder(label.trim()).encoding;
    return SUPPORTED_ENCODINGS.includes(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

const ONE_CHARACTER = /^.$/su;

/** Validates `options` of a CSV source; defaults fill what is missing. */
export function normalizeCsvOptions(input: unknown): {
  options: CsvOptions;
  errors: ErrorDetail[];
} {
  const options: CsvOptions = { ...DEFAULT_CSV_OPTIONS };
  const errors: ErrorDetail[] = [];
  if (input === undefined || input === null) return { options, errors };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return { options, errors: [{ path: 'options', message: 'must be an object' }] };
  }
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const path = `options.${key}`;
    switch (key) {
      case 'delimiter':
      case 'quote':
        if (typeof value !== 'string' || !ONE_CHARACTER.test(value)) {
          errors.push({ path, message: 'must be exactly one character' });
        } else if (value === '\r' || value === '\n') {
          errors.push({ path, message: 'cannot be a line break' });
        } else options[key] = value;
        break;
      case 'encoding': {
        const name = typeof value === 'string' ? canonicalEncoding(value) : undefined;
        if (name === undefined) {
          errors.push({
            path,
            message: `${typeof value === 'string' ? JSON.stringify(value) : 'this'} is not a supported encoding; supported: ${SUPPORTED_ENCODINGS.join(', ')}`,
          });
        } else options.encoding = name;
        break;
      }
      default:
        errors.push({
          path,
          message: 'unknown option (CSV sources take delimiter, quote, encoding)',
        });
    }
  }
  if (errors.length === 0 && options.delimiter === options.quote) {
    errors.push({ path: 'options.quote', message: 'must differ from the delimiter' });
  }
  return { options, errors };
}

/** Largest record the parser accepts (it bounds memory for a file without line breaks). */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/**
 * The papaparse `Parser` settings for a dialect, shared by ingestion and the parse-only
 * benchmark baseline. Input reaches the parser as UTF-8 text (other encodings are decoded
 * before), rows as arrays:
 * - records end at LF (a CRLF's CR is dropped by the reader) or, for a file whose first line
 *   ends with a lone CR, at CR;
 * - a quote is escaped by doubling it (RFC 4180); a quote inside an unquoted field is kept as
 *   text (`5" screen`); an unterminated quoted field fails the whole file (the reader);
 * - rows of another length than the header are reported by the ingest, not by the parser.
 */
export function papaParseConfig(options: CsvOptions, crOnly = false): Papa.ParseConfig {
  return {
    delimiter: options.delimiter,
    quoteChar: options.quote,
    escapeChar: options.quote,
    newline: crOnly ? '\r' : '\n',
  };
}
