import type { MigrationInterface, QueryRunner } from 'typeorm';
import { columnTypes } from '../migration-types';

/**
 * Unification as set-based work in the engine (src/stages/unification/README.md):
 * - `unify_record`: the records as the last unification saw them (a copy, so a run works from a
 *   stable snapshot while sources are re-ingested, and finds changed records by comparing), each
 *   with a record number. Flags live in small tables of record numbers, so setting and clearing
 *   them never rewrites a record row: `unify_pending` (new or changed since the last completed
 *   run; `dirty` 1 fields, 2 only the last-modified value), `unify_unkeyed` (match keys to
 *   compute), `unify_credit` (the rule credited with joining the record, for the figures).
 * - `record_match_key`: each record's normalized key per rule (fuzzy rules: the blocking key and
 *   the normalized fuzzy values), computed once per version of the record.
 * - `unify_gone`: records that left since the last completed run (their identities go then).
 * - `unify_source`: what each source looked like at the last snapshot (skip unchanged sources).
 * - `unify_work_*`: scratch tables of one run, emptied at its start (unlogged on PostgreSQL).
 */
export class UnificationState1765000200000 implements MigrationInterface {
  name = 'UnificationState1765000200000';

  async up(runner: QueryRunner): Promise<void> {
    const t = columnTypes(runner);
    const scratch = t.pg ? 'CREATE UNLOGGED TABLE' : 'CREATE TABLE';
    await runner.query(`CREATE TABLE unify_record (
      rec_no integer PRIMARY KEY,
      source_id varchar(36) NOT NULL,
      record_key text NOT NULL,
      fields ${t.json} NOT NULL,
      last_modified text
    )`);
    await runner.query(
      'CREATE UNIQUE INDEX ux_unify_record_identity ON unify_record (source_id, record_key)',
    );
    await runner.query(
      'CREATE TABLE unify_pending (rec_no integer PRIMARY KEY, dirty smallint NOT NULL)',
    );
    await runner.query('CREATE TABLE unify_unkeyed (rec_no integer PRIMARY KEY)');
    await runner.query(
      'CREATE TABLE unify_credit (rec_no integer PRIMARY KEY, rule integer NOT NULL)',
    );
    await runner.query(`CREATE TABLE record_match_key (
      rec_no integer NOT NULL,
      rule integer NOT NULL,
      key text NOT NULL,
      fuzzy text,
      PRIMARY KEY (rec_no, rule)
    )${t.pg ? '' : ' WITHOUT ROWID'}`);
    await runner.query('CREATE INDEX ix_record_match_key_key ON record_match_key (rule, key)');
    await runner.query(`CREATE TABLE unify_gone (
      source_id varchar(36) NOT NULL,
      record_key text NOT NULL,
      customer_id varchar(36)
    )`);
    await runner.query(`CREATE TABLE unify_source (
      source_id varchar(36) PRIMARY KEY,
      fingerprint text NOT NULL
    )`);
    // Scratch: the records a run recomputes, numbered in identity order (i).
    await runner.query(`${scratch} unify_work_record (
      i integer PRIMARY KEY,
      rec_no integer NOT NULL,
      source_rank integer NOT NULL,
      old_customer varchar(36)
    )`);
    await runner.query('CREATE INDEX ix_unify_work_record_rec ON unify_work_record (rec_no)');
    await runner.query(
      `${scratch} unify_work_changed (rec_no integer PRIMARY KEY, dirty smallint NOT NULL)`,
    );
    await runner.query(`${scratch} unify_work_touched (customer_id varchar(36) PRIMARY KEY)`);
    await runner.query(`${scratch} unify_work_edge (a integer PRIMARY KEY, b integer NOT NULL)`);
    await runner.query(`${scratch} unify_work_block (
      seq integer PRIMARY KEY,
      key text NOT NULL,
      i integer NOT NULL,
      source_rank integer NOT NULL,
      fuzzy text NOT NULL
    )`);
    await runner.query(`${scratch} unify_work_member (
      i integer PRIMARY KEY,
      cluster integer NOT NULL,
      merge_rule integer
    )`);
    await runner.query(
      'CREATE INDEX ix_unify_work_member_cluster ON unify_work_member (cluster, i)',
    );
    await runner.query(`${scratch} unify_work_cluster (
      cluster integer PRIMARY KEY,
      size integer NOT NULL,
      keeper varchar(36),
      customer_id varchar(36),
      changed smallint NOT NULL DEFAULT 0
    )`);
    await runner.query(`${scratch} unify_work_pair (
      customer_id varchar(36) NOT NULL,
      cluster integer NOT NULL,
      overlap integer NOT NULL,
      PRIMARY KEY (customer_id, cluster)
    )`);
    // fate: K kept (lives on as `cluster`), M merged into `cluster`, D deleted.
    await runner.query(`${scratch} unify_work_old (
      customer_id varchar(36) PRIMARY KEY,
      created_at ${t.timestamp} NOT NULL,
      home integer,
      fate varchar(1),
      cluster integer
    )`);
    await runner.query(`${scratch} unify_work_fields (
      cluster integer PRIMARY KEY,
      fields ${t.json} NOT NULL
    )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'unify_work_fields',
      'unify_work_old',
      'unify_work_pair',
      'unify_work_cluster',
      'unify_work_member',
      'unify_work_block',
      'unify_work_edge',
      'unify_work_touched',
      'unify_work_record',
      'unify_work_changed',
      'unify_credit',
      'unify_unkeyed',
      'unify_pending',
      'unify_source',
      'unify_gone',
      'record_match_key',
      'unify_record',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
