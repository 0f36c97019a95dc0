import type { Db } from '@platform/database/db.service';
import { codePointOrder, count } from './engine-sql';
import type { SourceInfo } from './source-rank';

/**
 * Chooses the records a run recomputes and numbers them in identity order (source rank, then
 * record key in code point order) in `unify_work_record`, with the customer each belonged to.
 *
 * A full run takes every record and every customer. An incremental run takes the customers
 * (`unify_work_touched`) that a change can affect: those of records that changed, were added
 * (none) or left, and those of records sharing a current match key with a changed or new record;
 * then every record of those customers and every changed or new record. Components are closed
 * under shared keys, so the rest keep their customers as they are.
 */
/** The join of `customer_identity ci` to the records of alias `u`. */
function identityOf(u: string): string {
  return `ci.source_id = ${u}.source_id AND ci.record_key = ${u}.record_key`;
}

export async function buildWorkSet(db: Db, sources: SourceInfo[], full: boolean): Promise<number> {
  const identity = `CAST(ci.customer_id AS varchar(36))`;
  const joinIdentity = `customer_identity ci
    ON ci.source_id = u.source_id AND ci.record_key = u.record_key`;
  if (full) {
    await db.query('INSERT INTO unify_work_touched (customer_id) SELECT customer_id FROM customer');
  } else {
    // Three simple statements rather than one UNION, each driven by its few pending rows:
    // CROSS JOIN keeps SQLite's join order (it has no statistics to see that they are few);
    // PostgreSQL plans it as an inner join.
    const into = 'INSERT INTO unify_work_touched (customer_id)';
    const fresh = 'ON CONFLICT (customer_id) DO NOTHING';
    await db.atomic([
      {
        sql: `${into} SELECT DISTINCT g.customer_id FROM unify_gone g
          WHERE g.customer_id IS NOT NULL ${fresh}`,
      },
      {
        sql: `${into} SELECT DISTINCT ci.customer_id FROM unify_pending p
          CROSS JOIN unify_record u CROSS JOIN customer_identity ci
          WHERE u.rec_no = p.rec_no AND ${identityOf('u')} ${fresh}`,
      },
      {
        sql: `${into} SELECT DISTINCT ci.customer_id FROM unify_pending d
          CROSS JOIN record_match_key dk CROSS JOIN record_match_key k
          CROSS JOIN unify_record u CROSS JOIN customer_identity ci
          WHERE d.dirty = 1 AND dk.rec_no = d.rec_no AND k.rule = dk.rule AND k.key = dk.key
            AND u.rec_no = k.rec_no AND ${identityOf('u')} ${fresh}`,
      },
    ]);
  }
  const rank =
    sources.length === 0
      ? '0'
      : `CASE u.source_id ${sources.map((_, i) => `WHEN ? THEN ${i}`).join(' ')} END`;
  const rankParams = sources.map((s) => s.id);
  // Incremental: the pending records and, through the identities' customer index, every
  // record of a touched customer (no pass over all records).
  const chosen = full
    ? 'unify_record u'
    : `(SELECT rec_no FROM unify_pending
        UNION SELECT t2.rec_no FROM unify_work_touched t
          CROSS JOIN customer_identity c2 CROSS JOIN unify_record t2
          WHERE c2.customer_id = t.customer_id
            AND t2.source_id = c2.source_id AND t2.record_key = c2.record_key) a
       CROSS JOIN unify_record u`;
  await db.query(
    `INSERT INTO unify_work_record (i, rec_no, source_rank, old_customer)
     SELECT ROW_NUMBER() OVER (ORDER BY x.source_rank, ${codePointOrder(db, 'x.record_key')}) - 1,
       x.rec_no, x.source_rank, x.old_customer
     FROM (SELECT u.rec_no, u.record_key, ${rank} AS source_rank,
         ${identity} AS old_customer
       FROM ${chosen} LEFT JOIN ${joinIdentity}${full ? '' : ' WHERE u.rec_no = a.rec_no'}) x`,
    rankParams,
  );
  return count(db, 'SELECT COUNT(*) AS n FROM unify_work_record');
}
