import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/** `user_session`: people signed in to the admin UI (id hashed; times in epoch ms). */
export class UserSessions1766400000000 implements MigrationInterface {
  name = 'UserSessions1766400000000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    await runner.query(`CREATE TABLE user_session (
      id_hash varchar(64) PRIMARY KEY,
      oid varchar(64) NOT NULL,
      name varchar(256) NOT NULL,
      username varchar(256) NOT NULL,
      role varchar(20) NOT NULL,
      csrf_token varchar(64) NOT NULL,
      created_at ${t.bigint} NOT NULL,
      last_seen_at ${t.bigint} NOT NULL
    )`);
    await runner.query('CREATE INDEX user_session_last_seen ON user_session (last_seen_at)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE user_session');
  }
}
