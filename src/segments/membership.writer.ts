import { Injectable } from '@nestjs/common';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Db, type Statement } from '../database/db.service';
import { StageCanceled } from '../refresh/stage';
import type { CompiledRule } from './rule-compiler';
import { CUSTOMER_ALIAS } from './segment-sql';
import { uuidV7, uuidV7Floor } from './uuid-v7';

/** Customers (by SQLite rowid) scanned per statement: short enough to keep the API responsive. */
const SQLITE_CHUNK = 50_000;
/** Leftover stage rows of evaluations older than this belong to a process that died. */
const STALE_STAGE_MS = 24 * 3600_000;

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
}

/**
 * Materializes a segment's membership in `segment_member` with set-based SQL.
 *
 * 1. The new members are collected in `segment_member_stage` under a fresh evaluation id: on
 *    SQLite a TEMP table of the connection, filled in chunks of customer rowids, each its own
 *    short statement, so no write transaction is held across an await and the event loop
 *    breathes; on PostgreSQL one INSERT … SELECT into an unlogged table.
 * 2. One transaction then applies the difference: DELETE the members that left, INSERT the ones
 *    that joined, and record size / added / removed / evaluation time on the segment row. Readers
 *    see the previous membership or the new one, never a mix; a failure or a cancel before this
 *    point leaves the previous membership as it was.
 */
@Injectable()
export class MembershipWriter {
  constructor(private readonly db: Db) {}

  async evaluate(
    segmentId: string,
    ruleVersion: number,
    rule: CompiledRule,
    evaluatedAt: string,
    options: EvaluationOptions = {},
  ): Promise<MembershipChange> {
    const evaluationId = uuidV7();
    await this.ensureStage();
    try {
      await this.collect(evaluationId, rule, options);
      if (options.signal?.aborted) throw new StageCanceled();
      await this.db.atomic(this.applyStatements(segmentId, ruleVersion, evaluationId, evaluatedAt));
    } finally {
      await this.db.query('DELETE FROM segment_member_stage WHERE evaluation_id = ?', [
        evaluationId,
      ]);
    }
    const [row] = await this.db.query<{ size: Count; added: Count; removed: Count } | undefined>(
      'SELECT size, last_added AS added, last_removed AS removed FROM segment WHERE id = ?',
      [segmentId],
    );
    return row
      ? { size: Number(row.size), added: Number(row.added), removed: Number(row.removed) }
      : { size: 0, added: 0, removed: 0 };
  }

  /** Removes stage rows left by evaluations of processes that died (PostgreSQL only). */
  async removeStaleStageRows(now: number): Promise<void> {
    if (this.db.kind !== 'postgres') return;
    await this.db.query('DELETE FROM segment_member_stage WHERE evaluation_id < ?', [
      uuidV7Floor(now - STALE_STAGE_MS),
    ]);
  }

  /** The SQLite stage is a TEMP table of the connection (PostgreSQL's comes from a migration). */
  private async ensureStage(): Promise<void> {
    if (this.db.kind !== 'sqlite') return;
    await this.db.query(`CREATE TEMP TABLE IF NOT EXISTS segment_member_stage (
      evaluation_id varchar(36) NOT NULL,
      customer_id varchar(36) NOT NULL
    )`);
  }

