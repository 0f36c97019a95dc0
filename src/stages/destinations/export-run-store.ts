import { Injectable } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import type { RunOwner } from '@platform/locks/run-owner';
import type { ExportRun, SegmentResult } from './export-run';
import {
  assertTransition,
  isTerminal,
  type ExportRunStatus,
  type ExportTrigger,
} from './export-run-status';

interface Row {
  id: string;
  destination_id: string;
  triggered_by: string;
  refresh_run_id: string | null;
  status: string;
  full_sync: boolean | number;
  approve_removals: boolean | number;
  segments: string;
  notes: string;
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
  'id, destination_id, triggered_by, refresh_run_id, status, full_sync, approve_removals, segments, notes, error, created_at, started_at, finished_at, owner_host, owner_pid, owner_boot, heartbeat_at, cancel_requested_at';

/**
 * Export runs in `export_run`, with raw SQL like the refresh runs: "one queued or running run
 * per destination" is a partial unique index taken by `INSERT … ON CONFLICT DO NOTHING`, so it
 * holds across processes; every status change is conditional on the status it leaves.
 */
@Injectable()
export class ExportRunStore {
  constructor(private readonly db: Db) {}

  /** Inserts a queued run unless the destination has one queued or running. */
  async insertQueued(run: ExportRun): Promise<boolean> {
    const [changed] = await this.db.atomic([this.insert(run, 'ON CONFLICT DO NOTHING')]);
    return changed === 1;
  }

  /** Inserts a run that is already over (`skipped`). */
  async insertFinished(run: ExportRun): Promise<void> {
    if (!isTerminal(run.status)) throw new Error(`a ${run.status} run is not over`);
    await this.db.atomic([this.insert(run, '')]);
  }

