import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * Destinations and their export runs.
 *
 * - `destination`: configuration without its secrets; `secrets` is one SecretBox envelope
 *   holding the secret values by dotted path (never readable without the key).
 * - `export_target`: one row per destination and segment: the plugin's state for that segment
 *   (e.g. the marketing list id) and the owner of the checkpoint rows.
 * - `export_checkpoint`: the member keys the target holds as far as we know (`status` 1), or
 *   that were skipped as not found (2) or invalid (3) and are not offered again.
 * - `export_pending`: the changes of the export in progress (op 1 add, 2 remove; 3 is scratch
 *   space for keys read back from the target), computed set-based from the membership and the
 *   checkpoint and cleared as batches land.
 * - `export_run`: one row per run. A partial unique index keeps one queued or running run per
 *   destination across processes; owner and heartbeat tell a live run from one whose process
 *   died. Times are ISO-8601 UTC text, like the refresh runs.
 *
 * The two hot tables are WITHOUT ROWID on SQLite: the primary key is the table, so each row
 * is stored once.
 */
export class Destinations1764400500000 implements MigrationInterface {
  name = 'Destinations1764400500000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    const withoutRowid = t.pg ? '' : ' WITHOUT ROWID';
    await runner.query(`CREATE TABLE destination (
      id varchar(36) PRIMARY KEY,
      type varchar(64) NOT NULL,
      display_name varchar(200) NOT NULL UNIQUE,
      config ${t.simpleJson} NOT NULL,
      secrets text,
      contact_id_field varchar(64),
      segment_ids ${t.simpleJson} NOT NULL,
      sync_mode varchar(20) NOT NULL,
      enabled ${t.bool} NOT NULL,
      sign_in ${t.simpleJson},
      created_at ${t.timestamp} NOT NULL DEFAULT ${t.now},
      updated_at ${t.timestamp} NOT NULL DEFAULT ${t.now}
    )`);
    await runner.query(`CREATE TABLE export_target (
      id ${t.pg ? 'serial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT'},
      destination_id varchar(36) NOT NULL,
      segment_id varchar(36) NOT NULL,
      state text NOT NULL,
      UNIQUE (destination_id, segment_id)
    )`);
    await runner.query(`CREATE TABLE export_checkpoint (
      target_id integer NOT NULL,
      member_key text NOT NULL,
      status smallint NOT NULL,
      PRIMARY KEY (target_id, member_key)
    )${withoutRowid}`);
    await runner.query(`CREATE TABLE export_pending (
      target_id integer NOT NULL,
      op smallint NOT NULL,
      member_key text NOT NULL,
      PRIMARY KEY (target_id, op, member_key)
    )${withoutRowid}`);
    await runner.query(`CREATE TABLE export_run (
      id varchar(36) PRIMARY KEY,
      destination_id varchar(36) NOT NULL,
      triggered_by varchar(20) NOT NULL,
      refresh_run_id varchar(36),
      status varchar(20) NOT NULL,
      full_sync ${t.bool} NOT NULL,
      segments text NOT NULL,
      notes text NOT NULL,
      error text,
      created_at varchar(30) NOT NULL,
      started_at varchar(30),
      finished_at varchar(30),
      owner_host varchar(255),
      owner_pid integer,
      owner_boot varchar(36),
      heartbeat_at varchar(30),
      cancel_requested_at varchar(30)
    )`);
    await runner.query(
      "CREATE UNIQUE INDEX ux_export_run_active ON export_run (destination_id) WHERE status IN ('queued', 'running')",
    );
    await runner.query('CREATE INDEX ix_export_run_destination ON export_run (destination_id, id)');
    await runner.query('CREATE INDEX ix_export_run_refresh ON export_run (refresh_run_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'export_run',
      'export_pending',
      'export_checkpoint',
      'export_target',
      'destination',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
