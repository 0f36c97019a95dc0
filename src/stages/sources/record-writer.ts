import { Injectable } from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { AppError } from '@platform/errors/app-error';
import { Db, type Statement } from '@platform/database/db.service';
import { RowBatch } from '@platform/database/row-batch';
import type { FieldValues } from '@stages/contract/customer-field';
import type { IngestLease } from './source-types';
import type { IngestSummary } from './source.entity';
import type { RecordStage, StageDuplicates } from './stage/record-stage';

/** A record as readers hand it over: canonical field values, or their JSON text. */
export interface SourceRecordInput {
  key: string;
  fields: FieldValues | string;
  /** Values of unmapped columns (or their JSON text). */
  raw: Record<string, string> | string;
  /** Canonical date of the last-modified column, if any. */
  lastModified: string | null;
}

/** What is recorded on the source when new records become current. */
export interface PublishInfo {
  lastIngest: IngestSummary;
  /** Reader state to keep for the next ingest (a Dataverse delta link); undefined: unchanged. */
  readerState?: Record<string, unknown> | null;
}

const RECORD_COLUMNS = ['source_id', 'generation', 'record_key', 'fields', 'raw', 'last_modified'];
const CHANGE_COLUMNS = ['source_id', 'record_key', 'op', 'fields', 'raw', 'last_modified'];
/** Rows per DELETE when clearing a generation (one short transaction each). */
const DELETE_CHUNK = 5_000;

/**
 * Writes a source's records, for every reader (CSV uploads, Dataverse tables), in one of two
 * ways. Both need the source's {@link IngestLease}.
 *
 * - Full replace ({@link startReplace}): the records go to a new generation, copied from a
 *   stage table in one `INSERT … SELECT` ({@link ReplaceSession.load}; or written in chunks
 *   of multi-row INSERTs, {@link ReplaceSession.write}), then one small UPDATE makes it current
 *   (`source.current_generation`) and the older generations are deleted. Until then nobody
 *   reads the new rows; if anything fails, the partial generation is deleted and the previous
 *   records stay current and untouched.
 * - Incremental patch ({@link startPatch}): changed records and removed keys are staged in
 *   `source_record_change`, then applied to the current generation in one transaction of a
 *   few set-based statements, so readers see all of a patch or none of it.
 *
 * Rows of a generation other than the current one are never read by anyone; leftovers of a
 * killed ingest are removed by {@link removeLeftovers} (at the next ingest and at start-up).
 */
@Injectable()
export class RecordWriter {
  /** Reused between calls (it keeps the SQL of each statement size); filled and emptied synchronously. */
  private readonly recordBatch: RowBatch;

  constructor(private readonly db: Db) {
    const json = db.dialect.jsonParam();
    this.recordBatch = new RowBatch('source_record', RECORD_COLUMNS, db.dialect, {
      casts: { fields: json, raw: json },
    });
  }

  /** Starts writing a new generation (after removing leftovers of interrupted ingests). */
  async startReplace(lease: IngestLease): Promise<ReplaceSession> {
    await this.removeLeftovers(lease.sourceId);
    const current = await this.currentGeneration(lease.sourceId);
    return new ReplaceSession(this.db, this, lease, current + 1);
  }

  /** Starts a patch of the current generation (a source without records starts one). */
  async startPatch(lease: IngestLease): Promise<PatchSession> {
    await this.removeLeftovers(lease.sourceId);
    const current = await this.currentGeneration(lease.sourceId);
    return new PatchSession(this.db, this, lease, Math.max(current, 1));
  }

  /** Deletes every generation but the current one, and staged changes. Needs the lease. */
  async removeLeftovers(sourceId: string): Promise<void> {
    const current = await this.currentGeneration(sourceId);
    for (;;) {
      const rows = await this.db.query<{ generation: number | string }>(
        `SELECT generation FROM source_record WHERE source_id = ? AND generation < ?
         ORDER BY generation LIMIT 1`,
        [sourceId, current],
      );
      const above = await this.db.query<{ generation: number | string }>(
        `SELECT generation FROM source_record WHERE source_id = ? AND generation > ?
         ORDER BY generation DESC LIMIT 1`,
        [sourceId, current],
      );
      const leftover = rows.at(0) ?? above.at(0);
      if (!leftover) break;
      await this.deleteGeneration(sourceId, Number(leftover.generation));
    }
    await this.deleteChanges(sourceId);
  }

  /** True when the source has rows outside its current generation or staged changes. */
  async hasLeftovers(sourceId: string): Promise<boolean> {
    const current = await this.currentGeneration(sourceId);
    const rows = await this.db.query(
      `SELECT 1 AS x FROM source_record WHERE source_id = ? AND generation < ?
       UNION ALL SELECT 1 AS x FROM source_record WHERE source_id = ? AND generation > ?
       UNION ALL SELECT 1 AS x FROM source_record_change WHERE source_id = ?`,
      [sourceId, current, sourceId, current, sourceId],
    );
    return rows.length > 0;
  }

