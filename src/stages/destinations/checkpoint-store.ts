import type { MemberOutcome, SyncMode } from '@audience-sync/exporter-contract';
import { Injectable } from '@nestjs/common';
import { Db, type Statement } from '@platform/database/db.service';
import type { MemberKeySql } from './member-keys';

/** `export_pending.op`: what a pending key needs (3: keys read back while reconciling). */
export const PendingOp = { ADD: 1, REMOVE: 2, ACTUAL: 3 } as const;
export type PendingOp = (typeof PendingOp)[keyof typeof PendingOp];

/** `export_checkpoint.status`: held by the target, or skipped (not offered again). */
export const CheckpointStatus = { HELD: 1, NOT_FOUND: 2, INVALID: 3 } as const;

/** The checkpoint's owner: one destination and one segment. */
export interface ExportTarget {
  id: number;
  state: Record<string, unknown>;
}

/** What a batch of outcomes did to the checkpoint. */
export interface RecordTally {
  exported: number;
  removed: number;
  skippedNotFound: number;
  skippedInvalid: number;
  skippedNoKey: number;
  failed: number;
  /** Messages of failed members (the first few are kept by the caller). */
  failures: string[];
}

/**
 * Another writer's rows the pending adds are taken from (the member log's), so the members'
 * keys are read once: `statements` write them (run before the old plan is cleared, which
 * they may read), `keys` selects their distinct keys (`k`).
 */
export interface PlannedAdds {
  statements: Statement[];
  keys: Statement;
}

/** Keys per statement in `IN (…)` lists and multi-row inserts. */
const KEYS_PER_STATEMENT = 1000;

/**
 * The checkpoint of each (destination, segment) and the pending changes of the export in
 * progress, with set-based SQL through {@link Db} on SQLite and PostgreSQL.
 *
 * - `prepare` computes the changes once per job: (the members' distinct non-empty keys) minus
 *   (the checkpoint) are adds; in mirror mode (the keys held) minus (the members' keys) are
 *   removes. Both are EXCEPT queries inserted into `export_pending` in one transaction.
 * - The plugin pages through them (keyset pagination on the primary key) and `record`s the
 *   outcome of each landed batch: the checkpoint moves in the same transaction that clears
 *   those pending rows. A process killed midway loses at most the batches in flight; the next
 *   run recomputes the pending changes from the checkpoint, and the target's own idempotence
 *   (adding a member twice is a no-op) covers a batch that landed but was not recorded.
 */
@Injectable()
export class CheckpointStore {
  constructor(private readonly db: Db) {}

  /** The target row of a destination and segment, created on first use. */
  async target(destinationId: string, segmentId: string): Promise<ExportTarget> {
    await this.db.query(
      `INSERT INTO export_target (destination_id, segment_id, state) VALUES (?, ?, '{}')
       ON CONFLICT (destination_id, segment_id) DO NOTHING`,
      [destinationId, segmentId],
    );
    const [row] = await this.db.query<{ id: number | string; state: string }>(
      'SELECT id, state FROM export_target WHERE destination_id = ? AND segment_id = ?',
      [destinationId, segmentId],
    );
    return { id: Number(row.id), state: JSON.parse(row.state) as Record<string, unknown> };
  }

  /** The target row of a destination and segment if it exists (read-only: a dry run). */
  async existingTarget(destinationId: string, segmentId: string): Promise<ExportTarget | null> {
    const rows = await this.db.query<{ id: number | string; state: string }>(
      'SELECT id, state FROM export_target WHERE destination_id = ? AND segment_id = ?',
      [destinationId, segmentId],
    );
    if (rows.length === 0) return null;
    return { id: Number(rows[0].id), state: JSON.parse(rows[0].state) as Record<string, unknown> };
  }

  async saveState(targetId: number, state: Record<string, unknown>): Promise<void> {
    await this.db.query('UPDATE export_target SET state = ? WHERE id = ?', [
      JSON.stringify(state),
      targetId,
    ]);
  }

  /** Members of the segment, and how many have no key. */
  async counts(
    keys: MemberKeySql,
    segmentId: string,
  ): Promise<{ members: number; withoutKey: number }> {
    const [row] = await this.db.query<{ members: number | string; with_key: number | string }>(
      keys.counts,
      [segmentId],
    );
    const members = Number(row.members);
    return { members, withoutKey: members - Number(row.with_key) };
  }

