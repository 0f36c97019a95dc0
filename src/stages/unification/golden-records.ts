import type { Db } from '@platform/database/db.service';
import type { FieldValues } from '@stages/contract/customer-field';
import { BulkRows } from './bulk-rows';
import { FieldMerger, type MergeMember } from './field-merger';
import type { SourceInfo } from './source-rank';
import type { MergeConfig } from './unification-config';

/** Clusters per page: memory is bounded by these clusters' records, not by the data set. */
const PAGE_CLUSTERS = 2_000;

/**
 * Merges the fields of the changed customers of two or more records, streamed cluster by
 * cluster in cluster order, into `unify_work_fields` (a one-record customer's fields are its
 * record's, copied by SQL when the result is published). Answers the customers merged.
 */
export async function mergeChangedCustomers(
  db: Db,
  merge: MergeConfig,
  sources: SourceInfo[],
  checkpoint: () => Promise<void>,
): Promise<number> {
  const merger = new FieldMerger(merge, sources);
  const batch = new BulkRows(db, 'unify_work_fields', [
    { name: 'cluster', type: 'integer' },
    { name: 'fields', type: 'jsonb' },
  ]);
  let after = -1;
  let merged = 0;
  for (;;) {
    const page = await db.query<{ c: number | string }>(
      `SELECT cluster AS c FROM unify_work_cluster WHERE changed = 1 AND size > 1 AND cluster > ?
       ORDER BY cluster LIMIT ?`,
      [after, PAGE_CLUSTERS],
    );
    if (page.length === 0) return merged;
    const first = Number(page[0].c);
    const last = Number(page[page.length - 1].c);
    const rows = await db.query<{
      c: number | string;
      s: number | string;
      k: string;
      f: string;
      m: string | null;
    }>(
      `SELECT m.cluster AS c, w.source_rank AS s, u.record_key AS k, CAST(u.fields AS TEXT) AS f,
         u.last_modified AS m
       FROM unify_work_member m JOIN unify_work_cluster c ON c.cluster = m.cluster
       JOIN unify_work_record w ON w.i = m.i JOIN unify_record u ON u.rec_no = w.rec_no
       WHERE m.cluster BETWEEN ? AND ? AND c.cluster BETWEEN ? AND ? AND c.changed = 1
         AND c.size > 1
       ORDER BY m.cluster, m.i`,
      // The range on both sides: PostgreSQL, misled by statistics taken before `changed` was
      // set, scanned every cluster per page.
      [first, last, first, last],
    );
    let members: MergeMember[] = [];
    let cluster = -1;
    const flush = () => {
      if (members.length > 0) batch.add(cluster, JSON.stringify(merger.merge(members)));
      merged++;
    };
    for (const row of rows) {
      const c = Number(row.c);
      if (c !== cluster) {
        if (cluster >= 0) flush();
        members = [];
        cluster = c;
      }
      members.push({
        source: Number(row.s),
        key: row.k,
        lastModified: row.m ? Date.parse(row.m) : Number.NaN,
        fields: JSON.parse(row.f) as FieldValues,
      });
    }
    if (cluster >= 0) flush();
    await db.atomic(batch.take());
    after = last;
    await checkpoint();
  }
}
