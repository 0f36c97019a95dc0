import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * Sources and their records (ingestion), unified customers with their identities and previous
 * IDs (unification). Record and customer tables are hot-path tables: written and read with
 * set-based SQL, their `fields` are JSON in the canonical form of `customer-field.ts`.
 */
export class SourcesAndCustomers1764400100000 implements MigrationInterface {
  name = 'SourcesAndCustomers1764400100000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`CREATE TABLE source (
      id varchar(36) PRIMARY KEY,
      name varchar(200) NOT NULL UNIQUE,
      type varchar(20) NOT NULL,
      primary_key varchar(200) NOT NULL,
      mapping ${t.simpleJson} NOT NULL,
      last_modified_column varchar(200),
      options ${t.simpleJson} NOT NULL,
      secrets text,
      reader_state ${t.simpleJson},
      current_generation integer NOT NULL DEFAULT 0,
      record_count integer NOT NULL DEFAULT 0,
      last_ingest ${t.simpleJson},
      created_at ${t.timestamp} NOT NULL DEFAULT ${t.now},
      updated_at ${t.timestamp} NOT NULL DEFAULT ${t.now}
    )`);
    // One row per record and generation; only source.current_generation is live.
    await runner.query(`CREATE TABLE source_record (
      source_id varchar(36) NOT NULL,
      generation integer NOT NULL,
      record_key text NOT NULL,
      fields ${t.json} NOT NULL,
      raw ${t.json} NOT NULL,
      last_modified text,
      PRIMARY KEY (source_id, generation, record_key)
    )`);
    await runner.query(`CREATE TABLE customer (
      customer_id varchar(36) PRIMARY KEY,
      fields ${t.json} NOT NULL,
      record_count integer NOT NULL,
      created_at ${t.timestamp} NOT NULL DEFAULT ${t.now},
      updated_at ${t.timestamp} NOT NULL DEFAULT ${t.now}
    )`);
    // Which source record belongs to which customer (the customer's identities).
    await runner.query(`CREATE TABLE customer_identity (
      source_id varchar(36) NOT NULL,
      record_key text NOT NULL,
      customer_id varchar(36) NOT NULL,
      PRIMARY KEY (source_id, record_key)
    )`);
    await runner.query(
      'CREATE INDEX ix_customer_identity_customer ON customer_identity (customer_id)',
    );
    // IDs retired by merges: a previous ID still finds the customer that absorbed it.
    await runner.query(`CREATE TABLE customer_alias (
      previous_id varchar(36) PRIMARY KEY,
      customer_id varchar(36) NOT NULL,
      merged_at ${t.timestamp} NOT NULL DEFAULT ${t.now}
    )`);
    await runner.query('CREATE INDEX ix_customer_alias_customer ON customer_alias (customer_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'customer_alias',
      'customer_identity',
      'customer',
      'source_record',
      'source',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
