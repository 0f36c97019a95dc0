import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * Ingestion bookkeeping:
 * - `source.ingest_token` / `ingest_lease_until` (epoch ms): the lease of the ingest running on
 *   a source. One ingest per source at a time, across processes (the API and the CLI); a lease
 *   left by a killed process expires, and the next ingest cleans up after it.
 * - `source_record_change`: changes of an incremental ingest (Dataverse change tracking),
 *   staged here and applied to the current generation in one transaction.
 */
export class SourceIngest1764400200000 implements MigrationInterface {
  name = 'SourceIngest1764400200000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query('ALTER TABLE source ADD COLUMN ingest_token varchar(36)');
    await runner.query(`ALTER TABLE source ADD COLUMN ingest_lease_until ${t.bigint}`);
    // op: 'u' upsert (fields, raw, last_modified hold the new record), 'd' delete.
    await runner.query(`CREATE TABLE source_record_change (
      source_id varchar(36) NOT NULL,
      record_key text NOT NULL,
      op varchar(1) NOT NULL,
      fields ${t.json} NOT NULL,
      raw ${t.json} NOT NULL,
      last_modified text,
      PRIMARY KEY (source_id, record_key)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE source_record_change');
    await runner.query('ALTER TABLE source DROP COLUMN ingest_lease_until');
    await runner.query('ALTER TABLE source DROP COLUMN ingest_token');
  }
}