  /** Forgets the `not-found` / `invalid` skip marks (a full sync offers those keys again). */
  async forgetSkips(targetId: number): Promise<void> {
    await this.db.query('DELETE FROM export_checkpoint WHERE target_id = ? AND status <> ?', [
      targetId,
      CheckpointStatus.HELD,
    ]);
  }

  /** Computes the pending changes afresh; answers how many adds and removes there are. */
  async prepare(
    targetId: number,
    keys: MemberKeySql,
    segmentId: string,
    mode: SyncMode,
    via?: PlannedAdds,
  ): Promise<{ adds: number; removes: number }> {
    // PostgreSQL: fresh statistics of the checkpoint first. Thought nearly empty for this
    // target (its rows came after the last ANALYZE), the member log's anti-join was planned as
    // a loop over every held key for each member: quadratic (minutes at 100,000).
    if (this.db.kind === 'postgres') await this.db.query('ANALYZE export_checkpoint');
    const statements: Statement[] = [
      // The other writer's statements first: they may read the plan they replace.
      ...(via?.statements ?? []),
      { sql: 'DELETE FROM export_pending WHERE target_id = ?', params: [targetId] },
      via
        ? {
            sql: `INSERT INTO export_pending (target_id, op, member_key)
              SELECT CAST(? AS integer), ${PendingOp.ADD}, x.k FROM (${via.keys.sql}) x`,
            params: [targetId, ...(via.keys.params ?? [])],
          }
        : {
            sql: `INSERT INTO export_pending (target_id, op, member_key)
              SELECT CAST(? AS integer), ${PendingOp.ADD}, x.k FROM (
                ${keys.desired} EXCEPT SELECT member_key FROM export_checkpoint WHERE target_id = ?
              ) x`,
            params: [targetId, segmentId, targetId],
          },
    ];
    const addsAt = statements.length - 1;
    if (mode === 'mirror') {
      statements.push({
        sql: `INSERT INTO export_pending (target_id, op, member_key)
          SELECT CAST(? AS integer), ${PendingOp.REMOVE}, x.member_key FROM (
            SELECT member_key FROM export_checkpoint WHERE target_id = ? AND status = ${CheckpointStatus.HELD}
            EXCEPT ${keys.desired}
          ) x`,
        params: [targetId, targetId, segmentId],
      });
    }
    const changes = await this.db.atomic(statements);
    const adds = changes[addsAt];
    const removes = mode === 'mirror' ? changes[addsAt + 1] : 0;
    // PostgreSQL: fresh statistics, so paging and the deletes of `record` use the primary key
    // (planned on a table thought empty, each page or batch would scan a million rows).
    if (this.db.kind === 'postgres') await this.db.query('ANALYZE export_pending');
    await this.dropStaleSkips(targetId, keys, segmentId);
    return { adds, removes };
  }

  /** Skip marks of keys no longer among the members are forgotten (they may come back later). */
  private async dropStaleSkips(targetId: number, keys: MemberKeySql, segmentId: string) {
    const marks = await this.db.query(
      'SELECT 1 AS one FROM export_checkpoint WHERE target_id = ? AND status <> ? LIMIT 1',
      [targetId, CheckpointStatus.HELD],
    );
    if (marks.length === 0) return;
    await this.db.query(
      `DELETE FROM export_checkpoint WHERE target_id = ? AND status <> ${CheckpointStatus.HELD}
        AND member_key IN (
          SELECT member_key FROM export_checkpoint WHERE target_id = ? AND status <> ${CheckpointStatus.HELD}
          EXCEPT ${keys.desired})`,
      [targetId, targetId, segmentId],
    );
  }

  /** Up to `limit` pending keys of one kind after `after`, in key order. */
  async pending(targetId: number, op: PendingOp, after: string, limit: number): Promise<string[]> {
    const rows = await this.db.query<{ member_key: string }>(
      `SELECT member_key FROM export_pending WHERE target_id = ? AND op = ? AND member_key > ?
       ORDER BY member_key LIMIT ?`,
      [targetId, op, after, limit],
    );
    return rows.map((r) => r.member_key);
  }

  async countPending(targetId: number): Promise<{ adds: number; removes: number }> {
    const rows = await this.db.query<{ op: number | string; n: number | string }>(
      'SELECT op, COUNT(*) AS n FROM export_pending WHERE target_id = ? AND op IN (?, ?) GROUP BY op',
      [targetId, PendingOp.ADD, PendingOp.REMOVE],
    );
    const n = (op: PendingOp) => Number(rows.find((r) => Number(r.op) === op)?.n ?? 0);
    return { adds: n(PendingOp.ADD), removes: n(PendingOp.REMOVE) };
  }

