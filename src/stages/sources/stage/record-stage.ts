import { randomBytes } from 'node:crypto';
import { ErrorList, MAX_REPORTED_ERRORS, type RowError } from '../csv/error-list';

/** A record on its way into a generation: JSON texts for `fields` and `raw`. */
export interface StagedRecord {
  key: string;
  fields: string;
  raw: string;
  lastModified: string | null;
}

/** Rows of the stage whose key an earlier row has: counted, the first ones listed by line. */
export interface StageDuplicates {
  count: number;
  errors: RowError[];
}

/** Why a row with a key seen before is left out. */
export function duplicateMessage(key: string): string {
  return `duplicate primary key ${JSON.stringify(key)}: an earlier row has the same key (the first one is kept)`;
}

/** What {@link RecordStage.publishInto} stored, and the rows it left out as duplicate keys. */
export interface StagePublished {
  stored: number;
  duplicates: StageDuplicates;
}

/**
 * A temporary table that an ingest loads its records into, through the store's bulk path
 * (PostgreSQL: `COPY … FROM STDIN`; SQLite: one prepared multi-row INSERT reused, in
 * transactions), then publishes into a generation of `source_record` with one
 * `INSERT … SELECT … ORDER BY record_key, line ON CONFLICT DO NOTHING` (see {@link publishInto}).
 *
 * Each row carries its `line` (the file's physical line, or a position in a read): it orders
 * duplicates (the first row of a key is kept) and names the rows left out. The app holds only
 * the rows of the current chunk; the table lives on the store's temporary storage and is
 * dropped by {@link close} (or with the connection, if the process dies).
 */
export abstract class RecordStage {
  /** The temporary table's name, unique to this stage. */
  readonly table = `ingest_stage_${randomBytes(6).toString('hex')}`;
  protected count = 0;

  /** Records added so far (duplicates included). */
  get rows(): number {
    return this.count;
  }

  /** Adds a record; answers true when the caller should await {@link flush} before more. */
  abstract add(record: StagedRecord, line: number): boolean;

  /** Writes what {@link add} has buffered (or waits for the store to take it). */
  abstract flush(): Promise<void>;

  /** Every record is in: completes the load. */
  abstract finish(): Promise<void>;

  /** Drops the table and lets go of the connection; safe to call more than once. */
  abstract close(): Promise<void>;

  /** Runs a statement on the stage's connection (the temporary table is only seen there). */
  protected abstract run<T>(sql: string, params?: unknown[]): Promise<T[]>;

  /** Writes the statement's rows changed (for `INSERT … SELECT`). */
  protected abstract change(sql: string, params: unknown[]): Promise<number>;

  /**
   * Copies the staged records into a new (empty) generation of the source, after
   * {@link finish}. One statement and one sort: in key order (the records index is written
   * where it grows, not at random places), and within a key by line, so that the first row of
   * a key is the one inserted and `ON CONFLICT DO NOTHING` skips the later ones. The records
   * are written once into `source_record`, with no index on the stage and no separate
   * duplicate pass; only when rows were skipped are they looked up, set-wise, to name them.
   * (PostgreSQL keeps the first rows with a window instead, see {@link publishSql}.)
   */
  async publishInto(sourceId: string, generation: number): Promise<StagePublished> {
    const stored = await this.change(this.publishSql(), [sourceId, generation]);
    const skipped = this.count - stored;
    return {
      stored,
      duplicates: { count: skipped, errors: skipped > 0 ? await this.listDuplicates() : [] },
    };
  }

  /** The statement of {@link publishInto} (parameters: source id, generation). */
  protected publishSql(): string {
    return `INSERT INTO source_record (source_id, generation, record_key, fields, raw, last_modified)
       SELECT CAST(? AS varchar(36)), CAST(? AS integer), record_key, fields, raw, last_modified
       FROM ${this.table} WHERE true ORDER BY record_key, line
       ON CONFLICT (source_id, generation, record_key) DO NOTHING`;
  }

  /** The first rows (by line) whose key an earlier row has: `GROUP BY … HAVING` on the stage. */
  private async listDuplicates(): Promise<RowError[]> {
    const listed = await this.run<{ line: number | string; record_key: string }>(
      `SELECT s.line AS line, s.record_key AS record_key FROM ${this.table} s
       JOIN (SELECT record_key, MIN(line) AS first_line FROM ${this.table}
             GROUP BY record_key HAVING COUNT(*) > 1) d
         ON d.record_key = s.record_key AND s.line > d.first_line
       ORDER BY s.line LIMIT ${MAX_REPORTED_ERRORS}`,
    );
    const errors = new ErrorList();
    for (const r of listed) errors.add(Number(r.line), duplicateMessage(r.record_key));
    return errors.list();
  }
}
