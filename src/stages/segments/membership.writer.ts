import { Injectable } from '@nestjs/common';
import { Db, type Statement } from '@platform/database/db.service';
import { StageCanceled } from '@stages/contract/stage';
import type { CompiledRule } from './rule-compiler';
import { isStatementTimeout, postgresRuleSettings, ruleTooSlow } from './rule-cost';
import { collectSqliteMatches } from './segment-scan';
import { CUSTOMER_ALIAS } from './segment-sql';
import { uuidV7 } from '@platform/ids/uuid-v7';

/** Integers read by raw SQL (PostgreSQL answers bigint as text). */
type Count = number | string;

export interface MembershipChange {
  size: number;
  added: number;
  removed: number;
}

export interface EvaluationOptions {
  /** Checked between chunks: an abort stops the evaluation (membership untouched). */
  signal?: AbortSignal;
  /** Customers scanned so far, of `total` (SQLite reports per chunk, PostgreSQL at the end). */
  onProgress?: (scanned: number, total: number) => void;
  /**
   * Milliseconds the match of the rule against the customers may take; past it the evaluation
   * fails with VALIDATION (too costly) and the membership stays as it was.
   */
  timeLimitMs: number;
}

/**
 * Materializes a segment's membership in `segment_member` with set-based SQL. Readers see the
 * previous membership or the new one, never a mix; a failure or a cancel leaves the previous
 * membership as it was. The segment row gets size / added / removed / evaluation time in the
 * same transaction as the members.
 *
 * - SQLite (synchronous driver, one connection): the new members are collected in a TEMP table
 *   of the connection (in memory, no WAL traffic) by `INSERT … SELECT` over chunks of customer
 *   rowids, each chunk its own short statement with a real event-loop turn in between, so no
 *   write transaction is held across an await and the API and heartbeats keep being served. One transaction then applies
 *   the difference (DELETE the members that left, INSERT the ones that joined).
 * - PostgreSQL: one transaction on one connection — the matching customers into a temporary
 *   table (`CREATE TEMP TABLE … AS SELECT`, which PostgreSQL scans in parallel, unlike
 *   `INSERT … SELECT` or a data-modifying CTE), then one statement applying the difference with
 *   the segment row's figures as data-modifying CTEs. MVCC keeps readers on the previous
 *   membership until commit.
 *
 * Matching the rule stops at `timeLimitMs` on both stores (between chunks on SQLite,
 * `statement_timeout` on PostgreSQL): VALIDATION, the rule is too costly.
 */
@Injectable()
export class MembershipWriter {
  constructor(private readonly db: Db) {}

  async evaluate(
    segmentId: string,
    ruleVersion: number,
    rule: CompiledRule,
    evaluatedAt: string,
    options: EvaluationOptions,
  ): Promise<MembershipChange> {
    if (this.db.kind === 'postgres') {
      try {
        await this.db.atomic(
          postgresApply(segmentId, ruleVersion, rule, evaluatedAt, options.timeLimitMs),
        );
      } catch (error) {
        if (isStatementTimeout(error)) throw ruleTooSlow(options.timeLimitMs);
        throw error;
      }
      options.onProgress?.(1, 1);
    } else {
      await this.evaluateSqlite(segmentId, ruleVersion, rule, evaluatedAt, options);
    }
    const rows = await this.db.query<{ size: Count; added: Count; removed: Count }>(
      'SELECT size, last_added AS added, last_removed AS removed FROM segment WHERE id = ?',
      [segmentId],
    );
    return rows.length > 0
      ? {
          size: Number(rows[0].size),
          added: Number(rows[0].added),
          removed: Number(rows[0].removed),
        }
      : { size: 0, added: 0, removed: 0 };
  }

  private async evaluateSqlite(
    segmentId: string,
    ruleVersion: number,
    rule: CompiledRule,
    evaluatedAt: string,
    options: EvaluationOptions,
  ): Promise<void> {
    const evaluationId = uuidV7();
    await this.db.query(`CREATE TEMP TABLE IF NOT EXISTS segment_member_stage (
      evaluation_id varchar(36) NOT NULL,
      customer_id varchar(36) NOT NULL
    )`);
    try {
      await collectSqliteMatches(this.db, evaluationId, rule, options);
      if (options.signal?.aborted) throw new StageCanceled();
      await this.db.atomic(sqliteApply(segmentId, ruleVersion, evaluationId, evaluatedAt));
    } finally {
      await this.db.query('DELETE FROM segment_member_stage WHERE evaluation_id = ?', [
        evaluationId,
      ]);
    }
  }
}

