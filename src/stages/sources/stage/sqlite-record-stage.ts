import type { Db, Statement } from '@platform/database/db.service';
import { RowBatch } from '@platform/database/row-batch';
import { RecordStage, type StagedRecord } from './record-stage';

/**
 * Rows per transaction: one statement of 500. Rows held longer survive V8's young-generation
 * collections and fill the old generation: with 5,000 (10 statements) the app peaked at
 * ~430 MB and spent ~13% more CPU on an ingest of 1,000,000 rows, against ~320 MB with 500.
 */
const ROWS_PER_TRANSACTION = 500;

/**
 * The SQLite stage: a TEMP table (the connection's temporary database, on disk with
 * `temp_store = FILE`, outside the WAL), loaded with one 500-row INSERT prepared once and
 * reused (`Db` keeps prepared statements by their text), a statement per transaction.
 *
 * Its publish is one statement, run synchronously by better-sqlite3: it holds the event loop
 * for its sort and insert (about 3 s for 1,000,000 records), and the WAL grows by the
 * generation until the next checkpoint. Key-range chunks (as before) need an index on the stage
 * and a lookup into the stage per record: about three times the time of one sorted statement.
 */
export class SqliteRecordStage extends RecordStage {
  private readonly batch: RowBatch;
  private pending: Statement[] = [];
  private closed = false;

  private constructor(private readonly db: Db) {
    super();
    this.batch = new RowBatch(
      this.table,
      ['line', 'record_key', 'fields', 'raw', 'last_modified'],
      db.dialect,
    );
  }

  static async open(db: Db): Promise<SqliteRecordStage> {
    const stage = new SqliteRecordStage(db);
    await db.query(`CREATE TEMP TABLE ${stage.table} (
      line INTEGER NOT NULL,
      record_key TEXT NOT NULL,
      fields TEXT NOT NULL,
      raw TEXT NOT NULL,
      last_modified TEXT
    )`);
    return stage;
  }

  add(record: StagedRecord, line: number): boolean {
    const b = this.batch;
    b.add(line, record.key, record.fields, record.raw, record.lastModified);
    this.count++;
    if (b.full) this.pending.push(...b.take());
    return this.pending.length * 500 >= ROWS_PER_TRANSACTION;
  }

  async flush(): Promise<void> {
    this.pending.push(...this.batch.take());
    const statements = this.pending;
    this.pending = [];
    await this.db.atomic(statements);
  }

  async finish(): Promise<void> {
    await this.flush();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    this.batch.take();
    await this.db.query(`DROP TABLE IF EXISTS temp.${this.table}`);
  }

  protected run<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.db.query<T>(sql, params);
  }

  protected async change(sql: string, params: unknown[]): Promise<number> {
    const [changed] = await this.db.atomic([{ sql, params }]);
    return changed;
  }
}
