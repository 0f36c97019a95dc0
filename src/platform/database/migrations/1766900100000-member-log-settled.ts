import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `export_log.settled`: 1 once the segment's export ended and its changes not made were marked;
 * from then on a planned row stands for a change made (`member-log-codes.ts`), so the export
 * does not write each success a second time. Existing logs were settled row by row: 0 keeps
 * their rows' meaning.
 */
export class MemberLogSettled1766900100000 implements MigrationInterface {
  name = 'MemberLogSettled1766900100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE export_log ADD COLUMN settled smallint NOT NULL DEFAULT 0');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE export_log DROP COLUMN settled');
  }
}
