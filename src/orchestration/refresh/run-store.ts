import { Injectable } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import type { RunOwner } from '@platform/locks/run-owner';
import type { RefreshRun, StageRecord } from './refresh-run';
import { isTerminal, type RunStatus, type RunTrigger } from '@stages/contract/run-state';

/** The value of `refresh_run.active_slot` while a run is queued or running (UNIQUE). */
const SLOT = 'refresh';

interface Row {
  id: string;
  triggered_by: string;
  status: string;
  stages: string;
  error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  owner_host: string | null;
  owner_pid: number | string | null;
  owner_boot: string | null;
  heartbeat_at: string | null;
  cancel_requested_at: string | null;
}

const COLUMNS =
  'id, triggered_by, status, stages, error, created_at, started_at, finished_at, owner_host, owner_pid, owner_boot, heartbeat_at, cancel_requested_at';

/**
 * Refresh runs in `refresh_run`, with raw SQL: the conditional statements that make "one
 * refresh at a time" hold across processes need exact control (a UNIQUE slot column taken by
 * `INSERT … ON CONFLICT DO NOTHING`, updates guarded by owner and slot).
 */
@Injectable()
export class RunStore {
  constructor(private readonly db: Db) {}

  /** Inserts a queued run if no run holds the slot; answers whether it did. */
  async insertQueued(run: RefreshRun): Promise<boolean> {
    const [changed] = await this.db.atomic([
      this.insert(run, SLOT, 'ON CONFLICT (active_slot) DO NOTHING'),
    ]);
    return changed === 1;
  }

  /** Inserts a run that is already over (a `skipped` scheduled run). */
  async insertFinished(run: RefreshRun): Promise<void> {
    await this.db.atomic([this.insert(run, null, '')]);
  }

  async get(id: string): Promise<RefreshRun | undefined> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM refresh_run WHERE id = ?`, [id]);
    return rows.length > 0 ? toRun(rows[0]) : undefined;
  }

  /** The run holding the slot (queued or running), if any. */
  async active(): Promise<RefreshRun | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM refresh_run WHERE active_slot IS NOT NULL`,
    );
    return rows.length > 0 ? toRun(rows[0]) : undefined;
  }

  /** The newest run of a trigger. */
  async latest(trigger: RunTrigger): Promise<RefreshRun | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM refresh_run WHERE triggered_by = ? ORDER BY id DESC LIMIT 1`,
      [trigger],
    );
    return rows.length > 0 ? toRun(rows[0]) : undefined;
  }

  /** Newest first (ids are UUIDv7, so id order is creation order); `before` is an id. */
  async list(limit: number, before?: string): Promise<RefreshRun[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM refresh_run ${before ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`,
      before ? [before, limit] : [limit],
    );
    return rows.map(toRun);
  }

  /**
   * Writes the owner's state of a run (status, stages, times). Only the owner of a run that
   * still holds the slot may: answers false when the run was taken from it (its process was
   * thought dead) so the owner stops. A terminal status frees the slot.
   */
  async save(run: RefreshRun): Promise<boolean> {
    const [changed] = await this.db.atomic([
      {
        sql: `UPDATE refresh_run SET status = ?, stages = ?, error = ?, started_at = ?, finished_at = ?,
          heartbeat_at = ?, active_slot = ? WHERE id = ? AND owner_boot = ? AND active_slot IS NOT NULL`,
        params: [
          run.status,
          JSON.stringify(run.stages),
          run.error,
          run.startedAt,
          run.finishedAt,
          run.heartbeatAt,
          isTerminal(run.status) ? null : SLOT,
          run.id,
          run.owner?.bootId ?? null,
        ],
      },
    ]);
    return changed === 1;
  }

  /** The owner's heartbeat; answers whether it still owns the run and whether a cancel came. */
  async heartbeat(
    id: string,
    owner: RunOwner,
    at: string,
  ): Promise<{ owned: boolean; cancelRequested: boolean }> {
    const [changed] = await this.db.atomic([
      {
        sql: 'UPDATE refresh_run SET heartbeat_at = ? WHERE id = ? AND owner_boot = ? AND active_slot IS NOT NULL',
        params: [at, id, owner.bootId],
      },
    ]);
    const rows = await this.db.query<{ cancel_requested_at: string | null }>(
      'SELECT cancel_requested_at FROM refresh_run WHERE id = ?',
      [id],
    );
    return { owned: changed === 1, cancelRequested: rows[0]?.cancel_requested_at != null };
  }

  /** Records a cancel request (the owner acts on it at its next heartbeat). */
  async requestCancel(id: string, at: string): Promise<void> {
    await this.db.query(
      'UPDATE refresh_run SET cancel_requested_at = ? WHERE id = ? AND cancel_requested_at IS NULL',
      [at, id],
    );
  }

  /**
   * Fails a run whose owner is gone, unless it moved on meanwhile (its heartbeat changed or it
   * finished): answers whether it did.
   */
  async failAbandoned(run: RefreshRun, error: string, at: string): Promise<boolean> {
    const stages: StageRecord[] = run.stages.map((s) =>
      s.status === 'running'
        ? { ...s, status: 'failed', finishedAt: at, note: 'interrupted: its process stopped' }
        : s.status === 'pending'
          ? { ...s, status: 'skipped', note: 'the run was interrupted' }
          : s,
    );
    const [changed] = await this.db.atomic([
      {
        sql: `UPDATE refresh_run SET status = 'failed', error = ?, finished_at = ?, stages = ?, active_slot = NULL
          WHERE id = ? AND active_slot IS NOT NULL AND heartbeat_at = ?`,
        params: [error, at, JSON.stringify(stages), run.id, run.heartbeatAt],
      },
    ]);
    return changed === 1;
  }

  private insert(run: RefreshRun, slot: string | null, suffix: string) {
    return {
      sql: `INSERT INTO refresh_run (${COLUMNS}, active_slot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${suffix}`,
      params: [
        run.id,
        run.trigger,
        run.status,
        JSON.stringify(run.stages),
        run.error,
        run.createdAt,
        run.startedAt,
        run.finishedAt,
        run.owner?.host ?? null,
        run.owner?.pid ?? null,
        run.owner?.bootId ?? null,
        run.heartbeatAt,
        run.cancelRequestedAt,
        slot,
      ],
    };
  }
}

function toRun(row: Row): RefreshRun {
  return {
    id: row.id,
    trigger: row.triggered_by as RunTrigger,
    status: row.status as RunStatus,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error,
    cancelRequestedAt: row.cancel_requested_at,
    owner:
      row.owner_host !== null && row.owner_pid !== null && row.owner_boot !== null
        ? { host: row.owner_host, pid: Number(row.owner_pid), bootId: row.owner_boot }
        : null,
    heartbeatAt: row.heartbeat_at,
    stages: JSON.parse(row.stages) as StageRecord[],
  };
}
