import { Injectable } from '@nestjs/common';
import { Db } from '../database/db.service';
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

  async read(rule: CompiledRule, sampleSize: number, timeLimitMs: number): Promise<PreviewResult> {
    const { count, ids } =
      this.db.kind === 'sqlite'
        ? await this.matchSqlite(rule, sampleSize, timeLimitMs)
        : await this.matchPostgres(rule, sampleSize, timeLimitMs);
    if (ids.length === 0) return { count, sample: [] };
    const rows = await this.db.query<{ customer_id: string; fields: unknown }>(
      `SELECT customer_id, fields FROM customer WHERE customer_id IN (${ids.map(() => '?').join(', ')})
       ORDER BY customer_id`,
      ids,
    );
    return { count, sample: rows.map(toCustomerRow) };
  }

  private async matchSqlite(rule: CompiledRule, sampleSize: number, timeLimitMs: number) {
    const sql = matches(rule, true);
    let count = 0;
    let ids: string[] = [];
    await scanSqliteCustomers(this.db, { timeLimitMs }, async (from, to) => {
      const part = read(await this.db.query(sql, [from, to, ...rule.params, sampleSize]));
      count += part.count;
      // Customer ids are ASCII, where JavaScript's order is SQLite's (bytes).
      if (part.ids.length > 0) ids = [...ids, ...part.ids].sort().slice(0, sampleSize);
    });
    return { count, ids };
  }

  private async matchPostgres(rule: CompiledRule, sampleSize: number, timeLimitMs: number) {
    try {
      return read(
        await this.db.queryWithSettings(postgresRuleSettings(timeLimitMs), matches(rule, false), [
          ...rule.params,
          sampleSize,
        ]),
      );
    } catch (error) {
      if (isStatementTimeout(error)) throw ruleTooSlow(timeLimitMs);
      throw error;
    }
  }
}

/**
 * One statement for both stores: the matching customers (of one rowid range on SQLite), their
 * count as a row without an id, then the first `?` ids. MATERIALIZED makes both read one scan
 * (PostgreSQL still scans it in parallel).
 */
function matches(rule: CompiledRule, rowidRange: boolean): string {
  const c = CUSTOMER_ALIAS;
  const range = rowidRange ? `${c}.rowid >= ? AND ${c}.rowid < ? AND ` : '';
  return `WITH m AS MATERIALIZED (
      SELECT ${c}.customer_id FROM customer ${c} WHERE ${range}(${rule.where}))
    SELECT NULL AS customer_id, COUNT(*) AS n FROM m
    UNION ALL
    SELECT s.customer_id, NULL FROM (SELECT customer_id FROM m ORDER BY customer_id LIMIT ?) s`;
}

function read(rows: Record<string, unknown>[]): { count: number; ids: string[] } {
  let count = 0;
  const ids: string[] = [];
  for (const row of rows) {
    if (row.customer_id === null) count = Number(row.n);
    else ids.push(row.customer_id as string);
  }
  return { count, ids };
}
