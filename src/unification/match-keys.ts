import type { Db } from '../database/db.service';
import { RowBatch } from '../database/row-batch';
import type { FieldValues } from '../sources/customer-field';
import { conditionKey, conditionValues, tupleKey, type CompiledRule } from './compiled-rules';

/** Records per page: the page's rows die young, inside V8's nursery. */
const PAGE_ROWS = 2_000;

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
    await db.query('UPDATE unify_record SET keyed = 1 WHERE keyed = 0');
    return 0;
  }
  const batch = new RowBatch('record_match_key', ['rec_no', 'rule', 'key', 'fuzzy'], db.dialect);
  let after = 0;
  let keyed = 0;
  for (;;) {
    const rows = await db.query<{ n: number | string; f: string }>(
      `SELECT rec_no AS n, CAST(fields AS TEXT) AS f FROM unify_record
       WHERE keyed = 0 AND rec_no > ? ORDER BY rec_no LIMIT ?`,
      [after, PAGE_ROWS],
    );
    if (rows.length === 0) return keyed;
    const first = Number(rows[0].n);
    const last = Number(rows[rows.length - 1].n);
    await db.atomicStream((emit) => {
      emit({
        sql: `DELETE FROM record_match_key WHERE rec_no IN
          (SELECT rec_no FROM unify_record WHERE keyed = 0 AND rec_no BETWEEN ? AND ?)`,
        params: [first, last],
      });
      for (const row of rows) {
        const fields = JSON.parse(row.f) as FieldValues;
        const recNo = Number(row.n);
        rules.forEach((rule, r) => {
          const key = ruleKey(rule, fields);
          if (key) batch.add(recNo, r, key.key, key.fuzzy);
        });
        if (batch.full) batch.take().forEach(emit);
      }
      batch.take().forEach(emit);
      emit({
        sql: 'UPDATE unify_record SET keyed = 1 WHERE keyed = 0 AND rec_no BETWEEN ? AND ?',
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
