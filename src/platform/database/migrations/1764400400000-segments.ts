import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * Segments and their materialized membership.
 *
 * - `segment`: the configuration (rule as JSON) and the figures of its last evaluation. Times
 *   written by the evaluation are ISO-8601 UTC text, so raw SQL and the entity read them alike.
 * - `segment_member`: one row per (segment, customer); a plain table that exports join against.
 *   An evaluation replaces it for its segment in one transaction (INSERT…SELECT / DELETE of the
 *   difference), so readers never see a half-written membership.
 *   (SQLite evaluations collect new members in a TEMP table of the connection, created at run
 *   time; PostgreSQL needs no staging table.)
 */
export class Segments1764400400000 implements MigrationInterface {
  name = 'Segments1764400400000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`CREATE TABLE segment (
      id varchar(36) PRIMARY KEY,
      name varchar(200) NOT NULL,
      name_key varchar(200) NOT NULL UNIQUE,
      description text,
      active ${t.bool} NOT NULL,
      rule ${t.simpleJson} NOT NULL,
      rule_version integer NOT NULL DEFAULT 1,
      size integer NOT NULL DEFAULT 0,
      evaluated_at varchar(30),
      evaluated_rule_version integer,
      last_added integer NOT NULL DEFAULT 0,
      last_removed integer NOT NULL DEFAULT 0,
      last_error text,
      last_error_at varchar(30),
      created_at ${t.timestamp} NOT NULL DEFAULT ${t.now},
      updated_at ${t.timestamp} NOT NULL DEFAULT ${t.now}
    )`);
    await runner.query(`CREATE TABLE segment_member (
      segment_id varchar(36) NOT NULL,
      customer_id varchar(36) NOT NULL,
      PRIMARY KEY (segment_id, customer_id)
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE segment_member');
    await runner.query('DROP TABLE segment');
  }
}
