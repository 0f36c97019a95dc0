import type { Db, Statement } from '@platform/database/db.service';
import { RowBatch } from '@platform/database/row-batch';
import { assertIdentifier } from '@platform/database/sql-dialect';

/** A column of a bulk insert and its type (PostgreSQL names it for the array parameter). */
export interface BulkColumn {
  name: string;
  type: 'integer' | 'text' | 'jsonb';
}

/** Rows per PostgreSQL statement: one array parameter per column, whatever the row count. */
const PG_ROWS_PER_STATEMENT = 10_000;

/**
 * The scratch rows a run writes from the app (match keys, cluster members, merged fields), as
 * few statements as each store takes best. SQLite: RowBatch's prepared multi-row INSERTs.
 * PostgreSQL: one `INSERT … SELECT * FROM unnest(…)` per 10,000 rows with an array parameter
 * per column; multi-row VALUES cost a parse and plan of thousands of placeholders per 500
 * rows (measured: the match keys of 200,000 records took 2.7 s that way).
 */
export class BulkRows {
  private readonly batch?: RowBatch;
  private readonly head: string;
  private columnsValues: unknown[][];
  private count = 0;

  constructor(
    db: Db,
    table: string,
    private readonly columns: BulkColumn[],
  ) {
    assertIdentifier(table);
    for (const c of columns) assertIdentifier(c.name);
    this.columnsValues = columns.map(() => []);
    const names = columns.map((c) => c.name).join(', ');
    const arrays = columns.map((c) => `CAST(? AS ${c.type}[])`).join(', ');
    this.head = `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays})`;
    if (db.kind === 'sqlite') {
      this.batch = new RowBatch(
        table,
        columns.map((c) => c.name),
        db.dialect,
      );
    }
  }

  /** Adds one row: exactly one value per column, in column order. */
  add(...values: unknown[]): void {
    if (this.batch) {
      this.batch.add(...values);
      return;
    }
    for (let c = 0; c < values.length; c++) this.columnsValues[c].push(values[c]);
    this.count++;
  }

  /** Whether enough rows are held for a statement of the largest size. */
  get full(): boolean {
    return this.batch ? this.batch.full : this.count >= PG_ROWS_PER_STATEMENT;
  }

  /** The statements for the rows added since the last call; empties the batch. */
  take(): Statement[] {
    if (this.batch) return this.batch.take();
    if (this.count === 0) return [];
    const statement = { sql: this.head, params: this.columnsValues };
    this.columnsValues = this.columns.map(() => []);
    this.count = 0;
    return [statement];
  }
}
