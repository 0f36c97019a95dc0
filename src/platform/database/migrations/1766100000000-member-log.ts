import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * The per-member log of export runs, and when each segment member joined.
 *
 * - `segment_member.since`: when the customer joined the segment (ISO-8601 UTC, the evaluation
 *   that added it); NULL for members that joined before this column existed.
 * - `export_log`: one row per (export run, segment) whose members were logged; `id` is the
 *   small integer every member row carries instead of the run and segment ids.
 * - `export_member_log`: each member's outcome in that run, as small codes
 *   (`src/stages/destinations/member-log-codes.ts`); `detail` points at a message in
 *   `export_log_detail` (each distinct message is stored once per log). The primary key makes a
 *   row unique per (log, contact id, customer) so a re-prepared or resumed job never
 *   duplicates it; its order serves the writes (by key) and the pages of the API.
 * Old logs are deleted after the retention (`MEMBER_LOG_RETENTION_DAYS`).
 */
export class MemberLog1766100000000 implements MigrationInterface {
  name = 'MemberLog1766100000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    const withoutRowid = t.pg ? '' : ' WITHOUT ROWID';
    await runner.query('ALTER TABLE segment_member ADD COLUMN since varchar(30)');
    await runner.query(`CREATE TABLE export_log (
      id ${t.pg ? 'serial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT'},
      run_id varchar(36) NOT NULL,
      destination_id varchar(36) NOT NULL,
      segment_id varchar(36) NOT NULL,
      key_field varchar(64) NOT NULL,
      created_at varchar(30) NOT NULL,
      UNIQUE (run_id, segment_id)
    )`);
    await runner.query('CREATE INDEX ix_export_log_created ON export_log (created_at)');
    await runner.query(
      'CREATE INDEX ix_export_log_destination ON export_log (destination_id, segment_id, id)',
    );
    await runner.query(`CREATE TABLE export_member_log (
      log_id integer NOT NULL,
      member_key text NOT NULL,
      customer_id varchar(36) NOT NULL,
      outcome smallint NOT NULL,
      reason smallint NOT NULL,
      detail integer,
      PRIMARY KEY (log_id, member_key, customer_id)
    )${withoutRowid}`);
    await runner.query(`CREATE TABLE export_log_detail (
      log_id integer NOT NULL,
      id integer NOT NULL,
      text text NOT NULL,
      PRIMARY KEY (log_id, id)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE export_log_detail');
    await runner.query('DROP TABLE export_member_log');
    await runner.query('DROP TABLE export_log');
    await runner.query('ALTER TABLE segment_member DROP COLUMN since');
  }
}
