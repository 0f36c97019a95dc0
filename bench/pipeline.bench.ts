import { parse } from 'csv-parse';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { UnificationRun } from '@stages/unification/unification.service';
import type { BenchOptions } from './index';
import { benchDatabase, type BenchDatabase } from './support/bench-database';
import { apiCall, uploadCsv } from './support/bench-http';
import { parseOnly } from './support/parse-only';
import { printTable, rate, timed } from './support/measure';
import { ServerProcess, startBenchApp } from './support/server-process';
import { generatePeopleDataset, type DatasetFile } from './support/people-dataset';

/**
 * `npm run bench -- pipeline --rows 1000000 [--churn 0.01] [--ingest-only] [--keep-dir]`
 *
 * The first half of the pipeline on the people data set (two sources, `crm` and `shop`, about
 * a third of the people in both, with noise), all through the HTTP API of one app:
 * 1. baseline: a parse-only pass over both files with the parser and options ingestion uses;
 * 2. ingest: both files uploaded (`POST /api/sources`, `POST /api/sources/:id/upload`);
 * 3. unify: exact rules (e-mail by mailbox, phone digits), `POST /api/unification/run` on an
 *    empty customer table (every customer and identity is written);
 * 4. unify again over unchanged data (nothing to recompute, nothing written);
 * 5. with `--churn f`: the shop file uploaded again with a share f of its records changed (their
 *    phone number), then unify again (only the components the changes touch are recomputed);
 * 6. the baseline again (the machine's load varies; the mean of both is the baseline).
 * `--ingest-only` stops after step 2 (then the baseline again): for working on ingest alone.
 * Prints rows/s and the app's peak RSS of each step (the app runs as a server process of its
 * own, see support/server-process.ts), and how close the customers come to the
 * data set's truth. Targets (issue 14, 1,000,000 records): first unification ≤ 8 s on SQLite,
 * ≤ 12 s on PostgreSQL; after 1% churn ≤ 1 s on SQLite, ≤ 1.5 s on PostgreSQL; the app's peak
 * RSS during unification ≤ 350 MB. DATABASE_URL runs it on PostgreSQL (in a database of its own
 * on that server, dropped at the end).
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
  const churn = options.churn === undefined ? 0 : Number(options.churn);
  if (!(churn >= 0 && churn < 1)) throw new Error('--churn must be a share from 0 to below 1');
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
    database = await benchDatabase();
    const started = await startBenchApp(join(dir, 'app'), database.url);
    server = started.server;
    const { token } = started;
    const rss = server;
    const { url } = server;
    const api = (method: string, path: string, body?: object) =>
      apiCall(url, token, method, path, body);

    rss.reset();
    const cpuBefore = server.cpuSeconds;
    const ingest = await timed(async () => {
      let stored = 0;
      for (const file of files) {
        const source = (await api('POST', '/api/sources', file.source)) as { id: string };
        stored += (await uploadCsv(url, token, source.id, file.path)).rowsStored;
      }
      return stored;
    });
    const ingestRss = rss.peakMb;
    const ingestCpu = server.cpuSeconds - cpuBefore;
    check(ingest.result, rows, 'ingest');
    if (options['ingest-only'] === true) {
      await server.stop();
      const after = await timed(() => parseAll(files));
      const baselineSeconds = (before.seconds + after.seconds) / 2;
      const ingestRate = rate(rows, ingest.seconds);
      console.log(
        `ingest (${store}): ${ingest.seconds.toFixed(2)} s, ${ingestRate.toLocaleString('en-US')} rows/s, ${(baselineSeconds / ingest.seconds).toFixed(3)} × the parse-only baseline (${baselineSeconds.toFixed(2)} s), app CPU ${ingestCpu.toFixed(1)} s, app peak RSS ${ingestRss} MB; load average ${load()}`,
      );
      return;
    }

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
    let churned:
      | { seconds: number; result: UnificationRun; rss: number; load: string; changed: number }
      | undefined;
    if (churn > 0) {
      const shop = files.find((f) => f.source.name === 'shop') ?? files[files.length - 1];
      const changedPath = join(dir, 'shop-churned.csv');
      const changed = await churnPhones(shop, changedPath, churn);
      const sources = (await api('GET', '/api/sources')) as { id: string; name: string }[];
      const shopId = sources.find((x) => x.name === shop.source.name)?.id ?? '';
      await uploadCsv(url, token, shopId, changedPath);
      rss.reset();
      const run = await timed(() => api('POST', '/api/unification/run') as Promise<UnificationRun>);
      churned = { ...run, rss: rss.peakMb, load: load(), changed };
    }
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
      ...(churned
        ? [
            step(
              `unify: after ${churned.changed.toLocaleString('en-US')} shop records changed`,
              churned.seconds,
              churned.rss,
              churned.load,
            ),
          ]
        : []),
    ]);
    const phases = (r: UnificationRun) =>
      `read ${r.readMs} ms, match ${r.matchMs} ms, write ${r.writeMs} ms`;
    console.log(`first run:  ${phases(first.result)}; ${JSON.stringify(figures(first.result))}`);
    console.log(`second run: ${phases(second.result)}; ${JSON.stringify(figures(second.result))}`);
    if (churned) {
      console.log(
        `after churn: ${phases(churned.result)}; ${JSON.stringify(figures(churned.result))}`,
      );
    }
    console.log(
      `customers ${first.result.customers?.toLocaleString('en-US')} for ${truth.people.toLocaleString('en-US')} people (records merged ${first.result.recordsMerged?.toLocaleString('en-US')} of ${truth.recordsMerged.toLocaleString('en-US')} possible: exact rules miss the typos and other e-mails)`,
    );
    const ingestRate = rate(rows, ingest.seconds);
    const baseline = rate(rows, baselineSeconds);
    const peak = Math.max(ingestRss, firstRss, secondRss);
    const unifyPeak = Math.max(firstRss, secondRss, churned?.rss ?? 0);
    const pg = store === 'postgres';
    const firstTarget = pg ? 12 : 8;
    const churnTarget = pg ? 1.5 : 1;
    const at = rows === 1_000_000 ? '' : '; the target is for 1,000,000';
    console.log(
      [
        `targets (SQLite): ingest ≥ 100,000 rows/s → ${ingestRate.toLocaleString('en-US')} (${ingestRate >= 100_000 ? 'met' : 'NOT met'})`,
        `ingest ≥ 0.5 × baseline (${baseline.toLocaleString('en-US')} rows/s) → ${(ingestRate / baseline).toFixed(2)} (${ingestRate / baseline >= 0.5 ? 'met' : 'NOT met'})`,
        `first unification of ${rows.toLocaleString('en-US')} records ≤ ${firstTarget} s (${store}) → ${first.seconds.toFixed(1)} s (${first.seconds <= firstTarget ? 'met' : 'NOT met'}${at})`,
        ...(churned
          ? [
              `unification after ${(churn * 100).toFixed(1)}% churn of one source ≤ ${churnTarget} s (${store}) → ${churned.seconds.toFixed(2)} s (${churned.seconds <= churnTarget ? 'met' : 'NOT met'}${at})`,
            ]
          : []),
        `app peak RSS during unification ≤ 350 MB → ${unifyPeak} MB (${unifyPeak <= 350 ? 'met' : 'NOT met'})`,
        `app peak RSS ≤ 1024 MB → ${peak} MB (${peak <= 1024 ? 'met' : 'NOT met'})`,
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
    recomputed: r.recordsRecomputed,
    keyed: r.recordsKeyed,
    merged: r.customersMerged,
    split: r.customersSplit,
    created: r.customersCreated,
    updated: r.customersUpdated,
    unchanged: r.customersUnchanged,
    identitiesWritten: r.identitiesWritten,
    transactions: r.transactions,
  };
}

/**
 * Writes `file` again with the phone number of every (1/share)-th record changed (another
 * number: its customer may split or merge); answers how many records changed.
 */
async function churnPhones(file: DatasetFile, path: string, share: number): Promise<number> {
  const every = Math.max(1, Math.round(1 / share));
  const mapping = file.source.mapping as Record<string, string | { column: string }>;
  const phone = mapping.phone;
  const phoneColumn = typeof phone === 'string' ? phone : phone.column;
  const out = createWriteStream(path);
  const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
  let row = -1;
  let phoneAt = -1;
  let changed = 0;
  const parser = parse({
    delimiter: file.source.options.delimiter,
    quote: file.source.options.quote,
  });
  parser.on('data', (cells: string[]) => {
    if (row === -1) phoneAt = cells.indexOf(phoneColumn);
    else if (row % every === 0 && phoneAt >= 0) {
      cells[phoneAt] = `+1 999 ${String(row).padStart(7, '0')}`;
      changed++;
    }
    row++;
    out.write(`${cells.map(quote).join(',')}\n`);
  });
  await pipeline(createReadStream(file.path), parser);
  await new Promise<void>((resolve, reject) => {
    out.end((error?: Error | null) => {
      if (error) reject(error);
      else resolve();
    });
  });
  return changed;
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
