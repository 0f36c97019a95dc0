import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * `run_lock`: one row per "one run at a time" lock that is held (`source:<id>`, `unification`,
 * `refresh`), naming its holder; `token` fences the holder's writes. On SQLite the row is the
 * lock (`expires_at`, epoch ms, pushed forward by a heartbeat); on PostgreSQL a session-level
 * advisory lock is, and the row only describes it. Replaces the ingest lease columns of
 * `source` and the unification lease row of `app_setting`.
 */
export class RunLock1765000300000 implements MigrationInterface {
  name = 'RunLock1765000300000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`CREATE TABLE run_lock (
      name varchar(200) PRIMARY KEY,
      token varchar(36) NOT NULL,
      owner varchar(200) NOT NULL,
      host varchar(255) NOT NULL,
      pid integer NOT NULL,
      boot_id varchar(36) NOT NULL,
      acquired_at varchar(30) NOT NULL,
      expires_at ${t.bigint} NOT NULL
    )`);
    await runner.query('ALTER TABLE source DROP COLUMN ingest_lease_until');
    await runner.query('ALTER TABLE source DROP COLUMN ingest_token');
    await runner.query("DELETE FROM app_setting WHERE key = 'unification.lease'");
  }

  async down(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query('ALTER TABLE source ADD COLUMN ingest_token varchar(36)');
    await runner.query(`ALTER TABLE source ADD COLUMN ingest_lease_until ${t.bigint}`);
    await runner.query('DROP TABLE run_lock');
  }
}
