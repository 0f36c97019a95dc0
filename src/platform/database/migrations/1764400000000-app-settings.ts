import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/** Key/value settings of the instance (the admin token's hash, the schedule, …). */
export class AppSettings1764400000000 implements MigrationInterface {
  name = 'AppSettings1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`CREATE TABLE app_setting (
      key varchar(100) PRIMARY KEY,
      value text NOT NULL,
      updated_at ${t.timestamp} NOT NULL DEFAULT ${t.now}
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE app_setting');
  }
}
