import type { Db } from '../database/db.service';
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
 * they belonged to), changed ones are updated and marked dirty (1: fields changed, their match
 * keys to be computed again; 2: only the last-modified value), new ones get a record number.
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
      await db.atomic(this.compare(id));
      await checkpoint();
    }
    return { sources, compared: stale.length };
  }

  private compare(sourceId: string) {
    const current = `source_record r JOIN source s
      ON s.id = r.source_id AND r.generation = s.current_generation AND s.current_generation > 0`;
    const gone = `unify_record.source_id = ? AND NOT EXISTS (SELECT 1 FROM ${current}
      WHERE r.source_id = unify_record.source_id AND r.record_key = unify_record.record_key)`;
    return [
      { sql: 'DELETE FROM unify_source WHERE source_id = ?', params: [sourceId] },
      {
        sql: `INSERT INTO unify_source (source_id, fingerprint)
          SELECT s.id, ${FINGERPRINT} FROM source s WHERE s.id = ? AND s.current_generation > 0`,
        params: [sourceId],
      },
      {
        sql: `INSERT INTO unify_gone (source_id, record_key, customer_id)
          SELECT unify_record.source_id, unify_record.record_key, ci.customer_id
          FROM unify_record LEFT JOIN customer_identity ci
            ON ci.source_id = unify_record.source_id AND ci.record_key = unify_record.record_key
          WHERE ${gone}`,
        params: [sourceId],
      },
      {
        sql: `DELETE FROM record_match_key WHERE rec_no IN (SELECT rec_no FROM unify_record WHERE ${gone})`,
        params: [sourceId],
      },
      { sql: `DELETE FROM unify_record WHERE ${gone}`, params: [sourceId] },
      {
        sql: `UPDATE unify_record SET
            dirty = CASE WHEN unify_record.fields <> r.fields OR unify_record.dirty = 1 THEN 1 ELSE 2 END,
            keyed = CASE WHEN unify_record.fields <> r.fields THEN 0 ELSE unify_record.keyed END,
            fields = r.fields, last_modified = r.last_modified
          FROM ${current}
          WHERE r.source_id = ? AND unify_record.source_id = r.source_id
            AND unify_record.record_key = r.record_key
            AND (unify_record.fields <> r.fields
              OR unify_record.last_modified IS DISTINCT FROM r.last_modified)`,
        params: [sourceId],
      },
      {
        sql: `INSERT INTO unify_record (rec_no, source_id, record_key, fields, last_modified, dirty, keyed)
          SELECT (SELECT COALESCE(MAX(rec_no), 0) FROM unify_record)
              + ROW_NUMBER() OVER (ORDER BY r.record_key),
            r.source_id, r.record_key, r.fields, r.last_modified, 1, 0
          FROM ${current}
          WHERE r.source_id = ? AND NOT EXISTS (SELECT 1 FROM unify_record u
            WHERE u.source_id = r.source_id AND u.record_key = r.record_key)`,
        params: [sourceId],
      },
    ];
  }
}

/** A source's state as text: changes with every published ingest. */
const FINGERPRINT = `(CAST(s.current_generation AS text) || '|' || CAST(s.record_count AS text)
  || '|' || COALESCE(s.last_ingest, ''))`;
