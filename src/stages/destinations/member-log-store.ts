import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { Db, type Statement } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { LogReason } from './member-log-codes';
import { MemberLogWriter, settleStatements } from './member-log-writer';
import type { MemberKeySql } from './member-keys';

const DAY_MS = 86_400_000;
/** Logs deleted per statement by the retention (keeps each transaction short). */
const PURGE_LOGS_PER_STATEMENT = 50;

/**
 * The per-member log of export runs (`export_log`, `export_member_log`, `export_log_detail`):
 * opens one log per (run, segment), hands out its writer, keeps it for
 * `MEMBER_LOG_RETENTION_DAYS` (0: no log is kept).
 */
@Injectable()
export class MemberLogStore {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly db: Db,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get enabled(): boolean {
    return this.config.MEMBER_LOG_RETENTION_DAYS > 0;
  }

  /** The writer of a segment's log in a run (the same log when asked again); none when off. */
  async open(o: {
    runId: string;
    destinationId: string;
    segmentId: string;
    targetId: number;
    keys: MemberKeySql;
  }): Promise<MemberLogWriter | undefined> {
    if (!this.enabled) return undefined;
    await this.db.query(
      `INSERT INTO export_log (run_id, destination_id, segment_id, key_field, created_at)
       VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, segment_id) DO NOTHING`,
      [o.runId, o.destinationId, o.segmentId, o.keys.keyField, this.clock.iso()],
    );
    const [row] = await this.db.query<{ id: number | string }>(
      'SELECT id FROM export_log WHERE run_id = ? AND segment_id = ?',
      [o.runId, o.segmentId],
    );
    return new MemberLogWriter(this.db, Number(row.id), o.targetId, o.keys, o.segmentId);
  }

  /** A run whose process died: its planned changes were not made. */
  async settleRun(runId: string): Promise<void> {
    const logs = await this.db.query<{ id: number | string; target_id: number | string | null }>(
      `SELECT l.id, t.id AS target_id FROM export_log l
       LEFT JOIN export_target t ON t.destination_id = l.destination_id AND t.segment_id = l.segment_id
       WHERE l.run_id = ? AND l.settled = 0`,
      [runId],
    );
    for (const log of logs) {
      await this.db.atomic(
        settleStatements(Number(log.id), Number(log.target_id ?? -1), LogReason.NOT_APPLIED),
      );
    }
  }

  /** Deletes the logs older than the retention (all of them when the log is off). */
  async purge(): Promise<number> {
    const days = this.config.MEMBER_LOG_RETENTION_DAYS;
    const before = new Date(this.clock.now().getTime() - days * DAY_MS).toISOString();
    let deleted = 0;
    for (;;) {
      const rows = await this.db.query<{ id: number | string }>(
        'SELECT id FROM export_log WHERE created_at < ? ORDER BY id LIMIT ?',
        [before, PURGE_LOGS_PER_STATEMENT],
      );
      if (rows.length === 0) break;
      const ids = rows.map((r) => Number(r.id));
      const marks = ids.map(() => '?').join(', ');
      await this.db.atomic([
        { sql: `DELETE FROM export_member_log WHERE log_id IN (${marks})`, params: ids },
        { sql: `DELETE FROM export_log_detail WHERE log_id IN (${marks})`, params: ids },
        { sql: `DELETE FROM export_log WHERE id IN (${marks})`, params: ids },
      ]);
      deleted += ids.length;
    }
    if (deleted > 0)
      this.logger.log(`Deleted ${deleted} member log(s) past the retention (${days} days).`);
    return deleted;
  }

  /** Statements removing every log of a destination (when it is deleted). */
  dropDestinationStatements(destinationId: string): Statement[] {
    const logs = 'SELECT id FROM export_log WHERE destination_id = ?';
    return [
      {
        sql: `DELETE FROM export_member_log WHERE log_id IN (${logs})`,
        params: [destinationId],
      },
      {
        sql: `DELETE FROM export_log_detail WHERE log_id IN (${logs})`,
        params: [destinationId],
      },
      { sql: 'DELETE FROM export_log WHERE destination_id = ?', params: [destinationId] },
    ];
  }
}