/** The figures every evaluation writes on the segment row (after its members). */
function finish(segmentId: string, ruleVersion: number, evaluatedAt: string): Statement {
  return {
    sql: `UPDATE segment SET size = (SELECT COUNT(*) FROM segment_member WHERE segment_id = ?),
      evaluated_at = ?, evaluated_rule_version = ?, last_error = NULL, last_error_at = NULL
      WHERE id = ?`,
    params: [segmentId, evaluatedAt, ruleVersion, segmentId],
  };
}

/**
 * SQLite: the difference between the stage and the members, in one transaction. changes() is
 * the row count of the statement just before (the DELETE, then the INSERT). EXCEPT builds each
 * side's set once (measured faster here than NOT IN / NOT EXISTS). The INSERT adds nothing
 * for a segment deleted meanwhile.
 */
function sqliteApply(
  segmentId: string,
  ruleVersion: number,
  evaluationId: string,
  evaluatedAt: string,
): Statement[] {
  return [
    {
      sql: `DELETE FROM segment_member WHERE segment_id = ? AND customer_id IN (
        SELECT customer_id FROM segment_member WHERE segment_id = ?
        EXCEPT SELECT customer_id FROM segment_member_stage WHERE evaluation_id = ?)`,
      params: [segmentId, segmentId, evaluationId],
    },
    { sql: 'UPDATE segment SET last_removed = changes() WHERE id = ?', params: [segmentId] },
    {
      sql: `INSERT INTO segment_member (segment_id, customer_id, since)
        SELECT ?, joined.customer_id, ? FROM (
          SELECT customer_id FROM segment_member_stage WHERE evaluation_id = ?
          EXCEPT SELECT customer_id FROM segment_member WHERE segment_id = ?) joined
        WHERE EXISTS (SELECT 1 FROM segment WHERE id = ?)`,
      params: [segmentId, evaluatedAt, evaluationId, segmentId, segmentId],
    },
    { sql: 'UPDATE segment SET last_added = changes() WHERE id = ?', params: [segmentId] },
    finish(segmentId, ruleVersion, evaluatedAt),
  ];
}

/**
 * PostgreSQL: the matching customers into a temporary table dropped at commit, under the time
 * limit (`statement_timeout` for that statement only) and without JIT, then the difference in
 * one statement.
 * Its CTEs see the same snapshot, so `joined` compares against the membership before the
 * statement; `gone` and `joined` touch disjoint rows.
 */
function postgresApply(
  segmentId: string,
  ruleVersion: number,
  rule: CompiledRule,
  evaluatedAt: string,
  timeLimitMs: number,
): Statement[] {
  const c = CUSTOMER_ALIAS;
  return [
    ...Object.entries(postgresRuleSettings(timeLimitMs)).map(([name, value]) => ({
      sql: 'SELECT set_config(?, ?, true)',
      params: [name, value],
    })),
    {
      sql: `CREATE TEMP TABLE segment_fresh ON COMMIT DROP AS
        SELECT ${c}.customer_id FROM customer ${c} WHERE ${rule.where}`,
      params: rule.params,
    },
    { sql: 'SET LOCAL statement_timeout TO DEFAULT' },
    {
      sql: `WITH gone AS (
          DELETE FROM segment_member m WHERE m.segment_id = ?
            AND NOT EXISTS (SELECT 1 FROM segment_fresh f WHERE f.customer_id = m.customer_id)
          RETURNING 1
        ),
        joined AS (
          INSERT INTO segment_member (segment_id, customer_id, since)
          SELECT ?, f.customer_id, ? FROM segment_fresh f
          WHERE NOT EXISTS (
            SELECT 1 FROM segment_member m WHERE m.segment_id = ? AND m.customer_id = f.customer_id)
          AND EXISTS (SELECT 1 FROM segment WHERE id = ?)
          RETURNING 1
        )
        UPDATE segment SET
          last_removed = (SELECT COUNT(*) FROM gone),
          last_added = (SELECT COUNT(*) FROM joined),
          size = (SELECT COUNT(*) FROM segment_fresh),
          evaluated_at = ?, evaluated_rule_version = ?, last_error = NULL, last_error_at = NULL
        WHERE id = ?`,
      params: [
        segmentId,
        segmentId,
        evaluatedAt,
        segmentId,
        segmentId,
        evaluatedAt,
        ruleVersion,
        segmentId,
      ],
    },
  ];
}
