import Papa from 'papaparse';
import { isBlank } from '../field-conversion';
import { HeaderError, RowMapper, type MappedRecord, type MappingPlan } from '../record-mapper';
import { MAX_RECORD_BYTES, papaParseConfig, type CsvOptions } from './csv-options';
import { CsvInputDecoder, EncodingError } from './csv-input-decoder';
import { ErrorList, type RowError } from './error-list';

/** What a CSV file is read with: the source's mapping and dialect. */
export interface CsvReadPlan {
  plan: MappingPlan;
  options: CsvOptions;
}

export interface ReaderOutput {
  /** A good row. */
  record(record: MappedRecord, line: number): void;
  /** The end of the file: rows read, rows rejected, the first row errors. */
  done(rowsRead: number, rowsRejected: number, errors: RowError[]): void;
  /** The whole file is refused. */
  failed(message: string, line?: number): void;
}

/** The message of a row holding U+0000, which PostgreSQL cannot store in text (nor SQLite's JSON). */
export const NUL_MESSAGE = 'contains the NUL character (U+0000)';

/**
 * Bytes of a CSV file in, mapped records out, synchronously: decoding ({@link CsvInputDecoder}),
 * parsing (papaparse's `Parser`, rows as arrays: about 4 times as fast as csv-parse on this
 * project's 1,000,000-row benchmark file), mapping ({@link RowMapper}), physical line numbers and
 * row errors. It has no I/O of its own, so it is tested directly.
 *
 * The decoder hands over whole lines; the parser is given them with the unfinished record
 * left over from before (`ignoreLastRow`), so a quoted value may span pieces.
 *
 * Lines: a record starts on the line after the previous record's last line; a record spans
 * one line plus the line breaks inside its quoted values. Blank lines are skipped (but
 * counted). The first line is the header. Records end at LF or CRLF (mixed in one file too:
 * the CR before an LF is dropped); a file whose first line ends with a lone CR uses CR.
 */
export class CsvRecordReader {
  private readonly decoder: CsvInputDecoder;
  private parser: Papa.Parser | null = null;
  private mapper: RowMapper | null = null;
  private readonly errors = new ErrorList();
  private rowsRead = 0;
  private rowsRejected = 0;
  /** Line on which the next record starts. */
  private nextLine = 1;
  private stopped = false;
  /** Text of the record not yet complete (a quoted value going on in the next piece). */
  private rest = '';
  private crOnly = false;
  /** Set once a NUL byte went by: only then are values checked for it. */
  private mayHoldNul = false;

  constructor(
    private readonly data: CsvReadPlan,
    private readonly out: ReaderOutput,
  ) {
    this.decoder = new CsvInputDecoder(data.options.encoding);
  }

  /** Physical lines read so far (records and blank lines, with their line breaks). */
  get lines(): number {
    return this.nextLine - 1;
  }

  /** Takes the next bytes (records are handed out before it returns). */
  write(bytes: Uint8Array): void {
    if (this.stopped) return;
    try {
      const piece = this.decoder.push(bytes);
      if (piece) this.parse(piece, false);
    } catch (error) {
      this.failOn(error);
    }
  }

  end(): void {
    if (this.stopped) return;
    try {
      const piece = this.decoder.end();
      if (!this.parse(piece, true)) return;
      if (!this.mapper) {
        this.fail('the file is empty: the first line must be the header', 1);
        return;
      }
      this.stopped = true;
      this.out.done(this.rowsRead, this.rowsRejected, this.errors.list());
    } catch (error) {
      this.failOn(error);
    }
  }

