import type { Db, Statement } from '@platform/database/db.service';
import { codePointOrder, count, customerIdFor, customerIdSql } from './engine-sql';

export interface IdFigures {
  /** Clusters that got a new ID. */
  created: number;
  /** Old customers merged into another one (their IDs became previous IDs). */
  merged: number;
  /** Old customers whose records now belong to two or more customers. */
  split: number;
  /** Old customers with no current records. */
  deleted: number;
  /** The next customer number after this run's new IDs. */
  nextSequence: number;
}

/**
 * Gives every cluster of the work set a customer ID, keeping IDs stable, with joins over the
 * scratch tables (`unify_work_cluster` gets `keeper` and `customer_id`, `unify_work_old` each
 * old customer's fate):
 *
 * 1. Each old customer goes *home* to the cluster holding most of its current records (a split
 *    leaves the ID with the largest part); between equally large parts the smaller cluster wins,
 *    then the cluster with the smallest identity (clusters are numbered in that order).
 * 2. A cluster that is home to one old customer keeps that ID. When it is home to several (they
 *    merged), the oldest (creation time, then ID) survives and the others are merged into it.
 * 3. An old customer that lost its home to an older one, but whose records are also in a
 *    cluster that is nobody's home, lives on there instead of being merged (fewer ID changes);
 *    the oldest such customer goes first, and among its clusters the same order as in 1. This
 *    step is greedy (each claim changes what the next may take), so it runs in the app over the
 *    few customers concerned.
 * 4. The other clusters get new IDs from the sequence, in cluster order, skipping IDs that exist
 *    as customers or previous IDs, so the same data always yields the same IDs.
 */
export async function assignStableIds(
  db: Db,
  sequence: number,
  checkpoint: () => Promise<void>,
): Promise<IdFigures> {
  const id = (column: string) => codePointOrder(db, column);
  await db.atomic([
    {
      sql: `INSERT INTO unify_work_old (customer_id, created_at)
        SELECT c.customer_id, c.created_at FROM unify_work_touched t
        CROSS JOIN customer c WHERE c.customer_id = t.customer_id`,
    },
    {
      sql: `INSERT INTO unify_work_pair (customer_id, cluster, overlap)
        SELECT w.old_customer, m.cluster, COUNT(*) FROM unify_work_record w
        JOIN unify_work_member m ON m.i = w.i
        JOIN unify_work_old o ON o.customer_id = w.old_customer
        GROUP BY w.old_customer, m.cluster`,
    },
    {
      sql: `UPDATE unify_work_old SET home = x.cluster FROM (
          SELECT p.customer_id, p.cluster, ROW_NUMBER() OVER (PARTITION BY p.customer_id
            ORDER BY p.overlap DESC, c.size, p.cluster) AS rn
          FROM unify_work_pair p JOIN unify_work_cluster c ON c.cluster = p.cluster) x
        WHERE x.customer_id = unify_work_old.customer_id AND x.rn = 1`,
    },
    {
      sql: `UPDATE unify_work_cluster SET keeper = x.customer_id FROM (
          SELECT customer_id, home, ROW_NUMBER() OVER (PARTITION BY home
            ORDER BY created_at, ${id('customer_id')}) AS rn
          FROM unify_work_old WHERE home IS NOT NULL) x
        WHERE x.home = unify_work_cluster.cluster AND x.rn = 1`,
    },
    {
      sql: `UPDATE unify_work_old SET fate = 'K', cluster = home WHERE customer_id IN
        (SELECT keeper FROM unify_work_cluster WHERE keeper IS NOT NULL)`,
    },
    { sql: `UPDATE unify_work_old SET fate = 'D' WHERE home IS NULL` },
  ]);
  await checkpoint();
  await claimFreeClusters(db);
  await checkpoint();
  const nextSequence = await newIds(db, sequence);
  const [created, merged, deleted, split] = await Promise.all([
    count(db, 'SELECT COUNT(*) AS n FROM unify_work_cluster WHERE keeper IS NULL'),
    count(db, "SELECT COUNT(*) AS n FROM unify_work_old WHERE fate = 'M'"),
    count(db, "SELECT COUNT(*) AS n FROM unify_work_old WHERE fate = 'D'"),
    count(
      db,
      `SELECT COUNT(*) AS n FROM (SELECT customer_id FROM unify_work_pair
       GROUP BY customer_id HAVING COUNT(*) > 1) x`,
    ),
  ]);
  return { created, merged, deleted, split, nextSequence };
}

