import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UnificationRun } from '../src/unification/unification.service';
import type { BenchOptions } from './index';
import { benchDatabase, type BenchDatabase } from './support/bench-database';
import { apiCall, uploadCsv } from './support/bench-http';
import { parseOnly } from './support/parse-only';
import { printTable, rate, timed } from './support/measure';
import { ServerProcess } from './support/server-process';
import { generatePeopleDataset, type DatasetFile } from './support/people-dataset';

/**
 * `npm run bench -- pipeline --rows 1000000 [--keep-dir]`
 *
 * The first half of the pipeline on the people data set (two sources, `crm` and `shop`, about
 * a third of the people in both, with noise), all through the HTTP API of one app:
 * 1. baseline: a parse-only pass over both files with the parser and options ingestion uses;
 * 2. ingest: both files uploaded (`POST /api/sources`, `POST /api/sources/:id/upload`);
 * 3. unify: exact rules (e-mail by mailbox, phone digits), `POST /api/unification/run` on an
 *    empty customer table (every customer and identity is written);
 * 4. unify again over unchanged data (reads and matches everything, writes nothing);
 * 5. the baseline again (the machine's load varies; the mean of both is the baseline).
 * Prints rows/s and the app's peak RSS of each step (the app runs as a server process of its
 * own, see support/server-process.ts), and how close the customers come to the data set's
 * truth. Targets (issue 2, SQLite): ingest ≥ 100,000 rows/s and ≥ 0.5 × baseline; exact-rule
 * unification of 1,000,000 records ≤ 15 s; peak RSS ≤ 1 GB. DATABASE_URL runs it on PostgreSQL
 * (in a database of its own on that server, dropped at the end).
 */
export const bench = {
  describe: 'ingest (HTTP upload) and unification of the people data set, beside a parse-only pass',
  run,
};

const EXACT_RULES = {
  rules: [
    {
      name: 'email',
      conditions: [{ field: 'email', normalizers: ['emailMailbox'], match: 'exact' }],
    },
    {
      name: 'phone',
      conditions: [{ field: 'phone', normalizers: ['digitsOnly'], match: 'exact' }],
    },
  ],
  dedupeWithinSource: true,
  merge: {
    default: 'mostRecent',
    groups: [{ name: 'address', fields: ['street', 'city', 'postalCode'] }],
  },
};

