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
    // The snapshot's sources, one index probe each (a DISTINCT read every record's entry).
    const stale = await db.query<{ id: string }>(
      `WITH RECURSIVE snapshot_sources (id) AS (
         SELECT MIN(source_id) FROM unify_record
         UNION ALL SELECT (SELECT MIN(u.source_id) FROM unify_record u WHERE u.source_id > d.id)
         FROM snapshot_sources d WHERE d.id IS NOT NULL)
       SELECT s.id FROM source s LEFT JOIN unify_source f ON f.source_id = s.id
       WHERE s.current_generation > 0 AND (f.fingerprint IS NULL OR f.fingerprint <> ${FINGERPRINT})
       UNION SELECT f.source_id AS id FROM unify_source f
       WHERE NOT EXISTS (SELECT 1 FROM source s WHERE s.id = f.source_id AND s.current_generation > 0)
       UNION SELECT d.id FROM snapshot_sources d WHERE d.id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM unify_source f WHERE f.source_id = d.id)`,
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
            AND r.generation = ${generation}
          WHERE u.source_id = ? AND (r.record_key IS NULL OR u.fields <> r.fields
            OR u.last_modified IS DISTINCT FROM r.last_modified)`,
        params: [sourceId, sourceId],
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
        sql: `UPDATE unify_record SET fields = x.fields, last_modified = x.last_modified
          FROM (SELECT c.rec_no, r.fields, r.last_modified FROM unify_work_changed c
            CROSS JOIN unify_record u CROSS JOIN source_record r
            WHERE c.dirty > 0 AND u.rec_no = c.rec_no AND r.source_id = u.source_id
              AND r.generation = ${generation} AND r.record_key = u.record_key) x
          WHERE unify_record.rec_no = x.rec_no`,
        params: [sourceId],
      },
      // New records exist only when the source has more current records than the snapshot
      // kept (keys are unique): two index counts spare a lookup per record when it has not.
      {
        sql: `INSERT INTO unify_record (rec_no, source_id, record_key, fields, last_modified)
          SELECT ? + ROW_NUMBER() OVER (ORDER BY r.record_key),
            r.source_id, r.record_key, r.fields, r.last_modified
          FROM ${current}
          WHERE r.source_id = ? AND NOT EXISTS (SELECT 1 FROM unify_record u
            WHERE u.source_id = r.source_id AND u.record_key = r.record_key)
            AND (SELECT COUNT(*) FROM source_record c WHERE c.source_id = ?
                AND c.generation = ${generation})
              > (SELECT COUNT(*) FROM unify_record c WHERE c.source_id = ?)`,
        params: [last, sourceId, sourceId, sourceId, sourceId],
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

/**
 * The compared source's current generation (bound to its ID), as a scalar subquery that does
 * not depend on the row: evaluated once per statement, not once per record.
 */
const generation = `(SELECT current_generation FROM source WHERE id = ? AND current_generation > 0)`;

/** A source's state as text: changes with every published ingest. */
const FINGERPRINT = `(CAST(s.current_generation AS text) || '|' || CAST(s.record_count AS text)
  || '|' || COALESCE(s.last_ingest, ''))`;