  /**
   * Applies the outcomes of a landed batch in one transaction: exported keys are held,
   * removed keys leave, keys skipped as not found or invalid are marked (an add) or leave
   * (a remove: the member is gone from the target anyway); failed keys change nothing and are
   * offered again by the next run. The batch's pending rows are cleared in the same transaction
   * (with `extra`, e.g. the member log's rows of the batch).
   */
  async record(
    targetId: number,
    outcomes: MemberOutcome[],
    /** More statements for the same transaction (the member log's). */
    extra: Statement[] = [],
  ): Promise<RecordTally> {
    const tally: RecordTally = {
      exported: 0,
      removed: 0,
      skippedNotFound: 0,
      skippedInvalid: 0,
      skippedNoKey: 0,
      failed: 0,
      failures: [],
    };
    const held: string[] = [];
    const gone: string[] = [];
    const notFound: string[] = [];
    const invalid: string[] = [];
    const all: string[] = [];
    for (const o of outcomes) {
      all.push(o.key);
      switch (o.outcome) {
        case 'exported':
          held.push(o.key);
          tally.exported++;
          break;
        case 'removed':
          gone.push(o.key);
          tally.removed++;
          break;
        case 'skipped':
          if (o.reason === 'not-found') {
            notFound.push(o.key);
            tally.skippedNotFound++;
          } else if (o.reason === 'invalid-key') {
            invalid.push(o.key);
            tally.skippedInvalid++;
          } else {
            tally.skippedNoKey++;
          }
          break;
        case 'failed':
          tally.failed++;
          tally.failures.push(
            `member ${o.key}: ${o.message}${o.retryable ? ' (will be retried by the next run)' : ''}`,
          );
          break;
      }
    }
    const statements: Statement[] = [];
    const upsert = this.db.dialect.upsertSuffix(['target_id', 'member_key'], ['status']);
    statements.push(
      ...this.db.insertRows(
        'export_checkpoint',
        ['target_id', 'member_key', 'status'],
        held.map((k) => [targetId, k, CheckpointStatus.HELD]),
        { suffix: upsert },
      ),
    );
    for (const [keys, status] of [
      [notFound, CheckpointStatus.NOT_FOUND],
      [invalid, CheckpointStatus.INVALID],
    ] as const) {
      for (const chunk of chunks(keys)) {
        // A skipped remove: the member is not in the target; a skipped add: mark it.
        statements.push({
          sql: `DELETE FROM export_checkpoint WHERE target_id = ? AND member_key IN (
              SELECT member_key FROM export_pending WHERE target_id = ? AND op = ${PendingOp.REMOVE}
              AND member_key IN (${marks(chunk)}))`,
          params: [targetId, targetId, ...chunk],
        });
        statements.push({
          sql: `INSERT INTO export_checkpoint (target_id, member_key, status)
            SELECT target_id, member_key, ${status} FROM export_pending
            WHERE target_id = ? AND op = ${PendingOp.ADD} AND member_key IN (${marks(chunk)}) ${upsert}`,
          params: [targetId, ...chunk],
        });
      }
    }
    for (const chunk of chunks(gone)) {
      statements.push({
        sql: `DELETE FROM export_checkpoint WHERE target_id = ? AND member_key IN (${marks(chunk)})`,
        params: [targetId, ...chunk],
      });
    }
    for (const chunk of chunks(all)) {
      statements.push({
        sql: `DELETE FROM export_pending WHERE target_id = ? AND op IN (${PendingOp.ADD}, ${PendingOp.REMOVE})
          AND member_key IN (${marks(chunk)})`,
        params: [targetId, ...chunk],
      });
    }
    statements.push(...extra);
    await this.db.atomic(statements);
    return tally;
  }

