import type { Db } from '@platform/database/db.service';
import { count } from './engine-sql';
import { rankSources, type SourceInfo } from './source-rank';

/** What the snapshot found: the sources it compared and whether anything changed. */
export interface SnapshotResult {
  sources: SourceInfo[];
  /** Sources whose records were compared again (their fingerprint had changed). */
  compared: number;
}

/**
 * Brings `unify_record` (the records as unification last saw them) up to date with the
 * sources' current records, set-based: records that left go to `unify_gone` (with the customer
 * they belonged to), changed ones are updated and new ones get a record number; both are marked
 * pending (`unify_pending.dirty` 1: fields changed, their match keys to be computed again, in
 * `unify_unkeyed`; 2: only the last-modified value).
 *
 * A source is compared only when its fingerprint (current generation, record count, last
 * ingest summary) differs from the one stored at its last comparison: every ingest, full or
 * incremental, publishes a new summary. Each source is one transaction whose first statement
 * takes the fingerprint, so a change published while it runs is compared again next time.
 */
export class RecordSnapshot {
  constructor(private readonly db: Db) {}

  async refresh(checkpoint: () => Promise<void>): Promise<SnapshotResult> {
    const db = this.db;
    const rows = await db.query<{ id: string; name: string; generation: number | string }>(
      'SELECT id, name, current_generation AS generation FROM source WHERE current_generation > 0',
    );
    const sources = rankSources(
      rows.map((r) => ({ id: r.id, name: r.name, generation: Number(r.generation) })),
    );
    const stale = await db.query<{ id: string }>(
      `SELECT s.id FROM source s LEFT JOIN unify_source f ON f.source_id = s.id
       WHERE s.current_generation > 0 AND (f.fingerprint IS NULL OR f.fingerprint <> ${FINGERPRINT})
       UNION SELECT f.source_id AS id FROM unify_source f
       WHERE NOT EXISTS (SELECT 1 FROM source s WHERE s.id = f.source_id AND s.current_generation > 0)
       UNION SELECT DISTINCT u.source_id AS id FROM unify_record u
       WHERE NOT EXISTS (SELECT 1 FROM unify_source f WHERE f.source_id = u.source_id)`,
    );
    for (const { id } of stale) {
      await this.compare(id);
      await checkpoint();
    }
    return { sources, compared: stale.length };
  }

  private async compare(sourceId: string): Promise<void> {
    const db = this.db;
    const current = `source_record r JOIN source s
      ON s.id = r.source_id AND r.generation = s.current_generation AND s.current_generation > 0`;
    // Record numbers are handed out only by this run (it holds the unification lease).
    const last = await count(db, 'SELECT COALESCE(MAX(rec_no), 0) AS n FROM unify_record');
    const wipe =
      db.kind === 'postgres' ? 'TRUNCATE unify_work_changed' : 'DELETE FROM unify_work_changed';
    const gone = 'SELECT rec_no FROM unify_work_changed WHERE dirty = 0';
    await db.atomic([
      { sql: wipe },
      { sql: 'DELETE FROM unify_source WHERE source_id = ?', params: [sourceId] },
      {
        sql: `INSERT INTO unify_source (source_id, fingerprint)
          SELECT s.id, ${FINGERPRINT} FROM source s WHERE s.id = ? AND s.current_generation > 0`,
        params: [sourceId],
      },
      // One pass over the source's records as last seen: gone (0), changed fields (1), changed
      // last-modified value only (2).
      {
        sql: `INSERT INTO unify_work_changed (rec_no, dirty)
          SELECT u.rec_no, CASE WHEN r.record_key IS NULL THEN 0
              WHEN u.fields <> r.fields THEN 1 ELSE 2 END
          FROM unify_record u LEFT JOIN source_record r
            ON r.source_id = u.source_id AND r.record_key = u.record_key
            AND r.generation = (SELECT current_generation FROM source
              WHERE id = u.source_id AND current_generation > 0)
          WHERE u.source_id = ? AND (r.record_key IS NULL OR u.fields <> r.fields
            OR u.last_modified IS DISTINCT FROM r.last_modified)`,
        params: [sourceId],
      },
      {
        sql: `INSERT INTO unify_gone (source_id, record_key, customer_id)
          SELECT u.source_id, u.record_key, ci.customer_id
          FROM unify_work_changed c JOIN unify_record u ON u.rec_no = c.rec_no
          LEFT JOIN customer_identity ci
            ON ci.source_id = u.source_id AND ci.record_key = u.record_key
          WHERE c.dirty = 0`,
      },
      ...['record_match_key', 'unify_pending', 'unify_unkeyed', 'unify_credit', 'unify_record'].map(
        (table) => ({ sql: `DELETE FROM ${table} WHERE rec_no IN (${gone})` }),
      ),
      // Driven by the changed records' numbers (few), one lookup each.
      {
        sql: `UPDATE unify_record SET fields = (${currentValue('fields')}),
            last_modified = (${currentValue('last_modified')})
          WHERE rec_no IN (SELECT rec_no FROM unify_work_changed WHERE dirty > 0)`,
      },
      {
        sql: `INSERT INTO unify_record (rec_no, source_id, record_key, fields, last_modified)
          SELECT ? + ROW_NUMBER() OVER (ORDER BY r.record_key),
            r.source_id, r.record_key, r.fields, r.last_modified
          FROM ${current}
          WHERE r.source_id = ? AND NOT EXISTS (SELECT 1 FROM unify_record u
            WHERE u.source_id = r.source_id AND u.record_key = r.record_key)`,
        params: [last, sourceId],
      },
      {
        sql: `INSERT INTO unify_work_changed (rec_no, dirty)
          SELECT rec_no, 1 FROM unify_record WHERE rec_no > ?`,
        params: [last],
      },
      {
        sql: `INSERT INTO unify_pending (rec_no, dirty) SELECT rec_no, dirty FROM unify_work_changed
          WHERE dirty > 0 ON CONFLICT (rec_no) DO UPDATE SET dirty = CASE
            WHEN unify_pending.dirty = 1 OR excluded.dirty = 1 THEN 1 ELSE 2 END`,
      },
      {
        sql: `INSERT INTO unify_unkeyed (rec_no) SELECT rec_no FROM unify_work_changed
          WHERE dirty = 1 ON CONFLICT (rec_no) DO NOTHING`,
      },
    ]);
  }
}

/** A column of the current record behind the `unify_record` row being updated. */
function currentValue(column: string): string {
  return `SELECT r.${column} FROM source_record r WHERE r.source_id = unify_record.source_id
    AND r.generation = (SELECT current_generation FROM source WHERE id = unify_record.source_id)
    AND r.record_key = unify_record.record_key`;
}

/** A source's state as text: changes with every published ingest. */
const FINGERPRINT = `(CAST(s.current_generation AS text) || '|' || CAST(s.record_count AS text)
  || '|' || COALESCE(s.last_ingest, ''))`;
