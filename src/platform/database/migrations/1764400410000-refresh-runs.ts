import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Refresh runs. `active_slot` is `'refresh'` while a run is queued or running and NULL
 * otherwise; its UNIQUE constraint is what keeps one refresh at a time across processes (the API
 * server and the CLI): starting a run is a conditional insert that fails while the slot is taken.
 * The owner (host, pid, boot id) and heartbeat let a later process tell a live run from one
 * whose process died. Times are ISO-8601 UTC text.
 */
export class RefreshRuns1764400410000 implements MigrationInterface {
  name = 'RefreshRuns1764400410000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE refresh_run (
      id varchar(36) PRIMARY KEY,
      triggered_by varchar(20) NOT NULL,
      status varchar(20) NOT NULL,
      active_slot varchar(20) UNIQUE,
      stages text NOT NULL,
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
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE refresh_run');
  }
}
