import type { Db } from '@platform/database/db.service';

/** A text expression compared in code point order (SQLite's BINARY; PostgreSQL's "C"). */
export function codePointOrder(db: Db, expression: string): string {
  return db.kind === 'postgres' ? `${expression} COLLATE "C"` : expression;
}

/** `cus_` and the number `n` padded to 12 digits, as SQL (see customerIdFor). */
export function customerIdSql(db: Db, n: string): string {
  return db.kind === 'postgres'
    ? `'cus_' || lpad(CAST(${n} AS text), 12, '0')`
    : `'cus_' || printf('%012d', ${n})`;
}

/** A count column read back from either store (PostgreSQL answers bigints as text). */
export async function count(db: Db, sql: string, params: unknown[] = []): Promise<number> {
  const rows = await db.query<{ n: number | string | null }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/** Formats customer number `n` as a customer ID (`cus_000000000042`); text order = number order. */
export function customerIdFor(n: number): string {
  return `cus_${String(n).padStart(12, '0')}`;
}

/** The scratch tables of one run (emptied at its start). */
export const WORK_TABLES = [
  'unify_work_changed',
  'unify_work_record',
  'unify_work_touched',
  'unify_work_edge',
  'unify_work_block',
  'unify_work_member',
  'unify_work_cluster',
  'unify_work_pair',
  'unify_work_old',
  'unify_work_fields',
];

export async function clearWorkTables(db: Db): Promise<void> {
  await db.atomic(
    WORK_TABLES.map((table) => ({
      sql: db.kind === 'postgres' ? `TRUNCATE ${table}` : `DELETE FROM ${table}`,
    })),
  );
}

/** A bound timestamp (`YYYY-MM-DD HH:MM:SS.sss`) where a SELECT list writes a timestamp column. */
export function timestampParam(db: Db): string {
  return db.kind === 'postgres' ? 'CAST(? AS timestamp)' : '?';
}

/** A time as the timestamp columns store it: `YYYY-MM-DD HH:MM:SS.sss` in UTC. */
export function storedTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * PostgreSQL: refreshes the planner's statistics of tables a run has just filled (autovacuum
 * comes later; without them a page query over a freshly filled table was planned as a scan of
 * it, per page). SQLite plans without statistics; its join order is kept with CROSS JOIN.
 */
export async function analyze(db: Db, tables: string[]): Promise<void> {
  if (db.kind === 'postgres') await db.query(`ANALYZE ${tables.join(', ')}`);
}
