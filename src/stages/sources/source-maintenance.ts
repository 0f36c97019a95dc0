import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import { RunLocks } from '@platform/locks/run-locks';
import { RecordWriter } from './record-writer';
import { claimIngest, type IngestLease } from './source-types';

/**
 * Start-up clean-up after ingests that a killed process left half-done: rows of generations
 * that never became current (or were replaced), staged changes, and records of deleted
 * sources. Nobody reads any of these; removing them only gives the space back. A source whose
 * ingest lock is held (another process ingesting) is left to its next ingest, which cleans up
 * the same way before it starts.
 */
@Injectable()
export class SourceMaintenance implements OnApplicationBootstrap {
  private readonly logger = new Logger('Sources');

  constructor(
    private readonly db: Db,
    private readonly writer: RecordWriter,
    private readonly locks: RunLocks,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.cleanUp();
    } catch (error) {
      this.logger.warn(`start-up clean-up of source records failed: ${String(error)}`);
    }
  }

  async cleanUp(): Promise<void> {
    const sources = await this.db.query<{ id: string; name: string }>(
      'SELECT id, name FROM source',
    );
    for (const source of sources) {
      if (!(await this.writer.hasLeftovers(source.id))) continue;
      let lease: IngestLease;
      try {
        lease = await claimIngest(this.locks, source);
      } catch {
        continue;
      }
      try {
        await this.writer.removeLeftovers(source.id);
        this.logger.log(`source "${source.name}": removed the records of an interrupted ingest`);
      } finally {
        await lease.lock.release();
      }
    }
    const known = new Set(sources.map((s) => s.id));
    for (const table of ['source_record', 'source_record_change']) {
      for (const id of await this.sourceIds(table)) {
        if (known.has(id)) continue;
        await this.writer.deleteAll(id);
        this.logger.log(`removed the records of deleted source ${id}`);
      }
    }
  }

  /** Distinct source IDs of a table, by skipping along its primary-key index. */
  private async sourceIds(table: string): Promise<string[]> {
    const ids: string[] = [];
    let after = '';
    for (;;) {
      const rows = await this.db.query<{ source_id: string }>(
        `SELECT source_id FROM ${table} WHERE source_id > ? ORDER BY source_id LIMIT 1`,
        [after],
      );
      const next = rows.at(0);
      if (!next) return ids;
      ids.push(next.source_id);
      after = next.source_id;
    }
  }
}
