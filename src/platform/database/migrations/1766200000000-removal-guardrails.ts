import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * Removal guardrails (issue 16): `destination.removal_limit` (simple-json; null means the
 * default limit, which is on) and `export_run.approve_removals` (the run was allowed to remove
 * past the limit: started with `approveRemovals: true` or by approving a held run).
 */
export class RemovalGuardrails1766200000000 implements MigrationInterface {
  name = 'RemovalGuardrails1766200000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`ALTER TABLE destination ADD COLUMN removal_limit ${t.simpleJson}`);
    await runner.query(
      `ALTER TABLE export_run ADD COLUMN approve_removals ${t.bool} NOT NULL DEFAULT false`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE export_run DROP COLUMN approve_removals');
    await runner.query('ALTER TABLE destination DROP COLUMN removal_limit');
  }
}
