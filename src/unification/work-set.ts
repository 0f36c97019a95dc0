import type { Db } from '../database/db.service';
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
export async function buildWorkSet(db: Db, sources: SourceInfo[], full: boolean): Promise<number> {
  const identity = `CAST(ci.customer_id AS varchar(36))`;
  const joinIdentity = `customer_identity ci
    ON ci.source_id = u.source_id AND ci.record_key = u.record_key`;
  if (full) {
    await db.query('INSERT INTO unify_work_touched (customer_id) SELECT customer_id FROM customer');
  } else {
    await db.atomic([
      {
        sql: `INSERT INTO unify_work_touched (customer_id)
          SELECT g.customer_id FROM unify_gone g JOIN customer c ON c.customer_id = g.customer_id
          UNION SELECT ci.customer_id FROM unify_pending p
            JOIN unify_record u ON u.rec_no = p.rec_no JOIN ${joinIdentity}
          UNION SELECT ci.customer_id FROM unify_pending d
            JOIN record_match_key dk ON dk.rec_no = d.rec_no
            JOIN record_match_key k ON k.rule = dk.rule AND k.key = dk.key
            JOIN unify_record u ON u.rec_no = k.rec_no
            JOIN ${joinIdentity}
          WHERE d.dirty = 1`,
      },
    ]);
  }
  const rank =
    sources.length === 0
      ? '0'
      : `CASE u.source_id ${sources.map((_, i) => `WHEN ? THEN ${i}`).join(' ')} END`;
  const rankParams = sources.map((s) => s.id);
  const where = full
    ? ''
    : `WHERE u.rec_no IN (SELECT rec_no FROM unify_pending)
        OR ci.customer_id IN (SELECT customer_id FROM unify_work_touched)`;
  await db.query(
    `INSERT INTO unify_work_record (i, rec_no, source_rank, old_customer)
     SELECT ROW_NUMBER() OVER (ORDER BY x.source_rank, ${codePointOrder(db, 'x.record_key')}) - 1,
       x.rec_no, x.source_rank, x.old_customer
     FROM (SELECT u.rec_no, u.record_key, ${rank} AS source_rank,
         ${identity} AS old_customer
       FROM unify_record u LEFT JOIN ${joinIdentity} ${where}) x`,
    rankParams,
  );
  return count(db, 'SELECT COUNT(*) AS n FROM unify_work_record');
}
