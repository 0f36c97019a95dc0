import type { MemberOutcome } from '@audience-sync/exporter-contract';
import type { Db, Statement } from '@platform/database/db.service';
import { PendingOp, type PlannedAdds } from './checkpoint-store';
import { LogOutcome, LogReason } from './member-log-codes';
import type { MemberKeySql } from './member-keys';

/** A row planned again (a failed or held change offered anew) is pending again. */
const REPLAN = `ON CONFLICT (log_id, member_key, customer_id)
  DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason, detail = NULL`;
/** Keys per `IN (…)` list. */
const KEYS_PER_STATEMENT = 1000;
/** Distinct messages kept per log; further ones keep their reason code only (memory stays flat). */
const MAX_MESSAGES = 1000;
const MAX_MESSAGE_LENGTH = 500;

/**
 * Writes one segment's member log of one run, set-based: the planned changes become rows when
 * the job is prepared (one INSERT … SELECT per kind; the adds first, as the pending adds' source).
 * A recorded batch updates, in the transaction that moves the checkpoint, only the rows of its
 * failures and skips; the segment's end marks the changes still pending as not made and settles
 * the log, so a planned row left stands for a change made (`member-log-codes.ts`). Rows are
 * unique per (log, key, customer), inserted with ON CONFLICT, so preparing again (reconcile, a
 * re-created target, an approved hold) never duplicates them.
 */
export class MemberLogWriter {
  private readonly messages = new Map<string, number>();

  constructor(
    private readonly db: Db,
    readonly logId: number,
    private readonly targetId: number,
    private readonly keys: MemberKeySql,
    private readonly segmentId: string,
  ) {}

  /**
   * The members to add, written as log rows with their customers, from which the checkpoint
   * store takes its pending adds ({@link CheckpointStore.prepare}): the members' keys are read
   * once for both. Rows of an earlier preparation that are still pending, and rows of keys
   * that failed before (the resumed run offers them again), are planned afresh.
   */
  async plannedAdds(): Promise<PlannedAdds> {
    const k = this.keys;
    // An empty checkpoint (a first export) holds none of the keys: no probe per member.
    const empty =
      (
        await this.db.query('SELECT 1 AS one FROM export_checkpoint WHERE target_id = ? LIMIT 1', [
          this.targetId,
        ])
      ).length === 0;
    return {
      statements: [
        // Planned again (a reconcile, a reset, an approved hold): in progress until settled.
        { sql: 'UPDATE export_log SET settled = 0 WHERE id = ?', params: [this.logId] },
        // Rows of changes still pending from an earlier preparation are planned afresh (rows
        // of changes made stay: their keys left the pending ones).
        {
          sql: `DELETE FROM export_member_log WHERE log_id = ? AND outcome IN (?, ?)
            AND member_key IN (SELECT member_key FROM export_pending WHERE target_id = ?)`,
          params: [this.logId, LogOutcome.PENDING_ADD, LogOutcome.PENDING_REMOVE, this.targetId],
        },
        {
          sql: `INSERT INTO export_member_log (log_id, member_key, customer_id, outcome, reason)
            SELECT CAST(? AS integer), d.k, d.customer_id, ${LogOutcome.PENDING_ADD}, ${LogReason.NONE}
            FROM (SELECT sm.customer_id AS customer_id, ${k.key} AS k ${k.from}) d
            WHERE d.k <> ''${empty ? '' : ' AND NOT EXISTS (SELECT 1 FROM export_checkpoint cp WHERE cp.target_id = ? AND cp.member_key = d.k)'}
            ${REPLAN}`,
          params: empty
            ? [this.logId, this.segmentId]
            : [this.logId, this.segmentId, this.targetId],
        },
      ],
      // Planned rows of adds made earlier in this log stay planned: their keys are held.
      keys: {
        sql: `SELECT DISTINCT m.member_key AS k FROM export_member_log m
          WHERE m.log_id = ? AND m.outcome = ${LogOutcome.PENDING_ADD}${empty ? '' : ' AND NOT EXISTS (SELECT 1 FROM export_checkpoint cp WHERE cp.target_id = ? AND cp.member_key = m.member_key)'}`,
        params: empty ? [this.logId] : [this.logId, this.targetId],
      },
    };
  }

