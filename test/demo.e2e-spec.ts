import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DemoSummary } from '../demo/demo';
import { createTestDatabase } from './support/test-database';

/**
 * `npm run demo` as a test: the same script, built the same way (`tsc -b demo`, which also
 * builds the server it starts), run as a child process. On SQLite by default; when the suite
 * runs on PostgreSQL (DATABASE_URL), the demo gets a fresh PostgreSQL database of its own with
 * --database-url (the demo never follows DATABASE_URL by itself, so it cannot write into a real
 * store).
 */
const ROOT = resolve(__dirname, '..');
const DEMO = join(ROOT, 'dist', 'demo', 'demo.js');

interface Result {
  code: number | null;
  output: string;
}

function runNode(script: string, args: string[]): Promise<Result> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', fail);
    child.once('exit', (code) => {
      done({ code, output });
    });
  });
}

/** The temporary folder the demo announced (`SQLite in <folder>/data`, or its log path). */
function workFolder(output: string): string | undefined {
  return /(\/[^\s;]*audience-sync-demo-[^/\s;]+)/.exec(output)?.[1];
}

const TSC_ALIAS = join(dirname(require.resolve('tsc-alias/package.json')), 'dist/bin/index.js');

describe('npm run demo', () => {
  let tmp: string;

  beforeAll(() => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'demo'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    execFileSync(process.execPath, [TSC_ALIAS, '-p', 'tsconfig.app.json'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    tmp = mkdtempSync(join(tmpdir(), 'audience-sync-demo-test-'));
  }, 600_000);
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps the committed sample CSV equal to what its generator writes', async () => {
    const out = join(tmp, 'sample.csv');
    const result = await runNode(join(ROOT, 'dist', 'demo', 'generate-sample.js'), ['--out', out]);
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(
      readFileSync(join(ROOT, 'demo', 'sample-shop-customers.csv'), 'utf8'),
    );
  }, 120_000);

  it('runs the whole job and checks every list against its segment', async () => {
    const database = await createTestDatabase();
    const summaryFile = join(tmp, 'summary.json');
    try {
      const args = ['--summary', summaryFile];
      if (database.url) args.push('--database-url', database.url);
      const result = await runNode(DEMO, args);
      if (result.code !== 0) console.log(result.output);
      expect(result.code).toBe(0);
      const summary = JSON.parse(readFileSync(summaryFile, 'utf8')) as DemoSummary;

      // The sample: the shop's customers who are not in Sales have example.org addresses.
      const rows = parse<Record<string, string>>(
        readFileSync(join(ROOT, 'demo', 'sample-shop-customers.csv')),
        { columns: true },
      );
      const shopOnly = rows.filter((r) => r.email.endsWith('@example.org')).length;
      expect(summary).toMatchObject({
        store: database.url ? 'postgres' : 'sqlite',
        csvRows: rows.length,
        sourceRecords: rows.length + summary.salesContacts,
        // Every shop customer found in Sales despite the noise; no two people merged.
        customers: summary.salesContacts + shopOnly,
        customersWithContactId: summary.salesContacts,
        ok: true,
      });
      expect(summary.segments).toHaveLength(4);
      for (const s of summary.segments) {
        expect(s).toMatchObject({ list: s.name, removed: 0, failed: 0, skippedNotInSales: 0 });
        expect(s.size).toBeGreaterThan(0);
        expect(s.added + s.skippedNoContactId).toBe(s.size);
        const check = summary.checks.find((c) => c.segment === s.name);
        expect(check).toMatchObject({ ok: true, expected: s.added, actual: s.added });
      }
      expect(summary.segments.some((s) => s.skippedNoContactId > 0)).toBe(true);
      expect(summary.dataverseRequests.export).toBe(
        summary.segments.reduce((sum, s) => sum + s.requests, 0),
      );
      expect(summary.dataverseRequests).toMatchObject({ sourceRead: 1, throttled: 0 });

      // What a person reads: each step, then the summary and the check.
      expect(result.output).toMatch(/\[9\/9\] Checking every marketing list/);
      for (const s of summary.segments) expect(result.output).toContain(`"${s.name}"`);
      expect(result.output).toMatch(/Customers unified: 1,700 from 2,700 source records/);
      expect(result.output).toMatch(/Demo succeeded\.\s*$/);
      // Cleaned up: the temporary folder is gone.
      const folder = workFolder(result.output);
      if (!database.url) expect(folder).toBeDefined();
      if (folder) expect(existsSync(folder)).toBe(false);
    } finally {
      await database.drop();
    }
  }, 300_000);

  it('exits non-zero with the reason when a step fails, and still cleans up', async () => {
    const result = await runNode(DEMO, [
      '--database-url',
      'postgres://postgres@127.0.0.1:1/no_such_server',
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/✗ The demo failed: Audience Sync stopped while starting/);
    expect(result.output).toMatch(/Last lines of the server log:/);
    expect(result.output).toMatch(/ECONNREFUSED/);
    const folder = workFolder(result.output);
    expect(folder).toBeDefined();
    if (folder) expect(existsSync(folder)).toBe(false);
  }, 300_000);

  it('refuses unknown options with its usage', async () => {
    const result = await runNode(DEMO, ['--colour']);
    expect(result.code).toBe(2);
    expect(result.output).toMatch(/Usage: npm run demo/);
  }, 60_000);
});
