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

/**
 * A temporary table that an ingest loads its records into, through the store's bulk path
 * (PostgreSQL: `COPY … FROM STDIN`; SQLite: one prepared multi-row INSERT reused, in
 * transactions), before the set-based steps: duplicate keys found with `GROUP BY … HAVING`,
 * then the records published into a generation of `source_record` with one `INSERT … SELECT`
 * in key order (inserting in key order keeps the records index's writes local).
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
   * Finds the rows whose key an earlier row has (set-wise, after {@link finish}) and removes
   * them from the stage, so the first row of each key is what {@link publishInto} stores.
   */
  async removeDuplicates(): Promise<StageDuplicates> {
    const groups = `SELECT record_key, MIN(line) AS first_line FROM ${this.table}
                    GROUP BY record_key HAVING COUNT(*) > 1`;
    const [found] = await this.run<{ n: number | string | null }>(
      `SELECT SUM(n) - COUNT(*) AS n FROM (
         SELECT COUNT(*) AS n FROM ${this.table} GROUP BY record_key HAVING COUNT(*) > 1) d`,
    );
    const count = Number(found.n ?? 0);
    if (count === 0) return { count, errors: [] };
    const later = `SELECT s.line FROM ${this.table} s
                   JOIN (${groups}) d ON d.record_key = s.record_key AND s.line > d.first_line`;
    const listed = await this.run<{ line: number | string; record_key: string }>(
      `SELECT s.line AS line, s.record_key AS record_key FROM ${this.table} s
       JOIN (${groups}) d ON d.record_key = s.record_key AND s.line > d.first_line
       ORDER BY s.line LIMIT ${MAX_REPORTED_ERRORS}`,
    );
    const errors = new ErrorList();
    for (const r of listed) errors.add(Number(r.line), duplicateMessage(r.record_key));
    await this.change(`DELETE FROM ${this.table} WHERE line IN (${later})`, []);
    return { count, errors: errors.list() };
  }

  /** Copies the staged records into a generation of the source; answers how many. */
  publishInto(sourceId: string, generation: number): Promise<number> {
    return this.change(
      `INSERT INTO source_record (source_id, generation, record_key, fields, raw, last_modified)
       SELECT CAST(? AS varchar(36)), CAST(? AS integer), record_key, fields, raw, last_modified
       FROM ${this.table} ORDER BY record_key`,
      [sourceId, generation],
    );
  }
}
