import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * PostgreSQL: room in each page of `export_member_log` for the one update each row gets (its
 * planned outcome settled), so the update stays on the page without a new index entry (a HOT
 * update) instead of doubling the table and its index. SQLite updates in place: nothing to do.
 */
export class MemberLogFillfactor1766900000000 implements MigrationInterface {
  name = 'MemberLogFillfactor1766900000000';

  async up(runner: QueryRunner): Promise<void> {
    if (runner.dataSource.options.type !== 'postgres') return;
    await runner.query('ALTER TABLE export_member_log SET (fillfactor = 60)');
  }

  async down(runner: QueryRunner): Promise<void> {
    if (runner.dataSource.options.type !== 'postgres') return;
    await runner.query('ALTER TABLE export_member_log RESET (fillfactor)');
  }
}
