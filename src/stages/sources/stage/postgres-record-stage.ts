import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import type { Db } from '@platform/database/db.service';
import { toPostgresPlaceholders } from '@platform/database/sql-dialect';
import { copyValue } from './copy-text';
import { RecordStage, type StagedRecord } from './record-stage';

/** COPY text gathered before it is handed to the stream (one CopyData message). */
const CHUNK_CHARS = 256 * 1024;

/**
 * The PostgreSQL stage: a TEMP table on a connection of its own (temporary tables are
 * unlogged and seen only by that connection), loaded with `COPY … FROM STDIN`
 * (pg-copy-streams) while the file is read: PostgreSQL parses the rows (the JSON into jsonb)
 * in its own process as the app streams them. The stream's back-pressure bounds what the app
 * holds.
 */
export class PostgresRecordStage extends RecordStage {
  private copy!: ReturnType<typeof copyFrom>;
  private text = '';
  /** Set by the stream's 'error' event (the COPY failed). */
  private failure: Error | null = null;
  private closed = false;

  private constructor(
    private readonly runner: QueryRunner,
    private readonly client: PoolClient,
  ) {
    super();
  }

  static async open(db: Db): Promise<PostgresRecordStage> {
    const runner = db.dataSource.createQueryRunner();
    const client = (await runner.connect()) as PoolClient;
    const stage = new PostgresRecordStage(runner, client);
    try {
      await client.query(`CREATE TEMP TABLE ${stage.table} (
        line integer NOT NULL,
        record_key text NOT NULL,
        fields jsonb NOT NULL,
        raw jsonb NOT NULL,
        last_modified text
      )`);
    } catch (error) {
      await runner.release();
      throw error;
    }
    stage.copy = client.query(
      copyFrom(`COPY ${stage.table} (line, record_key, fields, raw, last_modified) FROM STDIN`),
    );
    stage.copy.on('error', (error: Error) => {
      stage.failure ??= error;
    });
    return stage;
  }

  add(record: StagedRecord, line: number): boolean {
    this.text += `${line}\t${copyValue(record.key)}\t${copyValue(record.fields)}\t${copyValue(record.raw)}\t${copyValue(record.lastModified)}\n`;
    this.count++;
    if (this.text.length < CHUNK_CHARS) return this.failure !== null;
    const room = this.copy.write(this.text);
    this.text = '';
    return !room || this.failure !== null;
  }

  async flush(): Promise<void> {
    this.throwIfFailed();
    if (this.text !== '') {
      this.copy.write(this.text);
      this.text = '';
    }
    if (this.copy.writableNeedDrain) await once(this.copy, 'drain');
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    this.throwIfFailed();
    this.copy.end(this.text);
    this.text = '';
    await finished(this.copy);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.text = '';
    if (!this.copy.writableFinished) {
      // Sends CopyFail: the COPY is rolled back and the connection is usable again.
      this.copy.destroy(new Error('the ingest stopped'));
      await finished(this.copy).catch(() => undefined);
    }
    try {
      await this.client.query(`DROP TABLE IF EXISTS ${this.table}`);
    } finally {
      await this.runner.release();
    }
  }

  /**
   * The first row of each key through a window rather than `ON CONFLICT DO NOTHING`, whose
   * speculative inserts cost PostgreSQL ~25% more in an isolated test (SQLite is the other way
   * round: it materializes the window, ~3 s more CPU at 1,000,000 rows). Still one sort: the
   * window's, by key and line, which also hands the rows to the insert in key order.
   */
  protected override publishSql(): string {
    return `INSERT INTO source_record (source_id, generation, record_key, fields, raw, last_modified)
       SELECT CAST(? AS varchar(36)), CAST(? AS integer), record_key, fields, raw, last_modified
       FROM (SELECT record_key, fields, raw, last_modified,
                    ROW_NUMBER() OVER (PARTITION BY record_key ORDER BY line) AS nth
             FROM ${this.table}) firsts
       WHERE nth = 1`;
  }

  protected async run<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const result = await this.client.query(toPostgresPlaceholders(sql), params);
    return result.rows as T[];
  }

  protected async change(sql: string, params: unknown[]): Promise<number> {
    const result = await this.client.query(toPostgresPlaceholders(sql), params);
    return result.rowCount ?? 0;
  }
}
