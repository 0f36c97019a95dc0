import type { Statement } from './db.service';
import { assertIdentifier, type SqlDialect } from './sql-dialect';

/** Rows per multi-row statement (as `Db.insertRows`), within the store's parameter limit. */
const ROWS_PER_STATEMENT = 500;

/**
 * Rows for one table collected as one flat parameter list, turned into multi-row INSERT
 * statements. Same statements as `Db.insertRows`, but without an array per row and a copy of
 * every value to flatten them, and with the SQL of each statement size built once: for the bulk
writers (ingest's records, unification's customers and identities: millions of rows).
 */
export class RowBatch {
  private params: unknown[] = [];
  private readonly head: string;
  private readonly tuple: string;
  private readonly perStatement: number;
  private readonly texts = new Map<number, string>();

  constructor(
    table: string,
    private readonly columns: string[],
    dialect: SqlDialect,
    private readonly options: { suffix?: string; casts?: Record<string, string> } = {},
  ) {
    assertIdentifier(table);
    columns.forEach(assertIdentifier);
    this.head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    this.tuple = `(${columns.map((c) => options.casts?.[c] ?? '?').join(', ')})`;
    this.perStatement = Math.max(
      1,
      Math.min(ROWS_PER_STATEMENT, Math.floor(dialect.maxParameters / columns.length)),
    );
  }

  /** Adds one row: exactly one value per column, in column order. */
  add(...values: unknown[]): void {
    for (const v of values) this.params.push(v);
  }

  get rows(): number {
    return this.params.length / this.columns.length;
  }

  /** Whether the batch holds rows for at least one statement of the largest size. */
  get full(): boolean {
    return this.params.length >= this.perStatement * this.columns.length;
  }

  /** The statements for the rows added since the last call; empties the batch. */
  take(): Statement[] {
    const width = this.columns.length;
    const rows = this.rows;
    const out: Statement[] = [];
    if (rows <= this.perStatement) {
      // The common case when statements are taken as the batch fills: no copy.
      if (rows > 0) out.push({ sql: this.sql(rows), params: this.params });
    } else {
      for (let first = 0; first < rows; first += this.perStatement) {
        const count = Math.min(this.perStatement, rows - first);
        out.push({
          sql: this.sql(count),
          params: this.params.slice(first * width, (first + count) * width),
        });
      }
    }
    this.params = [];
    return out;
  }

  private sql(count: number): string {
    let text = this.texts.get(count);
    if (!text) {
      text = `${this.head}${new Array<string>(count).fill(this.tuple).join(', ')}${this.options.suffix ? ` ${this.options.suffix}` : ''}`;
      this.texts.set(count, text);
    }
    return text;
  }
}
