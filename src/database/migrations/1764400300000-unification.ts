import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Unification: a hash of each customer's fields JSON, so a run finds the customers whose merged
 * fields did not change without reading them back (and writes nothing for them). NULL (e.g. a
 * row written by something else) simply counts as changed.
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