  /** Parses the next piece; false when the file was refused. */
  private parse(piece: Buffer | null, last: boolean): boolean {
    let text = piece ? piece.toString('utf8') : '';
    if (piece?.includes(0)) this.mayHoldNul = true;
    if (!this.parser) {
      text = this.rest + text;
      this.rest = '';
      const brk = firstBreak(text);
      if (brk === null && !last) {
        this.rest = text; // no line break seen yet, or a CR that an LF may follow
        return true;
      }
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.crOnly = brk === '\r';
      this.parser = new Papa.Parser(papaParseConfig(this.data.options, this.crOnly));
    }
    const input = this.rest + text;
    const result = this.parser.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    const unclosed = result.errors.find((e) => e.code === 'MissingQuotes');
    const rows = result.data;
    const count = unclosed?.row ?? rows.length;
    const plain =
      !last && !unclosed && onlyRowBreaks(input, result.meta.cursor, count, this.crOnly);
    for (let i = 0; i < count && !this.stopped; i++) this.record(rows[i], plain);
    if (this.stopped) return false;
    if (unclosed) {
      this.fail(
        `line ${this.nextLine}: a quoted field opened in the record starting on this line is never closed (the file ends inside it)`,
        this.nextLine,
      );
      return false;
    }
    this.rest = last ? '' : input.slice(result.meta.cursor);
    if (this.rest.length > MAX_RECORD_BYTES) {
      this.fail(
        `line ${this.nextLine}: the record starting on this line is larger than 16 MiB (is a quote left open?)`,
        this.nextLine,
      );
      return false;
    }
    return true;
  }

  /** `plain`: the record holds no line break (known for the whole piece, see onlyRowBreaks). */
  private record(values: string[], plain: boolean): void {
    if (!this.crOnly) {
      // Records end at LF; a CRLF leaves its CR at the end of an unquoted last value.
      const end = values.length - 1;
      const last = values[end];
      if (last.charCodeAt(last.length - 1) === 13) values[end] = last.slice(0, -1);
    }
    const line = this.nextLine;
    this.nextLine += plain ? 1 : 1 + breaksIn(values);
    if (!this.mapper) {
      this.header(values);
      return;
    }
    if (values.length === 1 && isBlank(values[0])) return;
    this.rowsRead++;
    if (this.mayHoldNul && values.some((v) => v.includes('\0'))) {
      this.reject(line, NUL_MESSAGE);
      return;
    }
    const result = this.mapper.map(values);
    if (!result.ok) {
      this.reject(line, result.message);
      return;
    }
    this.out.record(result.record, line);
  }

  private header(values: string[]): void {
    if (values.every(isBlank)) {
      this.fail('line 1: the header (the first line) is empty', 1);
      return;
    }
    const nul = values.findIndex((v) => v.includes('\0'));
    if (nul >= 0) {
      this.fail(`header (line 1): the name of column ${nul + 1} ${NUL_MESSAGE}`, 1);
      return;
    }
    try {
      this.mapper = new RowMapper(this.data.plan, values);
    } catch (error) {
      if (!(error instanceof HeaderError)) throw error;
      this.fail(`header (line 1): ${error.message}`, 1);
    }
  }

  private reject(line: number, message: string): void {
    this.rowsRejected++;
    this.errors.add(line, message);
  }

  private failOn(error: unknown): void {
    if (error instanceof EncodingError) this.fail(error.message, error.line);
    else this.fail(error instanceof Error ? error.message : String(error));
  }

  private fail(message: string, line?: number): void {
    if (this.stopped) return;
    this.stopped = true;
    this.rest = '';
    this.out.failed(message, line);
  }
}

/** The first line break of a text: LF (or CRLF), a lone CR, or null (none, or a CR at the end). */
function firstBreak(text: string): string | null {
  const lf = text.indexOf('\n');
  const cr = text.indexOf('\r');
  if (cr >= 0 && (lf < 0 || cr < lf - 1)) return cr === text.length - 1 ? null : '\r';
  return lf >= 0 ? '\n' : null;
}

/**
 * True when the first `end` characters of a piece hold exactly `rows` line breaks, each the
 * end of a record (LF or CRLF; a lone CR in CR files): then no value holds one, and counting
 * them value by value ({@link breaksIn}) can be skipped for the whole piece.
 */
function onlyRowBreaks(text: string, end: number, rows: number, crOnly: boolean): boolean {
  const head = end < text.length ? text.slice(0, end) : text;
  if (crOnly) return count(head, '\r') === rows && !head.includes('\n');
  return count(head, '\n') === rows && !LONE_CR.test(head);
}

const LONE_CR = /\r(?!\n)/;

function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** Line breaks inside the (quoted) values of a record. */
function breaksIn(values: string[]): number {
  let n = 0;
  for (const v of values) {
    if (v.includes('\n') || v.includes('\r')) n += v.split(/\r\n|\r|\n/).length - 1;
  }
  return n;
}
