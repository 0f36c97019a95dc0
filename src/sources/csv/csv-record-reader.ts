import { parse, type Parser } from 'csv-parse';
import { isBlank } from '../field-conversion';
import { HeaderError, RowMapper, type MappedRecord } from '../record-mapper';
import { csvParseOptions } from './csv-options';
import { CsvInputDecoder, EncodingError } from './csv-input-decoder';
import { ErrorList } from './error-list';
import type { ParseWorkerData, RowError } from './parse-messages';

export interface ReaderOutput {
  /** A good row. */
  record(record: MappedRecord, line: number): void;
  /** The end of the file: rows read, rows rejected, the first row errors. */
  done(rowsRead: number, rowsRejected: number, errors: RowError[]): void;
  /**
   * The whole file is refused. `openQuote`: the input ended inside a quoted value (for a
   * piece of a file, see `segment-parse.ts`, this only means the piece was cut inside it).
   */
  failed(message: string, line?: number, openQuote?: boolean): void;
}

/** Where the reader starts: at the top of a file (default) or at a record inside one. */
export interface ReaderStart {
  /** The header's values when the input starts after it (line numbers then count from 1 at the input's start). */
  header?: string[];
}

/**
 * Bytes of a CSV file in, mapped records out: decoding ({@link CsvInputDecoder}),
 * parsing (csv-parse, streaming, rows as arrays), mapping ({@link RowMapper}), physical line
 * numbers and row errors. Runs in the parse workers, on a whole file or on a piece of one that
 * starts at a record (`start`); it has no I/O of its own, so it is tested directly.
 *
 * Lines: a record starts on the line after the previous record's last line; a record spans
 * one line plus the line breaks inside its quoted values. Blank lines are skipped (but
 * counted). The first line is the header.
 */
export class CsvRecordReader {
  private readonly decoder: CsvInputDecoder;
  private readonly parser: Parser;
  private mapper: RowMapper | null = null;
  private readonly errors = new ErrorList();
  private rowsRead = 0;
  private rowsRejected = 0;
  /** Line on which the next record starts. */
  private nextLine = 1;
  private stopped = false;

  constructor(
    private readonly data: Pick<ParseWorkerData, 'plan' | 'options'>,
    private readonly out: ReaderOutput,
    start: ReaderStart = {},
  ) {
    this.decoder = new CsvInputDecoder(data.options.encoding);
    if (start.header) this.mapper = new RowMapper(data.plan, start.header);
    // A byte-order mark is only one at the very start of a file.
    this.parser = parse({ ...csvParseOptions(data.options), bom: !start.header });
    this.parser.on('data', (values: string[]) => {
      if (!this.stopped) this.record(values);
    });
    this.parser.on('error', (error: Error & { code?: string }) => {
      const openQuote = error.code === 'CSV_QUOTE_NOT_CLOSED';
      this.fail(parseErrorMessage(error, this.nextLine), this.nextLine, openQuote);
    });
    this.parser.on('end', () => {
      if (this.stopped) return;
      if (!this.mapper) {
        this.fail('the file is empty: the first line must be the header', 1);
        return;
      }
      this.stopped = true;
      this.out.done(this.rowsRead, this.rowsRejected, this.errors.list());
    });
  }

  /** The header's values, once read. */
  get headerValues(): string[] | undefined {
    return this.mapper?.header;
  }

  /** Physical lines read so far (records and blank lines, with their line breaks). */
  get lines(): number {
    return this.nextLine - 1;
  }

  /** Takes the next bytes; false when the parser wants a 'drain' before more. */
  write(bytes: Uint8Array): boolean {
    if (this.stopped) return true;
    try {
      const piece = this.decoder.push(bytes);
      return piece ? this.parser.write(piece) : true;
    } catch (error) {
      this.failOn(error);
      return true;
    }
  }

  end(): void {
    if (this.stopped) return;
    try {
      const piece = this.decoder.end();
      if (piece) this.parser.write(piece);
      this.parser.end();
    } catch (error) {
      this.failOn(error);
    }
  }

  onceDrain(fn: () => void): void {
    this.parser.once('drain', fn);
  }

  /** Stops emitting batches (the writer is behind); parsing stops when the buffers fill. */
  pause(): void {
    this.parser.pause();
  }

  resume(): void {
    this.parser.resume();
  }

  private record(values: string[]): void {
    const line = this.nextLine;
    this.nextLine += 1 + breaksIn(values);
    if (!this.mapper) {
      this.header(values);
      return;
    }
    if (values.length === 1 && isBlank(values[0])) return;
    this.rowsRead++;
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

  private fail(message: string, line?: number, openQuote = false): void {
    if (this.stopped) return;
    this.stopped = true;
    this.parser.destroy();
    this.out.failed(message, line, openQuote);
  }
}

/** Line breaks inside the (quoted) values of a record. */
function breaksIn(values: string[]): number {
  let n = 0;
  for (const v of values) {
    if (v.includes('\n') || v.includes('\r')) n += v.split(/\r\n|\r|\n/).length - 1;
  }
  return n;
}

function parseErrorMessage(error: Error & { code?: string }, line: number): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return `line ${line}: a quoted field opened in the record starting on this line is never closed (the file ends inside it)`;
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    return `line ${line}: the record starting on this line is larger than 16 MiB (is a quote left open?)`;
  }
  return `line ${line}: the file cannot be parsed as CSV: ${error.message}`;
}
