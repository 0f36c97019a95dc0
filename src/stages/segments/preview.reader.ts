import { Injectable } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import type { CompiledRule } from './rule-compiler';
import { isStatementTimeout, postgresRuleSettings, ruleTooSlow } from './rule-cost';
import { scanSqliteCustomers } from './segment-scan';
import { toCustomerRow } from './segment.mapper';
import { CUSTOMER_ALIAS } from './segment-sql';
import type { PreviewResult } from './segment.view';

/**
 * A rule's preview: how many customers match now and the first few in customer-id order, with
 * one pass over the customers (the matches are materialized once, then counted and sampled).
 * Bounded like an evaluation: on SQLite in chunks of rowids with event-loop turns in between
 * (the server keeps answering) and a time limit checked between them; on PostgreSQL with
 * `statement_timeout`. Past the limit: VALIDATION (400), the rule is too costly.
 */
@Injectable()
export class PreviewReader {
  constructor(private readonly db: Db) {}

  /**
   * @param key when given, also counts the matches that have a value in this field (`expression`
   * reads it from `c.fields`): those a destination keyed on it can export.
   */
  async read(
    rule: CompiledRule,
    sampleSize: number,
    timeLimitMs: number,
    key?: { field: string; expression: string },
  ): Promise<PreviewResult> {
    const keyed = key?.expression ?? null;
    const { count, ids, withKey } =
      this.db.kind === 'sqlite'
        ? await this.matchSqlite(rule, sampleSize, timeLimitMs, keyed)
        : await this.matchPostgres(rule, sampleSize, timeLimitMs, keyed);
    const keyCount = key ? { withKey: { field: key.field, count: withKey } } : {};
    if (ids.length === 0) return { count, sample: [], ...keyCount };
    const rows = await this.db.query<{ customer_id: string; fields: unknown }>(
      `SELECT customer_id, fields FROM customer WHERE customer_id IN (${ids.map(() => '?').join(', ')})
       ORDER BY customer_id`,
      ids,
    );
    return { count, sample: rows.map(toCustomerRow), ...keyCount };
  }

  private async matchSqlite(
    rule: CompiledRule,
    sampleSize: number,
    timeLimitMs: number,
    key: string | null,
  ) {
    const sql = matches(rule, true, key);
    let count = 0;
    let withKey = 0;
    let ids: string[] = [];
    await scanSqliteCustomers(this.db, { timeLimitMs }, async (from, to) => {
      const part = read(await this.db.query(sql, [from, to, ...rule.params, sampleSize]));
      count += part.count;
      withKey += part.withKey;
      // Customer ids are ASCII, where JavaScript's order is SQLite's (bytes).
      if (part.ids.length > 0) ids = [...ids, ...part.ids].sort().slice(0, sampleSize);
    });
    return { count, ids, withKey };
  }

  private async matchPostgres(
    rule: CompiledRule,
    sampleSize: number,
    timeLimitMs: number,
    key: string | null,
  ) {
    try {
      return read(
        await this.db.queryWithSettings(
          postgresRuleSettings(timeLimitMs),
          matches(rule, false, key),
          [...rule.params, sampleSize],
        ),
      );
    } catch (error) {
      if (isStatementTimeout(error)) throw ruleTooSlow(timeLimitMs);
      throw error;
    }
  }
}

/**
 * One statement for both stores: the matching customers (of one rowid range on SQLite), their
 * count (and of those with a key value, when `key` reads one) as a row without an id, then the
 * first `?` ids. MATERIALIZED makes both read one scan (PostgreSQL still scans it in parallel).
 */
function matches(rule: CompiledRule, rowidRange: boolean, key: string | null): string {
  const c = CUSTOMER_ALIAS;
  const range = rowidRange ? `${c}.rowid >= ? AND ${c}.rowid < ? AND ` : '';
  const keyed = key
    ? `COUNT(CASE WHEN m.k IS NOT NULL AND CAST(m.k AS TEXT) <> '' THEN 1 END)`
    : '0';
  return `WITH m AS MATERIALIZED (
      SELECT ${c}.customer_id${key ? `, ${key} AS k` : ''} FROM customer ${c} WHERE ${range}(${rule.where}))
    SELECT NULL AS customer_id, COUNT(*) AS n, ${keyed} AS k FROM m
    UNION ALL
    SELECT s.customer_id, NULL, NULL FROM (SELECT customer_id FROM m ORDER BY customer_id LIMIT ?) s`;
}

function read(rows: Record<string, unknown>[]): { count: number; ids: string[]; withKey: number } {
  let count = 0;
  let withKey = 0;
  const ids: string[] = [];
  for (const row of rows) {
    if (row.customer_id === null) {
      count = Number(row.n);
      withKey = Number(row.k);
    } else ids.push(row.customer_id as string);
  }
  return { count, ids, withKey };
}
