import type { Db, Statement } from '@platform/database/db.service';
import { timestampParam, storedTime } from './engine-sql';

export const SEQUENCE_KEY = 'unification.customerSequence';
export const STATE_KEY = 'unification.state';

export interface WriteFigures {
  customersCreated: number;
  customersUpdated: number;
  customersUnchanged: number;
  customersMerged: number;
  customersDeleted: number;
  identitiesWritten: number;
  identitiesDeleted: number;
  transactions: number;
}

export interface PublishInput {
  now: Date;
  /** Every record was recomputed: identities of records no longer current all go. */
  full: boolean;
  /** The sequence to store (when new IDs were given). */
  nextSequence?: number;
  /** What the run was computed under (see UnificationEngine). */
  state: string;
}

/**
 * Applies a run's result as a diff, in one transaction of set-based statements (`INSERT …
 * SELECT`, `UPDATE … FROM`, written once for both stores): new and changed customers are upserted
 * (`updated_at` moves only when the fields JSON differs), identities written for records whose
 * customer changed and deleted for records that left, merged customers' IDs become previous IDs
 * (aliases re-pointed so an alias of an alias points to the final customer), deleted customers
 * go with their aliases, and the run's bookkeeping (dirty marks, credited rules, the sequence)
 * is stored. A reader sees every customer either before or after the run.
 */
export async function publishChanges(
  db: Db,
  input: PublishInput,
): Promise<{ identitiesWritten: number; identitiesDeleted: number }> {
  const now = storedTime(input.now);
  const ts = timestampParam(db);
  const upsertCustomer = `ON CONFLICT (customer_id) DO UPDATE SET fields = excluded.fields,
    record_count = excluded.record_count,
    updated_at = CASE WHEN customer.fields = excluded.fields
      THEN customer.updated_at ELSE excluded.updated_at END,
    fields_hash = NULL`;
  const members = `unify_work_member m JOIN unify_work_cluster c ON c.cluster = m.cluster
    JOIN unify_work_record w ON w.i = m.i JOIN unify_record u ON u.rec_no = w.rec_no`;
  const identityGone = input.full
    ? `NOT EXISTS (SELECT 1 FROM unify_record u WHERE u.source_id = customer_identity.source_id
        AND u.record_key = customer_identity.record_key)`
    : `(source_id, record_key) IN (SELECT g.source_id, g.record_key FROM unify_gone g
        WHERE NOT EXISTS (SELECT 1 FROM unify_record u
          WHERE u.source_id = g.source_id AND u.record_key = g.record_key))`;
  const statements: Statement[] = [
    {
      sql: `INSERT INTO customer (customer_id, fields, record_count, created_at, updated_at)
        SELECT c.customer_id, u.fields, 1, ${ts}, ${ts} FROM ${members}
        WHERE c.changed = 1 AND c.size = 1 ORDER BY c.cluster ${upsertCustomer}`,
      params: [now, now],
    },
    {
      sql: `INSERT INTO customer (customer_id, fields, record_count, created_at, updated_at)
        SELECT c.customer_id, f.fields, c.size, ${ts}, ${ts}
        FROM unify_work_cluster c JOIN unify_work_fields f ON f.cluster = c.cluster
        WHERE c.changed = 1 ORDER BY c.cluster ${upsertCustomer}`,
      params: [now, now],
    },
    // 2: identities deleted, before the new ones are written (they all stay, and a full run's
    // check then reads only the identities that existed, none on a first run)
    { sql: `DELETE FROM customer_identity WHERE ${identityGone}` },
    // 3: identities written
    {
      sql: `INSERT INTO customer_identity (source_id, record_key, customer_id)
        SELECT u.source_id, u.record_key, c.customer_id FROM ${members}
        WHERE w.old_customer IS NULL OR w.old_customer <> c.customer_id
        ${db.dialect.upsertSuffix(['source_id', 'record_key'], ['customer_id'])}`,
    },
    {
      sql: `UPDATE customer_alias SET customer_id = x.survivor FROM (
          SELECT o.customer_id AS retired, c.customer_id AS survivor
          FROM unify_work_old o JOIN unify_work_cluster c ON c.cluster = o.cluster
          WHERE o.fate = 'M') x
        WHERE customer_alias.customer_id = x.retired`,
    },
    {
      sql: `INSERT INTO customer_alias (previous_id, customer_id, merged_at)
        SELECT o.customer_id, c.customer_id, ${ts}
        FROM unify_work_old o JOIN unify_work_cluster c ON c.cluster = o.cluster
        WHERE o.fate = 'M'
        ${db.dialect.upsertSuffix(['previous_id'], ['customer_id', 'merged_at'])}`,
      params: [now],
    },
    {
      sql: `DELETE FROM customer_alias WHERE customer_id IN
        (SELECT customer_id FROM unify_work_old WHERE fate = 'D')`,
    },
    {
      sql: `DELETE FROM customer WHERE customer_id IN
        (SELECT customer_id FROM unify_work_old WHERE fate IN ('M', 'D'))`,
    },
    { sql: 'DELETE FROM unify_credit WHERE rec_no IN (SELECT rec_no FROM unify_work_record)' },
    {
      sql: `INSERT INTO unify_credit (rec_no, rule)
        SELECT w.rec_no, m.merge_rule FROM unify_work_record w
        JOIN unify_work_member m ON m.i = w.i WHERE m.merge_rule IS NOT NULL`,
    },
    { sql: 'DELETE FROM unify_pending' },
    { sql: 'DELETE FROM unify_gone' },
  ];
  const settings: unknown[][] = [[STATE_KEY, input.state, now]];
  if (input.nextSequence !== undefined) {
    settings.push([SEQUENCE_KEY, JSON.stringify(input.nextSequence), now]);
  }
  statements.push(
    ...db.insertRows('app_setting', ['key', 'value', 'updated_at'], settings, {
      suffix: db.dialect.upsertSuffix(['key'], ['value', 'updated_at']),
    }),
  );
  const changes = await db.atomic(statements);
  return { identitiesWritten: changes[3], identitiesDeleted: changes[2] };
}
