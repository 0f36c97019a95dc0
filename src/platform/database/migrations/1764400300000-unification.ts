import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unification: a digest of what each customer's fields were merged from (its records and the
 * merge policies; see src/stages/unification/customer-fields.ts), so a run finds the customers that
 * cannot have changed without merging or reading them again, and writes nothing for them.
 * NULL (e.g. a row written by something else) simply counts as changed.
 */
export class Unification1764400300000 implements MigrationInterface {
  name = 'Unification1764400300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE customer ADD COLUMN fields_hash varchar(64)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE customer DROP COLUMN fields_hash');
  }
}
