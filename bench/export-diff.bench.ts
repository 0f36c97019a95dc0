import type { MemberOutcome } from '@audience-sync/exporter-contract';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AsyncLock } from '@platform/database/async-lock';
import { dataSourceOptions } from '@platform/database/data-source-options';
import { Db } from '@platform/database/db.service';
import { serializeSqliteAccess } from '@platform/database/sqlite-serial';
import { CheckpointStore } from '@stages/destinations/checkpoint-store';
import { MemberKeySql } from '@stages/destinations/member-keys';
import { SegmentJob } from '@stages/destinations/segment-job';
import type { BenchOptions } from './index';
import { PeakRss, printTable, timed } from './support/measure';

/**
 * `npm run bench -- export-diff [--members 1000000] [--churn 0.01] [--batch 1000]`
 *
 * The core's side of an export, without any target: the set-based diff of a segment against
 * its checkpoint and the checkpoint writes as batches land (every change recorded as exported
 * at once, as by an infinitely fast destination). Runs a first export, an export after churn
 * (members out and in), and an unchanged re-export, on SQLite (default) or PostgreSQL
 * (DATABASE_URL). Baseline in the same run: one INSERT … SELECT copying the members' keys into
 * a keyed table, the least any set-based diff must do.
 */
export const bench = {
  describe: 'export diff and checkpoint writes of one segment (core only, no target)',
  run: async (options: BenchOptions) => {
    const members = numberOption(options, 'members', 1_000_000);
    const churn = numberOption(options, 'churn', 0.01);
    const batch = numberOption(options, 'batch', 1000);
    const store = await openStore();
    const rss = new PeakRss();
    try {
      const { db } = store;
      console.log(
        `store: ${db.kind}; members: ${members.toLocaleString('en-US')}; batch: ${batch}`,
      );
      await seed(db, members);
      const checkpoints = new CheckpointStore(db);
      const keys = new MemberKeySql(db.dialect, 'contactId');
      const rows: Record<string, string | number>[] = [];

      const run = async (label: string) => {
        rss.reset();
        const target = await checkpoints.target('bench-destination', SEGMENT);
        const counted = await timed(() => checkpoints.counts(keys, SEGMENT));
        const job = new SegmentJob({
          db,
          store: checkpoints,
          destination: { id: 'bench-destination', displayName: 'bench', config: {} },
          segment: { id: SEGMENT, name: 'bench', description: null },
          syncMode: 'mirror',
          fullSync: false,
          signal: new AbortController().signal,
          keys,
          target,
          counts: counted.result,
          log: console,
        });
        const prepared = await timed(() => job.prepare());
        const applied = await timed(async () => {
          for await (const change of job.changes({ batchSize: batch })) {
            const outcomes: MemberOutcome[] = [
              ...change.add.map((key) => ({ key, outcome: 'exported' as const })),
              ...change.remove.map((key) => ({ key, outcome: 'removed' as const })),
            ];
            await job.record(outcomes);
          }
        });
        rows.push({
          export: label,
          'adds / removes': `${job.planned.adds} / ${job.planned.removes}`,
          'count s': counted.seconds,
          'diff s': prepared.seconds,
          'page + record s': applied.seconds,
          'total s': counted.seconds + prepared.seconds + applied.seconds,
          'peak RSS MB': rss.peakMb,
        });
      };

      await run('first');
      const out = Math.round(members * churn);
      await timed(() => churnMembers(db, members, out));
      await run(`after churn (${out} out, ${out} in)`);
      await run('unchanged');

      const baseline = await timed(() =>
        db.atomic([
          { sql: 'DELETE FROM export_pending WHERE target_id = -1' },
          {
            sql: `INSERT INTO export_pending (target_id, op, member_key) SELECT -1, 1, d.k FROM (${keys.desired}) d`,
            params: [SEGMENT],
          },
        ]),
      );
      await db.query('DELETE FROM export_pending WHERE target_id = -1');
      rows.push({
        export: 'baseline: copy the keys (one INSERT … SELECT)',
        'adds / removes': `${baseline.result[1]} / 0`,
        'count s': 0,
        'diff s': baseline.seconds,
        'page + record s': 0,
        'total s': baseline.seconds,
        'peak RSS MB': rss.peakMb,
      });
      printTable(`export-diff, ${db.kind}, ${members.toLocaleString('en-US')} members`, rows);
    } finally {
      rss.stop();
      await store.close();
    }
  },
};

const SEGMENT = 'bench-segment';

function numberOption(options: BenchOptions, name: string, fallback: number): number {
  const value = options[name];
  const n = typeof value === 'string' ? Number(value) : fallback;
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

function contact(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

function customer(i: number): string {
  return `c-${i.toString().padStart(9, '0')}`;
}

async function seed(db: Db, members: number): Promise<void> {
  const { seconds } = await timed(async () => {
    const chunk = 20_000;
    for (let from = 0; from < members + members; from += chunk) {
      const rows: unknown[][] = [];
      for (let i = from; i < Math.min(from + chunk, members * 2); i++) {
        rows.push([
          customer(i),
          JSON.stringify({ contactId: contact(i), email: `p${i}@example.test` }),
          1,
        ]);
      }
      await db.atomic(
        db.insertRows('customer', ['customer_id', 'fields', 'record_count'], rows, {
          casts: { fields: db.dialect.jsonParam() },
        }),
      );
    }
    await db.query(
      `INSERT INTO segment (id, name, name_key, active, rule, evaluated_at) VALUES (?, 'bench', 'bench', ?, '{"all":[]}', ?)`,
      [SEGMENT, true, new Date().toISOString()],
    );
    for (let from = 0; from < members; from += chunk) {
      const rows: unknown[][] = [];
      for (let i = from; i < Math.min(from + chunk, members); i++)
        rows.push([SEGMENT, customer(i)]);
      await db.atomic(db.insertRows('segment_member', ['segment_id', 'customer_id'], rows));
    }
    if (db.kind === 'postgres') await db.query('ANALYZE');
  });
  console.log(
    `seeded ${(members * 2).toLocaleString('en-US')} customers, ${members.toLocaleString('en-US')} members in ${seconds.toFixed(1)} s`,
  );
}

/** `out` members leave (the first ones) and `out` customers join (beyond the first members). */
async function churnMembers(db: Db, members: number, out: number): Promise<void> {
  const leaving: unknown[] = [];
  const joining: unknown[][] = [];
  for (let i = 0; i < out; i++) {
    leaving.push(customer(i));
    joining.push([SEGMENT, customer(members + i)]);
  }
  const statements = [];
  for (let i = 0; i < leaving.length; i += 1000) {
    const part = leaving.slice(i, i + 1000);
    statements.push({
      sql: `DELETE FROM segment_member WHERE segment_id = ? AND customer_id IN (${part.map(() => '?').join(', ')})`,
      params: [SEGMENT, ...part],
    });
  }
  statements.push(...db.insertRows('segment_member', ['segment_id', 'customer_id'], joining));
  await db.atomic(statements);
}

async function openStore(): Promise<{ db: Db; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'audience-sync-bench-'));
  const base = process.env.DATABASE_URL;
  let url: string | undefined;
  const name = `as_bench_${Date.now()}`;
  if (base) {
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const lock = new AsyncLock();
  const dataSource = new DataSource(dataSourceOptions({ DATA_DIR: dir, DATABASE_URL: url }));
  if (!url) serializeSqliteAccess(dataSource, lock);
  await dataSource.initialize();
  return {
    db: new Db(dataSource, lock),
    close: async () => {
      await dataSource.destroy();
      if (base) {
        const admin = new Client({ connectionString: base });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