/** Step 3: old customers that lost their home claim a cluster nobody calls home, oldest first. */
async function claimFreeClusters(db: Db): Promise<void> {
  const candidates = await db.query<{ o: string; c: number | string }>(
    `SELECT o.customer_id AS o, p.cluster AS c FROM unify_work_old o
     JOIN unify_work_pair p ON p.customer_id = o.customer_id
     JOIN unify_work_cluster k ON k.cluster = p.cluster
     WHERE o.fate IS NULL AND k.keeper IS NULL
     ORDER BY o.created_at, ${codePointOrder(db, 'o.customer_id')}, p.overlap DESC, k.size, p.cluster`,
  );
  const claimed = new Set<number>();
  const settled = new Set<string>();
  const statements: Statement[] = [];
  for (const { o, c } of candidates) {
    const cluster = Number(c);
    if (settled.has(o) || claimed.has(cluster)) continue;
    settled.add(o);
    claimed.add(cluster);
    statements.push(
      { sql: 'UPDATE unify_work_cluster SET keeper = ? WHERE cluster = ?', params: [o, cluster] },
      {
        sql: "UPDATE unify_work_old SET fate = 'K', cluster = ? WHERE customer_id = ?",
        params: [cluster, o],
      },
    );
  }
  statements.push({
    sql: "UPDATE unify_work_old SET fate = 'M', cluster = home WHERE fate IS NULL",
  });
  await db.atomic(statements);
}

/** Step 4: IDs for the clusters without a keeper; answers the next sequence number. */
async function newIds(db: Db, sequence: number): Promise<number> {
  await db.query('UPDATE unify_work_cluster SET customer_id = keeper WHERE keeper IS NOT NULL');
  const wanted = await count(
    db,
    'SELECT COUNT(*) AS n FROM unify_work_cluster WHERE keeper IS NULL',
  );
  if (wanted === 0) return sequence;
  // Every ID this run could give lies between these two, in any collation (same prefix and
  // length); IDs found there are skipped (an index range, not a scan).
  const first = customerIdFor(sequence);
  const last = customerIdFor(sequence + wanted - 1);
  const taken = await db.query<{ id: string }>(
    `SELECT customer_id AS id FROM customer WHERE customer_id BETWEEN ? AND ?
     UNION SELECT previous_id AS id FROM customer_alias WHERE previous_id BETWEEN ? AND ?`,
    [first, last, first, last],
  );
  if (taken.length === 0) {
    // Nothing at or above the sequence: the numbers follow one another.
    await db.query(
      `UPDATE unify_work_cluster SET customer_id = ${customerIdSql(db, `${Math.trunc(sequence) - 1} + x.rn`)}
       FROM (SELECT cluster, ROW_NUMBER() OVER (ORDER BY cluster) AS rn
         FROM unify_work_cluster WHERE keeper IS NULL) x
       WHERE x.cluster = unify_work_cluster.cluster`,
    );
    return sequence + wanted;
  }
  // Some IDs above the sequence exist (written by something else): skip them one by one.
  const skip = new Set(
    (
      await db.query<{ id: string }>(
        `SELECT customer_id AS id FROM customer WHERE customer_id >= ?
         UNION SELECT previous_id AS id FROM customer_alias WHERE previous_id >= ?`,
        [first, first],
      )
    ).map((t) => t.id),
  );
  let next = sequence;
  let after = -1;
  for (;;) {
    const rows = await db.query<{ c: number | string }>(
      `SELECT cluster AS c FROM unify_work_cluster WHERE keeper IS NULL AND cluster > ?
       ORDER BY cluster LIMIT 1000`,
      [after],
    );
    if (rows.length === 0) return next;
    const statements: Statement[] = [];
    for (const row of rows) {
      let candidate = customerIdFor(next++);
      while (skip.has(candidate)) candidate = customerIdFor(next++);
      statements.push({
        sql: 'UPDATE unify_work_cluster SET customer_id = ? WHERE cluster = ?',
        params: [candidate, Number(row.c)],
      });
    }
    await db.atomic(statements);
    after = Number(rows[rows.length - 1].c);
  }
}
