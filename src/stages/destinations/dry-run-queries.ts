import type { Db } from '@platform/database/db.service';
import { CUSTOMER_ID_FIELD } from '@stages/contract/customer-field';
import { CheckpointStatus } from './checkpoint-store';
import type { DryRunMember } from './dry-run';
import type { MemberKeySql } from './member-keys';

/** Members shown per sample. */
export const SAMPLE_SIZE = 10;

/**
 * The dry run's figures, read-only and set-based: the same EXCEPT queries as
 * `CheckpointStore.prepare` counted instead of inserted into `export_pending`, so a dry run
 * writes nothing and can run beside an export of the same destination.
 */
export class DryRunQueries {
  constructor(
    private readonly db: Db,
    private readonly keys: MemberKeySql,
    private readonly segmentId: string,
    /** The checkpoint's owner; null when the segment was never exported there. */
    private readonly targetId: number | null,
  ) {}

  /** Keys the export would add (members' keys minus every key the checkpoint has). */
  toAdd(): Promise<number> {
    return this.count(
      `${this.keys.desired} EXCEPT SELECT member_key FROM export_checkpoint WHERE target_id = ?`,
      [this.segmentId, this.target],
    );
  }

  /** Keys a mirror export would remove (keys held minus the members' keys). */
  toRemove(): Promise<number> {
    return this.count(
      `SELECT member_key FROM export_checkpoint WHERE target_id = ? AND status = ${CheckpointStatus.HELD}
       EXCEPT ${this.keys.desired}`,
      [this.target, this.segmentId],
    );
  }

  /** Members' keys that earlier exports found missing or invalid in the target. */
  notInTarget(): Promise<number> {
    return this.count(
      `${this.keys.desired} INTERSECT SELECT member_key FROM export_checkpoint
       WHERE target_id = ? AND status IN (${CheckpointStatus.NOT_FOUND}, ${CheckpointStatus.INVALID})`,
      [this.segmentId, this.target],
    );
  }

  async sampleToAdd(): Promise<DryRunMember[]> {
    const rows = await this.db.query<{ customer_id: string; k: string }>(
      `SELECT d.customer_id AS customer_id, d.k AS k
       FROM (SELECT sm.customer_id AS customer_id, ${this.keys.key} AS k ${this.keys.from}) d
       WHERE d.k <> '' AND NOT EXISTS (
         SELECT 1 FROM export_checkpoint cp WHERE cp.target_id = ? AND cp.member_key = d.k)
       ORDER BY d.k, d.customer_id LIMIT ${SAMPLE_SIZE}`,
      [this.segmentId, this.target],
    );
    return rows.map((r) => ({ customerId: r.customer_id, contactId: r.k }));
  }

  /** Keys to remove, with the customer that carries each now (if any). */
  async sampleToRemove(): Promise<DryRunMember[]> {
    const rows = await this.db.query<{ k: string }>(
      `SELECT x.member_key AS k FROM (
         SELECT member_key FROM export_checkpoint WHERE target_id = ? AND status = ${CheckpointStatus.HELD}
         EXCEPT ${this.keys.desired}) x
       ORDER BY x.member_key LIMIT ${SAMPLE_SIZE}`,
      [this.target, this.segmentId],
    );
    const keys = rows.map((r) => r.k);
    if (keys.length === 0) return [];
    if (this.keys.keyField === CUSTOMER_ID_FIELD) {
      return keys.map((k) => ({ customerId: k, contactId: k }));
    }
    // One pass over the customers for the (at most 10) keys: who carries them now.
    const owners = await this.db.query<{ customer_id: string; k: string }>(
      `SELECT x.customer_id AS customer_id, x.k AS k FROM (
         SELECT c.customer_id AS customer_id, ${this.keys.key} AS k FROM customer c) x
       WHERE x.k IN (${keys.map(() => '?').join(', ')}) ORDER BY x.customer_id`,
      keys,
    );
    const byKey = new Map<string, string>();
    for (const o of owners) if (!byKey.has(o.k)) byKey.set(o.k, o.customer_id);
    return keys.map((k) => ({ customerId: byKey.get(k) ?? null, contactId: k }));
  }

  /** An id no target has, when there is none yet (the checkpoint is then empty). */
  private get target(): number {
    return this.targetId ?? -1;
  }

  private async count(sql: string, params: unknown[]): Promise<number> {
    const [row] = await this.db.query<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM (${sql}) x`,
      params,
    );
    return Number(row.n);
  }
}
