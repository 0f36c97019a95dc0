import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap/create-app';
import { loadConfig } from '@platform/config/app-config';
import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { SegmentBodyDto } from '@stages/segments/dto/segment.dto';
import { SegmentsService } from '@stages/segments/segments.service';
import type { RuleNode } from '@stages/segments/rule';
import type { BenchOptions } from './index';
import { benchDatabase } from './support/bench-database';
import { PeakRss, printTable, timed } from './support/measure';

/**
 * `npm run bench -- segments [--customers 1000000] [--changed 0.01]`
 *
 * Times the evaluation of two segments over the unified customers, with the membership diff
 * materialized in `segment_member` (SegmentsService.evaluate, the code the refresh runs):
 * a three-condition segment and a nested ten-condition one, each evaluated first on an empty
 * membership and again after a share of the customers changed. Runs on SQLite (default) or
 * PostgreSQL (DATABASE_URL: a fresh database is created and dropped).
 *
 * Baseline in the same run: the same filter as one hand-written `SELECT COUNT(*)` (plain
 * `lower()` for the case-insensitive comparisons, as one would write it by hand).
 * Customers are seeded directly with multi-row inserts: this measures segments, not ingestion.
 */
export const bench = {
  describe: 'segment evaluation with membership diff over the unified customers',
  run: async (options: BenchOptions) => {
    const customers = numberOption(options, 'customers', 1_000_000);
    const changed = numberOption(options, 'changed', 0.01);
    const store = await openStore();
    const rss = new PeakRss();
    try {
      const db = store.app.get(Db);
      const segments = store.app.get(SegmentsService);
      // Relative dates of the rules and of the baselines use the same "now".
      store.app.get(Clock).now = () => new Date(NOW);
      console.log(`store: ${db.kind}; customers: ${customers.toLocaleString('en-US')}`);
      const seeded = await timed(() => seed(db, customers, 1));
      console.log(`seeded in ${seeded.seconds.toFixed(1)} s`);

      const rows: Record<string, string | number>[] = [];
      const defs = [
        { name: 'three conditions', rule: THREE, baseline: baselineThree(db.kind) },
        { name: 'nested ten conditions', rule: NESTED_TEN, baseline: baselineTen(db.kind) },
      ];
      const ids: string[] = [];
      for (const def of defs) {
        ids.push(
          (
            await segments.create(
              Object.assign(new SegmentBodyDto(), { name: def.name, rule: def.rule }),
            )
          ).id,
        );
      }
      for (const pass of ['first', 'after changes'] as const) {
        if (pass === 'after changes') {
          const n = Math.round(customers * changed);
          const t = await timed(() => seed(db, n, 2, Math.max(1, Math.floor(customers / n))));
          console.log(
            `changed ${n.toLocaleString('en-US')} customers in ${t.seconds.toFixed(1)} s`,
          );
        }
        for (const [i, def] of defs.entries()) {
          const baselineCpu = process.cpuUsage();
          const baseline = await timed(() =>
            db.query<{ n: number | string }>(def.baseline.sql, def.baseline.params),
          );
          const baselineCpuS = cpuSeconds(baselineCpu);
          rss.reset();
          const evaluateCpu = process.cpuUsage();
          const evaluated = await timed(() => segments.evaluate(ids[i]));
          const evaluateCpuS = cpuSeconds(evaluateCpu);
          const m = evaluated.result.membership;
          rows.push({
            segment: def.name,
            evaluation: pass,
            members: m.size,
            'baseline count': Number(baseline.result[0].n),
            added: m.added,
            removed: m.removed,
            'evaluate s': evaluated.seconds,
            'baseline s': baseline.seconds,
            ratio: evaluated.seconds / baseline.seconds,
            // SQLite works on this thread: CPU time shows the cost apart from other load.
            ...(db.kind === 'sqlite'
              ? { 'evaluate cpu s': evaluateCpuS, 'baseline cpu s': baselineCpuS }
              : {}),
            'peak RSS MB': rss.peakMb,
          });
          if (m.size !== Number(baseline.result[0].n)) {
            throw new Error(
              `${def.name}: ${m.size} members but the baseline counts ${String(baseline.result[0].n)}`,
            );
          }
        }
      }
      printTable(`segments, ${db.kind}, ${customers.toLocaleString('en-US')} customers`, rows);
    } finally {
      rss.stop();
      await store.close();
    }
  },
};

const NOW = Date.now();
const DAY = 86_400_000;

const THREE: RuleNode = {
  all: [
    { field: 'country', op: 'in', value: ['de', 'at', 'ch'] },
    { field: 'lifetimeValue', op: 'gte', value: 250 },
    { field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 180, unit: 'days' } },
  ],
};

const NESTED_TEN: RuleNode = {
  any: [
    {
      all: [
        { field: 'country', op: 'eq', value: 'DE' },
        { field: 'orderCount', op: 'gte', value: 5 },
        { field: 'newsletter', op: 'eq', value: true },
      ],
    },
    {
      all: [
        { field: 'city', op: 'startsWith', value: 'city1' },
        { field: 'lifetimeValue', op: 'between', value: [100, 900] },
        {
          any: [
            { field: 'email', op: 'endsWith', value: '@example.com' },
            { field: 'lastName', op: 'in', value: ['last7', 'last42', 'last99'] },
          ],
        },
      ],
    },
    {
      all: [
        { field: 'signupAt', op: 'olderThan', value: { amount: 2, unit: 'months' } },
        { field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 30, unit: 'days' } },
        { field: 'firstName', op: 'isNotEmpty' },
      ],
    },
  ],
};

