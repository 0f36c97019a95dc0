import type { Db, Statement } from '@platform/database/db.service';
import { RowBatch } from '@platform/database/row-batch';
import { RecordStage, type StagedRecord } from './record-stage';

/** Records per transaction when the stage is copied into a generation (key ranges). */
const PUBLISH_CHUNK = 50_000;

/**
 * Rows per transaction: 10 statements of 500 rows. On SQLite a transaction holds the event
 * loop (better-sqlite3 is synchronous); 5,000 rows of a temporary table take a few tens of ms.
 */
const ROWS_PER_TRANSACTION = 5_000;

/**
 * The SQLite stage: a TEMP table (the connection's temporary database, on disk with
 * `temp_store = FILE`, outside the WAL), loaded with one 500-row INSERT prepared once and
 * reused (`Db` keeps prepared statements by their text), a few thousand rows per transaction.
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

  /**
   * Indexes the loaded rows by key: one sort, which the duplicate search (`GROUP BY`) and the
   * key-range copy into the generation then walk instead of sorting again each.
   */
  async finish(): Promise<void> {
    await this.flush();
    await this.db.query(`CREATE INDEX temp.${this.table}_key ON ${this.table} (record_key, line)`);
  }

  /**
   * Copies the stage in key ranges of {@link PUBLISH_CHUNK} records, a transaction each: one
   * `INSERT … SELECT` of a million rows would hold the event loop (better-sqlite3 is
   * synchronous) and grow the WAL by the whole generation before a checkpoint can run. The
   * generation stays invisible until it is published, as with any chunked write.
   */
  override async publishInto(sourceId: string, generation: number): Promise<number> {
    let total = 0;
    for (let after = ''; ;) {
      const rows = await this.db.query<{ record_key: string }>(
        `SELECT record_key FROM ${this.table} WHERE record_key > ?
         ORDER BY record_key LIMIT 1 OFFSET ${PUBLISH_CHUNK - 1}`,
        [after],
      );
      const edge = rows.at(0);
      const upper = edge ? ' AND record_key <= ?' : '';
      const [changed] = await this.db.atomic([
        {
          sql: `INSERT INTO source_record (source_id, generation, record_key, fields, raw, last_modified)
                SELECT ?, ?, record_key, fields, raw, last_modified FROM ${this.table}
                WHERE record_key > ?${upper} ORDER BY record_key`,
          params: [sourceId, generation, after, ...(edge ? [edge.record_key] : [])],
        },
      ]);
      total += changed;
      if (!edge) return total;
      after = edge.record_key;
    }
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