  /** Deletes all records of a source whose row is gone (in chunks). */
  async deleteAll(sourceId: string): Promise<void> {
    for (;;) {
      const rows = await this.db.query<{ generation: number | string }>(
        'SELECT generation FROM source_record WHERE source_id = ? ORDER BY generation LIMIT 1',
        [sourceId],
      );
      const first = rows.at(0);
      if (!first) break;
      await this.deleteGeneration(sourceId, Number(first.generation));
    }
    await this.deleteChanges(sourceId);
  }

  /** Deletes one generation's rows, a chunk per transaction. */
  async deleteGeneration(sourceId: string, generation: number): Promise<void> {
    await this.deleteInKeyRanges('source_record', 'source_id = ? AND generation = ?', [
      sourceId,
      generation,
    ]);
  }

  private async deleteChanges(sourceId: string): Promise<void> {
    await this.deleteInKeyRanges('source_record_change', 'source_id = ?', [sourceId]);
  }

  /**
   * Deletes the rows matching `where`. SQLite: in chunks of {@link DELETE_CHUNK} along `record_key`, the
   * last column of both tables' primary keys: each chunk ends at the key found by an index walk,
   * so every statement is linear. (`record_key IN (SELECT … LIMIT n)` was planned on PostgreSQL,
   * before ANALYZE, as a nested loop re-running the subquery per row: quadratic, 24 s for 5,000.)
   */
  private async deleteInKeyRanges(
    table: 'source_record' | 'source_record_change',
    where: string,
    params: (string | number)[],
  ): Promise<void> {
    if (this.db.kind === 'postgres') {
      // One statement: it does not hold the event loop here, and chunks found by an index walk
      // are quadratic on PostgreSQL, whose deleted rows stay in the index until a vacuum (each
      // walk skips them all again: replacing 1,000,000 records took minutes).
      await this.db.atomic([{ sql: `DELETE FROM ${table} WHERE ${where}`, params }]);
      return;
    }
    for (;;) {
      const rows = await this.db.query<{ record_key: string }>(
        `SELECT record_key FROM ${table} WHERE ${where} ORDER BY record_key LIMIT 1 OFFSET ?`,
        [...params, DELETE_CHUNK - 1],
      );
      const edge = rows.at(0);
      if (!edge) {
        await this.db.atomic([{ sql: `DELETE FROM ${table} WHERE ${where}`, params }]);
        return;
      }
      await this.db.atomic([
        {
          sql: `DELETE FROM ${table} WHERE ${where} AND record_key <= ?`,
          params: [...params, edge.record_key],
        },
      ]);
      await nextTurn(); // SQLite answers without yielding; let other work in between chunks
    }
  }

  private async currentGeneration(sourceId: string): Promise<number> {
    const rows = await this.db.query<{ current_generation: number | string }>(
      'SELECT current_generation FROM source WHERE id = ?',
      [sourceId],
    );
    const row = rows.at(0);
    if (!row) throw AppError.notFound('source', sourceId);
    return Number(row.current_generation);
  }

  /** Multi-row INSERT statements for records (JSON cast where the store needs it). */
  insertStatements(
    table: 'source_record' | 'source_record_change',
    rows: unknown[][],
    suffix?: string,
  ): Statement[] {
    const json = this.db.dialect.jsonParam();
    return this.db.insertRows(
      table,
      table === 'source_record' ? RECORD_COLUMNS : CHANGE_COLUMNS,
      rows,
      {
        suffix,
        casts: { fields: json, raw: json },
      },
    );
  }

  /** Multi-row INSERTs of records into a generation (built by a reused {@link RowBatch}). */
  recordInserts(sourceId: string, generation: number, records: SourceRecordInput[]): Statement[] {
    const batch = this.recordBatch;
    const out: Statement[] = [];
    for (const r of records) {
      batch.add(sourceId, generation, r.key, json(r.fields), json(r.raw), r.lastModified);
      if (batch.full) out.push(...batch.take());
    }
    out.push(...batch.take());
    return out;
  }

  upsertSuffix(keys: string[], columns: string[]): string {
    return this.db.dialect.upsertSuffix(keys, columns);
  }
}

/** A new generation being written; {@link publish} makes it current. */
export class ReplaceSession {
  private written = 0;
  private done = false;

  constructor(
    private readonly db: Db,
    private readonly writer: RecordWriter,
    private readonly lease: IngestLease,
    readonly generation: number,
  ) {}

  /** Records written so far. */
  get rows(): number {
    return this.written;
  }

  /**
   * Writes records in one transaction (keep batches to a few thousand rows: on SQLite the
   * transaction runs synchronously). Keys must be new to this generation.
   */
  async write(records: SourceRecordInput[]): Promise<void> {
    if (records.length === 0) return;
    await this.db.atomic(this.writer.recordInserts(this.lease.sourceId, this.generation, records));
    this.written += records.length;
  }

  /**
   * Copies the records of a stage into this generation (one `INSERT … SELECT`; of rows with
   * the same key the first one is kept, see `RecordStage.publishInto`); answers the rows left
   * out as duplicates.
   */
  async load(stage: RecordStage): Promise<StageDuplicates> {
    const published = await stage.publishInto(this.lease.sourceId, this.generation);
    this.written += published.stored;
    return published.duplicates;
  }

