import type { Db } from '@platform/database/db.service';
import type { FieldValues } from '@stages/contract/customer-field';
import { BulkRows } from './bulk-rows';
import { analyze, count } from './engine-sql';
import { conditionKey, conditionValues, tupleKey, type CompiledRule } from './compiled-rules';

/** Records per page: the page's rows die young, inside V8's nursery. */
const PAGE_ROWS = 2_000;

/**
 * Records to key from which the key index is dropped and built again afterwards: one sort
 * instead of an index insert at a random place per key.
 */
const BULK_FROM = 50_000;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A top-level value of a JSON column as JSON text (NULL when absent). */
function jsonValue(db: Db, column: string, name: string): string {
  return db.kind === 'postgres'
    ? `CAST(${column} -> '${name}' AS TEXT)`
    : `${column} -> '$.${name}'`;
}

/**
 * Computes the match keys of the records that have none for the current rules (new or changed
 * records; all of them after the rules changed) and stores them in `record_match_key`, one row
 * per record and rule: the exact key (a fuzzy rule's blocking key) and, for fuzzy rules, the
 * normalized fuzzy values as a JSON array. Normalizers are JavaScript (Unicode NFD and the
 * like), so this is the one pass that reads record texts into the app, a page at a time, and
 * only for records whose keys are missing. Answers how many records were keyed.
 */
export async function computeMatchKeys(
  db: Db,
  rules: CompiledRule[],
  checkpoint: () => Promise<void>,
): Promise<number> {
  if (rules.length === 0) {
    await db.query('DELETE FROM unify_unkeyed');
    return 0;
  }
  const batch = new BulkRows(db, 'record_match_key', [
    { name: 'rec_no', type: 'integer' },
    { name: 'rule', type: 'integer' },
    { name: 'key', type: 'text' },
    { name: 'fuzzy', type: 'text' },
  ]);
  // Only the fields the rules read come out of the store, each as JSON text.
  const names = [...new Set(rules.flatMap((r) => [...r.exact, ...r.fuzzy].map((c) => c.field)))];
  const simple = names.every((name) => IDENTIFIER.test(name));
  const columns = simple
    ? names.map((name, i) => `${jsonValue(db, 'u.fields', name)} AS v${i}`).join(', ')
    : 'CAST(u.fields AS TEXT) AS f';
  const fieldsOf = (row: Record<string, unknown>): FieldValues => {
    if (!simple) return JSON.parse(row.f as string) as FieldValues;
    const fields: FieldValues = {};
    names.forEach((name, i) => {
      const text = row[`v${i}`];
      if (typeof text === 'string') fields[name] = JSON.parse(text) as FieldValues[string];
    });
    return fields;
  };
  // A bulk keying (the first run, a rule change) builds the key index once, after the rows.
  const unkeyed = await count(db, 'SELECT COUNT(*) AS n FROM unify_unkeyed');
  // Nothing to key (an unchanged re-run): no statistics to refresh (1 s on PostgreSQL at 200,000).
  if (unkeyed === 0) return 0;
  const bulk = unkeyed >= BULK_FROM;
  if (bulk) await db.query('DROP INDEX ix_record_match_key_key');
  await analyze(db, ['unify_unkeyed', 'unify_record']);
  try {
    return await keyPages(db, rules, batch, columns, fieldsOf, checkpoint);
  } finally {
    if (bulk) {
      await db.query('CREATE INDEX ix_record_match_key_key ON record_match_key (rule, key)');
    }
  }
}

async function keyPages(
  db: Db,
  rules: CompiledRule[],
  batch: BulkRows,
  columns: string,
  fieldsOf: (row: Record<string, unknown>) => FieldValues,
  checkpoint: () => Promise<void>,
): Promise<number> {
  let after = 0;
  let keyed = 0;
  for (;;) {
    const rows = await db.query<Record<string, unknown> & { n: number | string }>(
      // Both sides bounded: PostgreSQL merge-joined the page with every record before it.
      `SELECT k.rec_no AS n, ${columns} FROM unify_unkeyed k
       JOIN unify_record u ON u.rec_no = k.rec_no
       WHERE k.rec_no > ? AND u.rec_no > ? ORDER BY k.rec_no LIMIT ?`,
      [after, after, PAGE_ROWS],
    );
    if (rows.length === 0) return keyed;
    const first = Number(rows[0].n);
    const last = Number(rows[rows.length - 1].n);
    await db.atomicStream((emit) => {
      emit({
        // The range on the keys themselves: without it PostgreSQL scanned them all per page.
        sql: `DELETE FROM record_match_key WHERE rec_no BETWEEN ? AND ? AND rec_no IN
          (SELECT rec_no FROM unify_unkeyed WHERE rec_no BETWEEN ? AND ?)`,
        params: [first, last, first, last],
      });
      for (const row of rows) {
        const fields = fieldsOf(row);
        const recNo = Number(row.n);
        rules.forEach((rule, r) => {
          const key = ruleKey(rule, fields);
          if (key) batch.add(recNo, r, key.key, key.fuzzy);
        });
        if (batch.full) batch.take().forEach(emit);
      }
      batch.take().forEach(emit);
      emit({
        sql: 'DELETE FROM unify_unkeyed WHERE rec_no BETWEEN ? AND ?',
        params: [first, last],
      });
    });
    keyed += rows.length;
    after = last;
    await checkpoint();
  }
}

/** A record's key under one rule, or undefined when a value the rule needs is absent. */
export function ruleKey(
  rule: CompiledRule,
  fields: FieldValues,
): { key: string; fuzzy: string | null } | undefined {
  if (rule.fuzzy.length === 0) {
    const key = conditionKey(rule.exact, fields);
    return key === undefined ? undefined : { key, fuzzy: null };
  }
  const exact = conditionValues(rule.exact, fields);
  const fuzzy = exact && conditionValues(rule.fuzzy, fields);
  return exact && fuzzy ? { key: tupleKey(exact), fuzzy: JSON.stringify(fuzzy) } : undefined;
}

/**
 * What the stored keys depend on: each rule's conditions (fields, normalizers, exact or fuzzy),
 * in order. When it changes every record's keys are computed again.
 */
export function keySignature(rules: CompiledRule[]): string {
  return JSON.stringify(
    rules.map((rule) => [
      rule.exact.map((c) => [c.field, c.normalizers]),
      rule.fuzzy.map((c) => [c.field, c.normalizers]),
    ]),
  );
}