  /** Rows for the pending removes (and, once, for the members without a key). */
  async plan(planned: { adds: number; removes: number }, withoutKey: number): Promise<void> {
    const k = this.keys;
    const statements: Statement[] = [];
    if (planned.removes > 0) {
      // The customers that carry a removed key: one pass over the customers, each key probed
      // in the pending removes (a join the other way round would scan them once per key).
      statements.push({
        sql: `INSERT INTO export_member_log (log_id, member_key, customer_id, outcome, reason)
          SELECT CAST(? AS integer), x.k, x.customer_id, ${LogOutcome.PENDING_REMOVE}, ${LogReason.NONE}
          FROM (SELECT c.customer_id AS customer_id, ${k.customerKey} AS k FROM customer c) x
          WHERE x.k IN (SELECT member_key FROM export_pending WHERE target_id = ? AND op = ${PendingOp.REMOVE})
          ${REPLAN}`,
        params: [this.logId, this.targetId],
      });
      // Removed keys no customer carries any more (customer id '').
      statements.push({
        sql: `INSERT INTO export_member_log (log_id, member_key, customer_id, outcome, reason)
          SELECT CAST(? AS integer), p.member_key, '', ${LogOutcome.PENDING_REMOVE}, ${LogReason.NONE}
          FROM export_pending p WHERE p.target_id = ? AND p.op = ${PendingOp.REMOVE}
          AND NOT EXISTS (SELECT 1 FROM export_member_log m
            WHERE m.log_id = ? AND m.member_key = p.member_key AND m.customer_id <> '')
          ${REPLAN}`,
        params: [this.logId, this.targetId, this.logId],
      });
    }
    if (withoutKey > 0) {
      statements.push({
        sql: `INSERT INTO export_member_log (log_id, member_key, customer_id, outcome, reason)
          SELECT CAST(? AS integer), '', d.customer_id, ${LogOutcome.SKIPPED}, ${LogReason.NO_KEY}
          FROM (SELECT sm.customer_id AS customer_id, ${k.key} AS k
            FROM segment_member sm LEFT JOIN customer c ON c.customer_id = sm.customer_id
            WHERE sm.segment_id = ?) d
          WHERE COALESCE(d.k, '') = ''
          ON CONFLICT DO NOTHING`,
        params: [this.logId, this.segmentId],
      });
    }
    if (statements.length > 0) await this.db.atomic(statements);
  }

  /** Statements settling the rows of a recorded batch (run with the checkpoint's). */
  statements(outcomes: MemberOutcome[]): Statement[] {
    const groups = new Map<
      string,
      { outcome: number; reason: number; detail: number | null; keys: string[] }
    >();
    const out: Statement[] = [];
    for (const o of outcomes) {
      let outcome: number;
      let reason: number = LogReason.NONE;
      let message: string | undefined;
      switch (o.outcome) {
        case 'exported':
        case 'removed':
          continue; // made: the planned row says so once the log is settled
        case 'skipped':
          outcome = LogOutcome.SKIPPED;
          reason =
            o.reason === 'not-found'
              ? LogReason.NOT_FOUND
              : o.reason === 'invalid-key'
                ? LogReason.INVALID_KEY
                : LogReason.NO_KEY;
          message = o.message;
          break;
        case 'failed':
          outcome = LogOutcome.FAILED;
          reason = o.retryable ? LogReason.FAILED_RETRYABLE : LogReason.FAILED_PERMANENT;
          message = o.message;
          break;
      }
      const detail = message ? this.messageId(message, out) : null;
      const id = `${outcome}:${reason}:${detail ?? ''}`;
      let group = groups.get(id);
      if (!group) {
        group = { outcome, reason, detail, keys: [] };
        groups.set(id, group);
      }
      group.keys.push(o.key);
    }
    for (const g of groups.values()) {
      for (let i = 0; i < g.keys.length; i += KEYS_PER_STATEMENT) {
        const chunk = g.keys.slice(i, i + KEYS_PER_STATEMENT);
        out.push({
          sql: `UPDATE export_member_log SET outcome = ?, reason = ?, detail = ?
            WHERE log_id = ? AND member_key IN (${chunk.map(() => '?').join(', ')})`,
          params: [g.outcome, g.reason, g.detail, this.logId, ...chunk],
        });
      }
    }
    return out;
  }

  /** Snapshot destinations wrote the whole membership: every planned change happened. */
  async settleWritten(): Promise<void> {
    await this.db.query('UPDATE export_log SET settled = 1 WHERE id = ?', [this.logId]);
  }

  /**
   * The segment's export ended: changes still pending were not made (held: by the guardrail),
   * and the log is settled, so the planned rows left stand for changes made.
   */
  async settleUnapplied(held = false): Promise<void> {
    await this.db.atomic(
      settleStatements(this.logId, this.targetId, held ? LogReason.HELD : LogReason.NOT_APPLIED),
    );
  }

  /** The id of a message in `export_log_detail`, adding the row to `out` the first time. */
  private messageId(message: string, out: Statement[]): number | null {
    const text = message.slice(0, MAX_MESSAGE_LENGTH);
    const known = this.messages.get(text);
    if (known !== undefined) return known;
    if (this.messages.size >= MAX_MESSAGES) return null;
    const id = this.messages.size + 1;
    this.messages.set(text, id);
    out.push({
      sql: `INSERT INTO export_log_detail (log_id, id, text) VALUES (?, ?, ?)
        ON CONFLICT (log_id, id) DO UPDATE SET text = excluded.text`,
      params: [this.logId, id, text],
    });
    return id;
  }
}

/** Marks a log's changes still pending in the target's plan as not made, then settles it. */
export function settleStatements(logId: number, targetId: number, reason: number): Statement[] {
  return [
    {
      sql: `UPDATE export_member_log SET outcome = ${LogOutcome.FAILED}, reason = ?
        WHERE log_id = ? AND outcome IN (?, ?) AND member_key IN (
          SELECT member_key FROM export_pending WHERE target_id = ? AND op IN (${PendingOp.ADD}, ${PendingOp.REMOVE}))`,
      params: [reason, logId, LogOutcome.PENDING_ADD, LogOutcome.PENDING_REMOVE, targetId],
    },
    { sql: 'UPDATE export_log SET settled = 1 WHERE id = ?', params: [logId] },
  ];
}