  /** Makes this generation current, records the summary, and deletes older generations. */
  async publish(info: PublishInfo): Promise<void> {
    const { sourceId, lock } = this.lease;
    const state = info.readerState === undefined ? '' : ', reader_state = ?';
    const params: unknown[] = [this.generation, this.written, JSON.stringify(info.lastIngest)];
    if (info.readerState !== undefined) {
      params.push(info.readerState === null ? null : JSON.stringify(info.readerState));
    }
    const [changed] = await this.db.atomic([
      {
        sql: `UPDATE source SET current_generation = ?, record_count = ?, last_ingest = ?${state}
              WHERE id = ? AND ${lock.heldSql}`,
        params: [...params, sourceId, ...lock.heldParams],
      },
    ]);
    if (changed !== 1) {
      await this.discard();
      throw AppError.conflict(
        'the ingest lost its lease on the source (it was deleted or taken over)',
      );
    }
    this.done = true;
    await this.writer.removeLeftovers(sourceId);
  }

  /** Deletes what was written (the previous records stay current). */
  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.writer.deleteGeneration(this.lease.sourceId, this.generation);
  }
}

/** Changes staged for the current generation; {@link apply} applies them all at once. */
export class PatchSession {
  private staged = 0;
  private done = false;

  constructor(
    private readonly db: Db,
    private readonly writer: RecordWriter,
    private readonly lease: IngestLease,
    readonly generation: number,
  ) {}

  /** Changes staged so far (a key changed twice counts twice). */
  get changes(): number {
    return this.staged;
  }

  /** Stages new or changed records (the last one of a key wins). */
  async upsert(records: SourceRecordInput[]): Promise<void> {
    const byKey = new Map<string, unknown[]>();
    for (const r of records) {
      byKey.set(r.key, [
        this.lease.sourceId,
        r.key,
        'u',
        json(r.fields),
        json(r.raw),
        r.lastModified,
      ]);
    }
    await this.stage([...byKey.values()]);
  }

  /** Stages removed keys. */
  async remove(keys: string[]): Promise<void> {
    const unique = [...new Set(keys)];
    await this.stage(unique.map((key) => [this.lease.sourceId, key, 'd', '{}', '{}', null]));
  }

  private async stage(rows: unknown[][]): Promise<void> {
    if (rows.length === 0) return;
    const suffix = this.writer.upsertSuffix(
      ['source_id', 'record_key'],
      ['op', 'fields', 'raw', 'last_modified'],
    );
    await this.db.atomic(this.writer.insertStatements('source_record_change', rows, suffix));
    this.staged += rows.length;
  }

  /**
   * Applies the staged changes to the current generation in one transaction, records the
   * summary, and answers the source's record count afterwards.
   */
  async apply(info: PublishInfo): Promise<number> {
    const { sourceId, lock } = this.lease;
    const g = this.generation;
    const held = lock.heldSql;
    const state = info.readerState === undefined ? '' : ', reader_state = ?';
    const sourceParams: unknown[] = [g, sourceId, g, JSON.stringify(info.lastIngest)];
    if (info.readerState !== undefined) {
      sourceParams.push(info.readerState === null ? null : JSON.stringify(info.readerState));
    }
    const changed = await this.db.atomic([
      {
        sql: `DELETE FROM source_record WHERE source_id = ? AND generation = ? AND ${held}
              AND record_key IN (SELECT record_key FROM source_record_change WHERE source_id = ? AND op = 'd')`,
        params: [sourceId, g, ...lock.heldParams, sourceId],
      },
      {
        sql: `INSERT INTO source_record (${RECORD_COLUMNS.join(', ')})
              SELECT source_id, CAST(? AS integer), record_key, fields, raw, last_modified
              FROM source_record_change WHERE source_id = ? AND op = 'u' AND ${held}
              ${this.writer.upsertSuffix(['source_id', 'generation', 'record_key'], ['fields', 'raw', 'last_modified'])}`,
        params: [g, sourceId, ...lock.heldParams],
      },
      { sql: 'DELETE FROM source_record_change WHERE source_id = ?', params: [sourceId] },
      {
        sql: `UPDATE source SET current_generation = ?,
                record_count = (SELECT COUNT(*) FROM source_record WHERE source_id = ? AND generation = ?),
                last_ingest = ?${state}
              WHERE id = ? AND ${held}`,
        params: [...sourceParams, sourceId, ...lock.heldParams],
      },
    ]);
    this.done = true;
    if (changed[3] !== 1) {
      throw AppError.conflict(
        'the ingest lost its lease on the source (it was deleted or taken over)',
      );
    }
    const rows = await this.db.query<{ record_count: number | string }>(
      'SELECT record_count FROM source WHERE id = ?',
      [sourceId],
    );
    return Number(rows.at(0)?.record_count ?? 0);
  }

  /** Drops the staged changes (the current records stay as they are). */
  async discard(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.writer.removeLeftovers(this.lease.sourceId);
  }
}

/** JSON text of a value. */
function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