  async get(id: string): Promise<ExportRun | undefined> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM export_run WHERE id = ?`, [id]);
    return rows.length > 0 ? toRun(rows[0]) : undefined;
  }

  /** The queued or running run of a destination, if any. */
  async active(destinationId: string): Promise<ExportRun | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM export_run WHERE destination_id = ? AND status IN ('queued', 'running')`,
      [destinationId],
    );
    return rows.length > 0 ? toRun(rows[0]) : undefined;
  }

  /** Every queued or running run (start-up recovery). */
  async allActive(): Promise<ExportRun[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM export_run WHERE status IN ('queued', 'running')`,
    );
    return rows.map(toRun);
  }

  /** A destination's runs, newest first (ids are UUIDv7); `before` is an id. */
  async list(destinationId: string, limit: number, before?: string): Promise<ExportRun[]> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM export_run WHERE destination_id = ? ${before ? 'AND id < ?' : ''}
       ORDER BY id DESC LIMIT ?`,
      before ? [destinationId, before, limit] : [destinationId, limit],
    );
    return rows.map(toRun);
  }

  /** Runs of every destination (or of one refresh run), newest first; `before` is an id. */
  async listAll(
    filter: { refreshRunId?: string },
    limit: number,
    before?: string,
  ): Promise<ExportRun[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.refreshRunId !== undefined) {
      where.push('refresh_run_id = ?');
      params.push(filter.refreshRunId);
    }
    if (before !== undefined) {
      where.push('id < ?');
      params.push(before);
    }
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM export_run ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT ?`,
      [...params, limit],
    );
    return rows.map(toRun);
  }

  /** The last run of each of these destinations. */
  async latest(destinationIds: string[]): Promise<Map<string, ExportRun>> {
    const out = new Map<string, ExportRun>();
    if (destinationIds.length === 0) return out;
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM export_run r WHERE r.destination_id IN (${destinationIds.map(() => '?').join(', ')})
       AND r.id = (SELECT MAX(x.id) FROM export_run x WHERE x.destination_id = r.destination_id)`,
      destinationIds,
    );
    for (const row of rows) out.set(row.destination_id, toRun(row));
    return out;
  }

  /** The status of the destination's last run before `beforeId` that ran (not canceled or skipped). */
  async previousEnded(destinationId: string, beforeId: string): Promise<ExportRunStatus | null> {
    const rows = await this.db.query<{ status: string }>(
      `SELECT status FROM export_run WHERE destination_id = ? AND id < ?
       AND status IN ('succeeded', 'partial', 'failed') ORDER BY id DESC LIMIT 1`,
      [destinationId, beforeId],
    );
    return rows.length > 0 ? (rows[0].status as ExportRunStatus) : null;
  }

  /** queued → running, by its owner. */
  async markRunning(id: string, owner: RunOwner, at: string): Promise<boolean> {
    assertTransition('queued', 'running');
    const [changed] = await this.db.atomic([
      {
        sql: `UPDATE export_run SET status = 'running', started_at = ?, heartbeat_at = ?,
          owner_host = ?, owner_pid = ?, owner_boot = ? WHERE id = ? AND status = 'queued'`,
        params: [at, at, owner.host, owner.pid, owner.bootId, id],
      },
    ]);
    return changed === 1;
  }

  /**
   * The owner's heartbeat, with the live segment figures; answers whether a cancel was asked
   * (by this process or another, e.g. the API while the CLI runs the export).
   */
  async heartbeat(
    id: string,
    owner: RunOwner,
    at: string,
    segments: SegmentResult[],
  ): Promise<boolean> {
    await this.db.query(
      `UPDATE export_run SET heartbeat_at = ?, segments = ? WHERE id = ? AND status = 'running'
       AND owner_host = ? AND owner_pid = ? AND owner_boot = ?`,
      [at, JSON.stringify(segments), id, owner.host, owner.pid, owner.bootId],
    );
    const rows = await this.db.query<{ cancel_requested_at: string | null }>(
      'SELECT cancel_requested_at FROM export_run WHERE id = ?',
      [id],
    );
    return rows.some((r) => r.cancel_requested_at !== null);
  }

  async requestCancel(id: string, at: string): Promise<void> {
    await this.db.query(
      `UPDATE export_run SET cancel_requested_at = ? WHERE id = ? AND cancel_requested_at IS NULL
       AND status IN ('queued', 'running')`,
      [at, id],
    );
  }

  /** Ends a run (`from` → `to`), only if it is still in `from`; answers whether it did. */
  async finish(
    id: string,
    from: ExportRunStatus,
    to: ExportRunStatus,
    values: { at: string; segments?: SegmentResult[]; notes?: string[]; error?: string | null },
  ): Promise<boolean> {
    assertTransition(from, to);
    const sets = ['status = ?', 'finished_at = ?'];
    const params: unknown[] = [to, values.at];
    if (values.segments) {
      sets.push('segments = ?');
      params.push(JSON.stringify(values.segments));
    }
    if (values.notes) {
      sets.push('notes = ?');
      params.push(JSON.stringify(values.notes));
    }
    if (values.error !== undefined) {
      sets.push('error = ?');
      params.push(values.error);
    }
    const [changed] = await this.db.atomic([
      {
        sql: `UPDATE export_run SET ${sets.join(', ')} WHERE id = ? AND status = ?`,
        params: [...params, id, from],
      },
    ]);
    return changed === 1;
  }

  /** Stores the segments of a held run (their approvals); answers whether it did. */
  async saveHeldSegments(id: string, segments: SegmentResult[]): Promise<boolean> {
    const [changed] = await this.db.atomic([
      {
        sql: `UPDATE export_run SET segments = ? WHERE id = ? AND status = 'held'`,
        params: [JSON.stringify(segments), id],
      },
    ]);
    return changed === 1;
  }

  /** Statements removing every run of a destination (when it is deleted). */
  deleteStatements(destinationId: string) {
    return [{ sql: 'DELETE FROM export_run WHERE destination_id = ?', params: [destinationId] }];
  }

  private insert(run: ExportRun, suffix: string) {
    return {
      sql: `INSERT INTO export_run (${COLUMNS}) VALUES (${COLUMNS.split(',')
        .map(() => '?')
        .join(', ')}) ${suffix}`,
      params: [
        run.id,
        run.destinationId,
        run.trigger,
        run.refreshRunId,
        run.status,
        run.fullSync,
        run.approveRemovals,
        JSON.stringify(run.segments),
        JSON.stringify(run.notes),
        run.error,
        run.createdAt,
        run.startedAt,
        run.finishedAt,
        run.owner?.host ?? null,
        run.owner?.pid ?? null,
        run.owner?.bootId ?? null,
        run.heartbeatAt,
        run.cancelRequestedAt,
      ],
    };
  }
}

function toRun(r: Row): ExportRun {
  return {
    id: r.id,
    destinationId: r.destination_id,
    trigger: r.triggered_by as ExportTrigger,
    refreshRunId: r.refresh_run_id,
    status: r.status as ExportRunStatus,
    fullSync: r.full_sync === true || r.full_sync === 1,
    approveRemovals: r.approve_removals === true || r.approve_removals === 1,
    segments: JSON.parse(r.segments) as SegmentResult[],
    notes: JSON.parse(r.notes) as string[],
    error: r.error,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    cancelRequestedAt: r.cancel_requested_at,
    owner:
      r.owner_host && r.owner_pid !== null && r.owner_boot
        ? { host: r.owner_host, pid: Number(r.owner_pid), bootId: r.owner_boot }
        : null,
    heartbeatAt: r.heartbeat_at,
  };
}