  private async collect(evaluationId: string, rule: CompiledRule, options: EvaluationOptions) {
    const select = `SELECT ?, ${CUSTOMER_ALIAS}.customer_id FROM customer ${CUSTOMER_ALIAS}`;
    const insert = 'INSERT INTO segment_member_stage (evaluation_id, customer_id)';
    if (this.db.kind === 'postgres') {
      await this.db.query(`${insert} ${select} WHERE ${rule.where}`, [
        evaluationId,
        ...rule.params,
      ]);
      // Fresh statistics, so the anti-joins of the apply step are planned as hash joins.
      await this.db.query('ANALYZE segment_member_stage');
      options.onProgress?.(1, 1);
      return;
    }
    const [range] = await this.db.query<{ lo: number | null; hi: number | null; n: number }>(
      'SELECT MIN(rowid) AS lo, MAX(rowid) AS hi, COUNT(*) AS n FROM customer',
    );
    if (range.lo === null || range.hi === null) return;
    const sql = `${insert} ${select} WHERE ${CUSTOMER_ALIAS}.rowid >= ? AND ${CUSTOMER_ALIAS}.rowid < ? AND (${rule.where})`;
    const span = range.hi - range.lo + 1;
    for (let from = range.lo; from <= range.hi; from += SQLITE_CHUNK) {
      // better-sqlite3 is synchronous: without a real yield, timers (heartbeats) and HTTP
      // requests would wait for the whole evaluation.
      await yieldToEventLoop();
      if (options.signal?.aborted) throw new StageCanceled();
      await this.db.query(sql, [evaluationId, from, from + SQLITE_CHUNK, ...rule.params]);
      const done = Math.min(from + SQLITE_CHUNK, range.hi + 1) - range.lo;
      options.onProgress?.(Math.round((range.n * done) / span), range.n);
    }
  }

  private applyStatements(
    segmentId: string,
    ruleVersion: number,
    evaluationId: string,
    evaluatedAt: string,
  ): Statement[] {
    const finish: Statement = {
      sql: `UPDATE segment SET size = (SELECT COUNT(*) FROM segment_member WHERE segment_id = ?),
        evaluated_at = ?, evaluated_rule_version = ?, last_error = NULL, last_error_at = NULL
        WHERE id = ?`,
      params: [segmentId, evaluatedAt, ruleVersion, segmentId],
    };
    if (this.db.kind === 'sqlite') {
      // changes() is the row count of the statement just before (the DELETE, then the INSERT).
      // EXCEPT builds each side's set once (measured faster here than NOT IN / NOT EXISTS).
      return [
        {
          sql: `DELETE FROM segment_member WHERE segment_id = ? AND customer_id IN (
            SELECT customer_id FROM segment_member WHERE segment_id = ?
            EXCEPT SELECT customer_id FROM segment_member_stage WHERE evaluation_id = ?)`,
          params: [segmentId, segmentId, evaluationId],
        },
        { sql: 'UPDATE segment SET last_removed = changes() WHERE id = ?', params: [segmentId] },
        {
          sql: `INSERT INTO segment_member (segment_id, customer_id)
            SELECT ?, joined.customer_id FROM (
              SELECT customer_id FROM segment_member_stage WHERE evaluation_id = ?
              EXCEPT SELECT customer_id FROM segment_member WHERE segment_id = ?) joined
            WHERE EXISTS (SELECT 1 FROM segment WHERE id = ?)`,
          params: [segmentId, evaluationId, segmentId, segmentId],
        },
        { sql: 'UPDATE segment SET last_added = changes() WHERE id = ?', params: [segmentId] },
        finish,
      ];
    }
    // PostgreSQL: data-modifying CTEs count the rows they touched in the same statement.
    return [
      {
        sql: `WITH gone AS (
            DELETE FROM segment_member m WHERE m.segment_id = ? AND NOT EXISTS (
              SELECT 1 FROM segment_member_stage s
              WHERE s.evaluation_id = ? AND s.customer_id = m.customer_id)
            RETURNING 1)
          UPDATE segment SET last_removed = (SELECT COUNT(*) FROM gone) WHERE id = ?`,
        params: [segmentId, evaluationId, segmentId],
      },
      {
        sql: `WITH joined AS (
            INSERT INTO segment_member (segment_id, customer_id)
            SELECT ?, s.customer_id FROM segment_member_stage s
            WHERE s.evaluation_id = ? AND NOT EXISTS (
              SELECT 1 FROM segment_member m WHERE m.segment_id = ? AND m.customer_id = s.customer_id)
            AND EXISTS (SELECT 1 FROM segment WHERE id = ?)
            RETURNING 1)
          UPDATE segment SET last_added = (SELECT COUNT(*) FROM joined) WHERE id = ?`,
        params: [segmentId, evaluationId, segmentId, segmentId, segmentId],
      },
      finish,
    ];
  }
}
