import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Named API tokens and the audit log.
 *
 * - `api_token`: one row per token that works; revoking deletes it. Only the SHA-256 of the
 *   token is kept (`token_hash`, unique: the bearer guard finds a token by it). Times are
 *   ISO-8601 UTC text, like the runs, so they compare as text.
 * - `audit_entry`: append-only; `id` orders it (keyset paging newest first), `at` is what
 *   retention purges by. `before_json` / `after_json` hold the entity with secrets redacted.
 */
export class ApiTokensAndAudit1766500000000 implements MigrationInterface {
  name = 'ApiTokensAndAudit1766500000000';

  async up(runner: QueryRunner): Promise<void> {
    const pg = runner.dataSource.options.type === 'postgres';
    await runner.query(`CREATE TABLE api_token (
      id varchar(36) PRIMARY KEY,
      name varchar(100) NOT NULL UNIQUE,
      role varchar(20) NOT NULL,
      token_hash varchar(64) NOT NULL UNIQUE,
      created_at varchar(30) NOT NULL,
      expires_at varchar(30),
      last_used_at varchar(30)
    )`);
    await runner.query(`CREATE TABLE audit_entry (
      id ${pg ? 'bigserial PRIMARY KEY' : 'integer PRIMARY KEY AUTOINCREMENT'},
      at varchar(30) NOT NULL,
      actor_kind varchar(20),
      actor_id varchar(200),
      actor_name varchar(200),
      action varchar(60) NOT NULL,
      entity varchar(60) NOT NULL,
      entity_id varchar(200),
      before_json text,
      after_json text,
      ip varchar(64)
    )`);
    await runner.query('CREATE INDEX ix_audit_entry_actor ON audit_entry (actor_id, id)');
    await runner.query('CREATE INDEX ix_audit_entry_entity ON audit_entry (entity, id)');
    await runner.query('CREATE INDEX ix_audit_entry_at ON audit_entry (at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE audit_entry');
    await runner.query('DROP TABLE api_token');
  }
}