/** The same filters written by hand, as one plain COUNT(*). */
function baselineThree(kind: 'sqlite' | 'postgres') {
  const f = fieldOf(kind);
  return {
    sql: `SELECT COUNT(*) AS n FROM customer WHERE lower(${f.text('country')}) IN ('de', 'at', 'ch')
      AND ${f.num('lifetimeValue')} >= 250 AND ${f.text('lastPurchaseAt')} >= ? AND ${f.text('lastPurchaseAt')} <= ?`,
    params: [new Date(NOW - 180 * DAY).toISOString(), new Date(NOW).toISOString()],
  };
}

function baselineTen(kind: 'sqlite' | 'postgres') {
  const f = fieldOf(kind);
  const twoMonthsAgo = new Date(NOW);
  twoMonthsAgo.setUTCMonth(twoMonthsAgo.getUTCMonth() - 2);
  return {
    sql: `SELECT COUNT(*) AS n FROM customer WHERE
      (lower(${f.text('country')}) = 'de' AND ${f.num('orderCount')} >= 5 AND ${f.text('newsletter')} = ${kind === 'sqlite' ? '1' : "'true'"})
      OR (lower(${f.text('city')}) LIKE 'city1%' AND ${f.num('lifetimeValue')} BETWEEN 100 AND 900
          AND (lower(${f.text('email')}) LIKE '%@example.com' OR lower(${f.text('lastName')}) IN ('last7', 'last42', 'last99')))
      OR (${f.text('signupAt')} < ? AND ${f.text('lastPurchaseAt')} >= ? AND ${f.text('lastPurchaseAt')} <= ?
          AND ${f.text('firstName')} IS NOT NULL)`,
    params: [
      twoMonthsAgo.toISOString(),
      new Date(NOW - 30 * DAY).toISOString(),
      new Date(NOW).toISOString(),
    ],
  };
}

function fieldOf(kind: 'sqlite' | 'postgres') {
  return kind === 'sqlite'
    ? {
        text: (k: string) => `json_extract(fields, '$.${k}')`,
        num: (k: string) => `json_extract(fields, '$.${k}')`,
      }
    : {
        text: (k: string) => `(fields ->> '${k}')`,
        num: (k: string) => `(fields ->> '${k}')::double precision`,
      };
}

const COUNTRIES = ['DE', 'AT', 'CH', 'FR', 'NL', 'US', 'GB', 'ES', 'IT', 'PL'];

/**
 * Writes `count` customers (ids c0000000…, every `stride`-th) with values from a small
 * deterministic generator; `variant` 2 gives changed values for the same ids.
 */
async function seed(db: Db, count: number, variant: number, stride = 1): Promise<void> {
  if (variant === 1) {
    const mapping = Object.fromEntries(
      Object.entries(FIELD_TYPES).map(([name, type]) => [name, { column: name, type }]),
    );
    await db.query(
      'INSERT INTO source (id, name, type, primary_key, mapping, options) VALUES (?, ?, ?, ?, ?, ?)',
      [randomUUID(), 'bench', 'csv', 'id', JSON.stringify(mapping), '{}'],
    );
  }
  let state = 0x9e3779b9 ^ variant;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
  const chunk = 10_000;
  for (let start = 0; start < count; start += chunk) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const n = i * stride;
      const fields: Record<string, string | number | boolean> = {
        email: `user${n}@${next() < 0.3 ? 'example.com' : 'mail.test'}`,
        firstName: `First${n % 1000}`,
        lastName: `Last${Math.floor(next() * 120)}`,
        country: COUNTRIES[Math.floor(next() * COUNTRIES.length)],
        city: `City${Math.floor(next() * 300)}`,
        lifetimeValue: Math.round(next() * 100_000) / 100,
        orderCount: Math.floor(next() * 20),
        lastPurchaseAt: new Date(NOW - Math.floor(next() * 720 * DAY)).toISOString(),
        signupAt: new Date(NOW - Math.floor(next() * 1500 * DAY)).toISOString(),
        newsletter: next() < 0.4,
        contactId: `0000${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`,
      };
      if (next() < 0.05) delete fields.firstName;
      rows.push([`c${n.toString().padStart(8, '0')}`, JSON.stringify(fields), 1]);
    }
    await db.atomic(
      db.insertRows('customer', ['customer_id', 'fields', 'record_count'], rows, {
        casts: { fields: db.dialect.jsonParam() },
        suffix: db.dialect.upsertSuffix(['customer_id'], ['fields']),
      }),
    );
  }
  if (db.kind === 'postgres') await db.query('ANALYZE customer');
}

const FIELD_TYPES = {
  email: 'string',
  firstName: 'string',
  lastName: 'string',
  country: 'string',
  city: 'string',
  lifetimeValue: 'number',
  orderCount: 'number',
  lastPurchaseAt: 'date',
  signupAt: 'date',
  newsletter: 'boolean',
  contactId: 'string',
} as const;

async function openStore(): Promise<{ app: INestApplication; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'audience-sync-bench-'));
  const { url, drop } = await benchDatabase();
  const config = loadConfig({
    DATA_DIR: dataDir,
    API_TOKEN: `bench_${randomBytes(16).toString('hex')}`,
    LOG_LEVEL: 'warn',
    ...(url ? { DATABASE_URL: url } : {}),
  });
  const app = await createApp(config);
  await app.init();
  return {
    app,
    close: async () => {
      await app.close();
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

function numberOption(options: BenchOptions, name: string, fallback: number): number {
  let raw = options[name];
  if (raw === undefined) return fallback;
  // bench/index.ts parses without declared options, so `--customers 1000000` arrives as a flag
  // followed by a positional value: take the word after the flag.
  if (raw === true) raw = process.argv[process.argv.indexOf(`--${name}`) + 1];
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}