  /** Keys the checkpoint says the target holds. */
  async size(targetId: number): Promise<number> {
    const [row] = await this.db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM export_checkpoint WHERE target_id = ? AND status = ?',
      [targetId, CheckpointStatus.HELD],
    );
    return Number(row.n);
  }

  /** Forgets the held keys (the target is new and empty); skip marks stay. Answers how many. */
  async reset(targetId: number): Promise<number> {
    const [forgotten] = await this.db.atomic([
      {
        sql: 'DELETE FROM export_checkpoint WHERE target_id = ? AND status = ?',
        params: [targetId, CheckpointStatus.HELD],
      },
    ]);
    return forgotten;
  }

  /**
   * Replaces the held keys with those the target really holds (read in chunks into scratch
   * rows, then swapped in one transaction). Answers keys found in the target but not in the
   * checkpoint (`unexpected`) and keys the checkpoint had but the target lacks (`missing`).
   */
  async reconcile(
    targetId: number,
    actual: AsyncIterable<string[]>,
  ): Promise<{ unexpected: number; missing: number }> {
    const clear: Statement = {
      sql: 'DELETE FROM export_pending WHERE target_id = ? AND op = ?',
      params: [targetId, PendingOp.ACTUAL],
    };
    await this.db.atomic([clear]);
    try {
      for await (const keys of actual) {
        const rows = keys.filter((k) => k !== '').map((k) => [targetId, PendingOp.ACTUAL, k]);
        await this.db.atomic(
          this.db.insertRows('export_pending', ['target_id', 'op', 'member_key'], rows, {
            suffix: 'ON CONFLICT (target_id, op, member_key) DO NOTHING',
          }),
        );
      }
      const [missing, unexpected] = await this.db.atomic([
        {
          sql: `DELETE FROM export_checkpoint WHERE target_id = ? AND status = ${CheckpointStatus.HELD}
            AND NOT EXISTS (SELECT 1 FROM export_pending p WHERE p.target_id = ? AND p.op = ${PendingOp.ACTUAL}
              AND p.member_key = export_checkpoint.member_key)`,
          params: [targetId, targetId],
        },
        {
          sql: `INSERT INTO export_checkpoint (target_id, member_key, status)
            SELECT p.target_id, p.member_key, ${CheckpointStatus.HELD} FROM export_pending p
            WHERE p.target_id = ? AND p.op = ${PendingOp.ACTUAL} AND NOT EXISTS (
              SELECT 1 FROM export_checkpoint cp WHERE cp.target_id = p.target_id
                AND cp.member_key = p.member_key AND cp.status = ${CheckpointStatus.HELD})
            ${this.db.dialect.upsertSuffix(['target_id', 'member_key'], ['status'])}`,
          params: [targetId],
        },
        clear,
      ]);
      return { unexpected, missing };
    } catch (error) {
      await this.db.atomic([clear]);
      throw error;
    }
  }

  /**
   * For snapshot destinations, once the whole membership was written: the pending changes
   * become the checkpoint in one transaction (so the run can say who was added and removed).
   */
  async commitPending(targetId: number): Promise<{ added: number; removed: number }> {
    const [removed, added] = await this.db.atomic([
      {
        sql: `DELETE FROM export_checkpoint WHERE target_id = ? AND member_key IN (
          SELECT member_key FROM export_pending WHERE target_id = ? AND op = ${PendingOp.REMOVE})`,
        params: [targetId, targetId],
      },
      {
        sql: `INSERT INTO export_checkpoint (target_id, member_key, status)
          SELECT target_id, member_key, ${CheckpointStatus.HELD} FROM export_pending
          WHERE target_id = ? AND op = ${PendingOp.ADD}
          ${this.db.dialect.upsertSuffix(['target_id', 'member_key'], ['status'])}`,
        params: [targetId],
      },
      { sql: 'DELETE FROM export_pending WHERE target_id = ?', params: [targetId] },
    ]);
    return { added, removed };
  }

  async clearPending(targetId: number): Promise<void> {
    await this.db.query('DELETE FROM export_pending WHERE target_id = ?', [targetId]);
  }

  /** Everything kept for a destination's exports (when the destination is deleted). */
  dropDestinationStatements(destinationId: string): Statement[] {
    const targets = 'SELECT id FROM export_target WHERE destination_id = ?';
    return [
      {
        sql: `DELETE FROM export_pending WHERE target_id IN (${targets})`,
        params: [destinationId],
      },
      {
        sql: `DELETE FROM export_checkpoint WHERE target_id IN (${targets})`,
        params: [destinationId],
      },
      { sql: 'DELETE FROM export_target WHERE destination_id = ?', params: [destinationId] },
    ];
  }
}

function* chunks(keys: string[]): Generator<string[]> {
  for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT)
    yield keys.slice(i, i + KEYS_PER_STATEMENT);
}

function marks(keys: string[]): string {
  return new Array<string>(keys.length).fill('?').join(', ');
}