async function run(options: BenchOptions): Promise<void> {
  const rows = numberOption(options, 'rows', 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'audience-sync-bench-pipeline-'));
  const load = () => loadavg()[0].toFixed(1);
  let database: BenchDatabase | undefined;
  let server: ServerProcess | undefined;
  try {
    const generated = await timed(() => generatePeopleDataset({ rows, dir: join(dir, 'data') }));
    const { files, truth } = generated.result;
    console.log(
      `generated ${rows.toLocaleString('en-US')} rows (${files.map((f) => `${f.source.name} ${f.rows.toLocaleString('en-US')}`).join(', ')}; ${truth.people.toLocaleString('en-US')} people) in ${generated.seconds.toFixed(1)} s; load average ${load()}`,
    );

    const before = await timed(() => parseAll(files));
    check(before.result, rows, 'baseline');

    const store = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
    const token = `bench_${randomBytes(16).toString('hex')}`;
    database = await benchDatabase();
    server = await ServerProcess.start({
      DATA_DIR: join(dir, 'app'),
      API_TOKEN: token,
      LOG_LEVEL: 'warn',
      ...(database.url ? { DATABASE_URL: database.url } : {}),
    });
    const rss = server;
    const { url } = server;
    const api = (method: string, path: string, body?: object) =>
      apiCall(url, token, method, path, body);

    rss.reset();
    const ingest = await timed(async () => {
      let stored = 0;
      for (const file of files) {
        const source = (await api('POST', '/api/sources', file.source)) as { id: string };
        stored += (await uploadCsv(url, token, source.id, file.path)).rowsStored;
      }
      return stored;
    });
    const ingestRss = rss.peakMb;
    check(ingest.result, rows, 'ingest');

    await api('PUT', '/api/unification', EXACT_RULES);
    rss.reset();
    const first = await timed(() => api('POST', '/api/unification/run') as Promise<UnificationRun>);
    const firstRss = rss.peakMb;
    const firstLoad = load();
    rss.reset();
    const second = await timed(
      () => api('POST', '/api/unification/run') as Promise<UnificationRun>,
    );
    const secondRss = rss.peakMb;
    const secondLoad = load();
    await server.stop();

    const after = await timed(() => parseAll(files));
    const baselineSeconds = (before.seconds + after.seconds) / 2;
    const step = (name: string, seconds: number, peak?: number, loadAvg?: string) => ({
      step: name,
      rows,
      seconds: Number(seconds.toFixed(2)),
      'rows/s': rate(rows, seconds),
      'vs baseline': Number((baselineSeconds / seconds).toFixed(2)),
      'peak RSS MB': peak ?? '',
      load: loadAvg ?? '',
    });
    printTable(`pipeline, ${rows.toLocaleString('en-US')} records, ${store}`, [
      step('baseline: parse only (before)', before.seconds),
      step('baseline: parse only (after)', after.seconds),
      step('ingest: upload both files', ingest.seconds, ingestRss),
      step('unify: first run (all written)', first.seconds, firstRss, firstLoad),
      step('unify: again, unchanged data', second.seconds, secondRss, secondLoad),
    ]);
    const phases = (r: UnificationRun) =>
      `read ${r.readMs} ms, match ${r.matchMs} ms, write ${r.writeMs} ms`;
    console.log(`first run:  ${phases(first.result)}; ${JSON.stringify(figures(first.result))}`);
    console.log(`second run: ${phases(second.result)}; ${JSON.stringify(figures(second.result))}`);
    console.log(
      `customers ${first.result.customers?.toLocaleString('en-US')} for ${truth.people.toLocaleString('en-US')} people (records merged ${first.result.recordsMerged?.toLocaleString('en-US')} of ${truth.recordsMerged.toLocaleString('en-US')} possible: exact rules miss the typos and other e-mails)`,
    );
    const ingestRate = rate(rows, ingest.seconds);
    const baseline = rate(rows, baselineSeconds);
    const peak = Math.max(ingestRss, firstRss, secondRss);
    console.log(
      [
        `targets (SQLite): ingest ≥ 100,000 rows/s → ${ingestRate.toLocaleString('en-US')} (${ingestRate >= 100_000 ? 'met' : 'NOT met'})`,
        `ingest ≥ 0.5 × baseline (${baseline.toLocaleString('en-US')} rows/s) → ${(ingestRate / baseline).toFixed(2)} (${ingestRate / baseline >= 0.5 ? 'met' : 'NOT met'})`,
        `exact-rule unification of ${rows.toLocaleString('en-US')} records ≤ 15 s → ${first.seconds.toFixed(1)} s (${first.seconds <= 15 ? 'met' : 'NOT met'}${rows === 1_000_000 ? '' : '; the target is for 1,000,000'})`,
        `peak RSS ≤ 1024 MB → ${peak} MB (${peak <= 1024 ? 'met' : 'NOT met'})`,
      ].join('\n'),
    );
  } finally {
    await server?.stop();
    await database?.drop();
    if (options['keep-dir'] === true) console.log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

function figures(r: UnificationRun): Record<string, number | undefined> {
  return {
    customers: r.customers,
    created: r.customersCreated,
    updated: r.customersUpdated,
    unchanged: r.customersUnchanged,
    identitiesWritten: r.identitiesWritten,
    transactions: r.transactions,
  };
}

/** The baseline: the parser ingestion uses, over both files (see support/parse-only.ts). */
async function parseAll(files: DatasetFile[]): Promise<number> {
  let total = 0;
  for (const file of files) total += await parseOnly(file);
  return total;
}

function check(actual: number, expected: number, what: string): void {
  if (actual !== expected) throw new Error(`${what}: ${actual} rows instead of ${expected}`);
}

function numberOption(options: BenchOptions, name: string, fallback: number): number {
  const raw = options[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2) throw new Error(`--${name} must be an integer ≥ 2`);
  return n;
}
