/**
 * `npm run demo`: the main job of Audience Sync, end to end, on this machine alone.
 *
 * Starts the Dataverse emulator (a Dynamics 365 Sales org with 1,500 generated contacts) and
 * Audience Sync (the built server, on a fresh SQLite data directory, trusting the emulator only
 * through EXTRA_CA_CERTS and ALLOWED_HOSTS), then, through the HTTP API: a CSV source from the
 * sample file, the Dataverse contacts source, match rules, segments, a Dynamics 365 Sales
 * destination, one refresh (ingest → unify → segments → export). Prints a summary and checks,
 * reading the lists back from the emulator, that every list holds exactly its segment's
 * exportable contacts. Exit code 0 only when every step and the check succeeded.
 *
 *     npm run demo [-- --keep] [-- --database-url postgres://…] [-- --summary <file.json>]
 *
 * --keep keeps the temporary folder (data directory, server log, emulator data).
 * --database-url stores everything in that (empty) PostgreSQL database instead of SQLite; the
 *   demo never uses a DATABASE_URL of the environment, so it cannot touch a real store.
 * --summary writes the summary as JSON (used by the demo's end-to-end test).
 */
import { clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { ApiClient, DemoError } from './api-client';
import { AppProcess } from './app-process';
import {
  CSV_SOURCE,
  DESTINATION_NAME,
  SALES_CONTACTS,
  SALES_SEED,
  SALES_SOURCE,
  SAMPLE_FILE,
  SEGMENTS,
  UNIFICATION,
} from './demo-setup';
import { checkList, type ListCheck } from './list-check';
import { Reporter, n } from './reporter';

const USAGE = 'Usage: npm run demo [-- --keep] [--database-url postgres://…] [--summary <file>]';

interface Stage {
  name: string;
  status: string;
  figures: Record<string, string | number>;
  errors: string[];
  note: string | null;
}
interface RefreshRun {
  id: string;
  status: string;
  error: string | null;
  stages: Stage[];
}
interface SegmentResult {
  segmentId: string;
  segmentName: string | null;
  status: string;
  target: { id: string; name: string } | null;
  members: number;
  added: number;
  removed: number;
  skippedNoKey: number;
  skippedNotFound: number;
  skippedInvalid: number;
  failed: number;
  requests: number;
  throttled: number;
  errors: string[];
}
interface ExportRun {
  id: string;
  status: string;
  error: string | null;
  durationMs: number | null;
  segments: SegmentResult[];
  totals: { requests: number; throttled: number };
}

/** What the demo prints at the end, and writes with --summary. */
export interface DemoSummary {
  store: 'sqlite' | 'postgres';
  salesContacts: number;
  csvRows: number;
  sourceRecords: number;
  customers: number;
  customersWithContactId: number;
  segments: {
    name: string;
    size: number;
    list: string | null;
    added: number;
    removed: number;
    skippedNoContactId: number;
    skippedNotInSales: number;
    failed: number;
    requests: number;
  }[];
  dataverseRequests: {
    total: number;
    signIn: number;
    sourceRead: number;
    export: number;
    throttled: number;
  };
  checks: ListCheck[];
  ok: boolean;
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        keep: { type: 'boolean', default: false },
        'database-url': { type: 'string' },
        summary: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const databaseUrl = args['database-url'];
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/.+/.test(databaseUrl)) {
    console.error(`--database-url must be a postgres:// URL\n${USAGE}`);
    return 2;
  }
  const root = resolve(__dirname, '..', '..');
  const work = mkdtempSync(join(tmpdir(), 'audience-sync-demo-'));
  const report = new Reporter(9);
  let emu: EmulatorHandle | undefined;
  let app: AppProcess | undefined;
  let cleaned = false;
  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    await app?.stop().catch(() => undefined);
    await emu?.stop().catch(() => undefined);
    if (args.keep) report.line(`Kept ${work} (data directory, server log, emulator data).`);
    else rmSync(work, { recursive: true, force: true });
  };
  const interrupted = () => {
    report.line('Interrupted: stopping.');
    void cleanUp().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  report.line(
    'Audience Sync demo: Sales contacts + a web shop’s customers → segments → Sales marketing lists',
  );
  report.line();
  try {
    const started = await report.step(
      `Starting the Dataverse emulator (a Dynamics 365 Sales org with ${n(SALES_CONTACTS)} contacts)`,
      async () => {
        mkdirSync(join(work, 'emulator'));
        return startEmulator({
          contacts: SALES_CONTACTS,
          seed: SALES_SEED,
          dataDir: join(work, 'emulator'),
          autosaveMs: 0,
        });
      },
      (e) => `${e.url} (tenant ${e.tenantId})`,
    );
    emu = started;
    const store = databaseUrl ? 'postgres' : 'sqlite';
    app = new AppProcess({
      root,
      dataDir: join(work, 'data'),
      caCertPath: started.caCertPath,
      allowedHost: new URL(started.url).host,
      databaseUrl,
      logFile: join(work, 'audience-sync.log'),
    });
    const server = app;
    await report.step(
      `Starting Audience Sync (${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, data directory ${join(work, 'data')}; it trusts the emulator through EXTRA_CA_CERTS and ALLOWED_HOSTS)`,
      () => server.start(),
      () => server.url,
    );
    const api = new ApiClient(server.url, server.token);
    const summary = await run(api, started, report, join(root, 'demo', SAMPLE_FILE), store);
    printSummary(report, summary);
    if (args.summary) writeFileSync(args.summary, JSON.stringify(summary, null, 2));
    return summary.ok ? 0 : 1;
  } catch (error) {
    report.line();
    report.line(`✗ The demo failed: ${error instanceof Error ? error.message : String(error)}`);
    if (!(error instanceof DemoError) && error instanceof Error && error.stack) {
      report.line(error.stack);
    }
    const tail = app?.logTail();
    if (tail) report.line(`\nLast lines of the server log:\n${tail}`);
    return 1;
  } finally {
    await cleanUp();
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

async function run(
  api: ApiClient,
  emu: EmulatorHandle,
  report: Reporter,
  sampleFile: string,
  store: 'sqlite' | 'postgres',
): Promise<DemoSummary> {
  const csv = await report.step(
    `CSV source "${CSV_SOURCE.name}" from demo/${SAMPLE_FILE}`,
    async () => {
      const source = await api.post<{ id: string }>('/api/sources', CSV_SOURCE);
      return api.upload<{ rowsRead: number; rowsStored: number; rowsRejected: number }>(
        `/api/sources/${source.id}/upload`,
        readFileSync(sampleFile, 'utf8'),
      );
    },
    (r) => `${n(r.rowsStored)} customers stored, ${n(r.rowsRejected)} rows rejected`,
  );

  await report.step(
    `Dataverse contacts source "${SALES_SOURCE.name}" (client credentials; read by the refresh)`,
    () =>
      api.post('/api/sources', {
        ...SALES_SOURCE,
        options: {
          serverAddress: emu.url,
          auth: clientCredentialsAuth(emu),
          table: 'contacts',
        },
      }),
    () => 'created; its client secret is stored encrypted',
  );

  await report.step(
    'Match rules',
    () => api.put('/api/unification', UNIFICATION),
    () => UNIFICATION.rules.map((r) => r.name).join('; '),
  );

  const segments = await report.step(
    `Segments (${SEGMENTS.length})`,
    async () => {
      const out: { id: string; name: string }[] = [];
      for (const s of SEGMENTS) out.push(await api.post('/api/segments', { ...s, active: true }));
      return out;
    },
    (s) => s.map((x) => x.name).join(', '),
  );

  const destination = await report.step(
    `Dynamics 365 Sales destination "${DESTINATION_NAME}"`,
    async () => {
      const created = await api.post<{ id: string }>('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: DESTINATION_NAME,
        config: {
          serverAddress: emu.url,
          auth: clientCredentialsAuth(emu),
        },
        contactIdField: 'contactId',
        segmentIds: segments.map((s) => s.id),
        syncMode: 'mirror',
        enabled: true,
      });
      const test = await api.post<{ ok: boolean; message: string }>(
        `/api/destinations/${created.id}/test`,
      );
      if (!test.ok) throw new DemoError(`the connection test failed: ${test.message}`);
      return { id: created.id, message: test.message };
    },
    (d) => d.message,
  );

  emu.resetStats();
  const refresh = await report.step(
    'Refresh: ingest → unify → segments → export',
    async (progress) => {
      const { id } = await api.post<{ id: string }>('/api/refresh');
      for (;;) {
        const current = await api.get<RefreshRun>(`/api/refresh/runs/${id}`);
        const active = current.stages.find((s) => s.status === 'running');
        if (active) progress(`${active.name}: ${describeFigures(active.figures)}`);
        if (!['queued', 'running'].includes(current.status)) {
          for (const stage of current.stages) {
            progress(
              `${stage.name}: ${stage.status}${Object.keys(stage.figures).length > 0 ? ` — ${describeFigures(stage.figures)}` : ''}`,
            );
          }
          if (current.status !== 'succeeded') {
            const problems = current.stages.flatMap((s) => s.errors.map((e) => `${s.name}: ${e}`));
            throw new DemoError(
              `the refresh ended ${current.status}${current.error ? `: ${current.error}` : ''}${problems.length > 0 ? `\n      ${problems.join('\n      ')}` : ''}`,
            );
          }
          return current;
        }
        await sleep(250);
      }
    },
    (r) => `refresh ${r.status}`,
  );

  const exportRun = (
    await api.get<{ items: ExportRun[] }>(`/api/destinations/${destination.id}/runs`)
  ).items.at(0);
  if (exportRun?.status !== 'succeeded') {
    throw new DemoError(
      `the export run ${exportRun ? `ended ${exportRun.status}${exportRun.error ? `: ${exportRun.error}` : ''}` : 'is missing'}`,
    );
  }

  const checks = await report.step(
    'Checking every marketing list in Sales against its segment',
    async (progress) => {
      const out: ListCheck[] = [];
      for (const result of exportRun.segments) {
        if (!result.target)
          throw new DemoError(`segment "${result.segmentName ?? result.segmentId}" has no list`);
        progress(`reading list "${result.target.name}"`);
        out.push(
          await checkList(
            api,
            emu,
            { id: result.segmentId, name: result.segmentName ?? result.segmentId },
            result.target.id,
            'contactId',
          ),
        );
      }
      return out;
    },
    (c) => `${c.filter((x) => x.ok).length} of ${c.length} lists equal their segments`,
  );

  const unify: Partial<Record<string, string | number>> =
    refresh.stages.find((s) => s.name === 'unify')?.figures ?? {};
  const ingest = refresh.stages.find((s) => s.name === 'ingest');
  const sources =
    await api.get<{ name: string; lastIngest: { requests?: number } | null }[]>('/api/sources');
  const sourceRead = sources.find((s) => s.name === SALES_SOURCE.name)?.lastIngest?.requests ?? 0;
  const stats = emu.stats();
  const withContactId = await api.post<{ count: number }>('/api/segments/preview', {
    rule: { all: [{ field: 'contactId', op: 'isNotEmpty' }] },
    sampleSize: 1,
  });
  return {
    store,
    salesContacts: emu.contacts.count(),
    csvRows: csv.rowsStored,
    sourceRecords: Number(unify.sourceRecords ?? ingest?.figures.records ?? 0),
    customers: Number(unify.customers ?? 0),
    customersWithContactId: withContactId.count,
    segments: exportRun.segments.map((s) => ({
      name: s.segmentName ?? s.segmentId,
      size: s.members,
      list: s.target?.name ?? null,
      added: s.added,
      removed: s.removed,
      skippedNoContactId: s.skippedNoKey,
      skippedNotInSales: s.skippedNotFound,
      failed: s.failed,
      requests: s.requests,
    })),
    dataverseRequests: {
      total: stats.totals.count,
      signIn: Object.entries(stats.endpoints)
        .filter(([name]) => name.startsWith('POST /token'))
        .reduce((sum, [, e]) => sum + (e?.count ?? 0), 0),
      sourceRead,
      export: exportRun.totals.requests,
      throttled: stats.totals.throttled,
    },
    checks,
    ok: checks.every((c) => c.ok),
  };
}

function describeFigures(figures: Record<string, string | number>): string {
  const entries = Object.entries(figures).filter(([, v]) => typeof v === 'number' || v.length < 60);
  return entries.length === 0
    ? 'starting'
    : entries
        .slice(0, 8)
        .map(([k, v]) => `${k} ${typeof v === 'number' ? n(v) : v}`)
        .join(', ');
}

function printSummary(report: Reporter, s: DemoSummary): void {
  const pad = (text: string, width: number) => text.padEnd(width);
  const nameWidth = Math.max(...s.segments.map((x) => x.name.length), 7);
  report.line();
  report.line('Summary');
  report.line(
    `  Customers unified: ${n(s.customers)} from ${n(s.sourceRecords)} source records (${n(s.csvRows)} shop customers + ${n(s.salesContacts)} Sales contacts); ${n(s.customersWithContactId)} have a Sales contact id`,
  );
  report.line('  Segments exported to Dynamics 365 Sales marketing lists:');
  report.line(
    `    ${pad('segment', nameWidth)}  members  added  removed  skipped: no contact id / not in Sales  requests  list`,
  );
  for (const x of s.segments) {
    report.line(
      `    ${pad(x.name, nameWidth)}  ${n(x.size).padStart(7)}  ${n(x.added).padStart(5)}  ${n(x.removed).padStart(7)}  ${`${n(x.skippedNoContactId)} / ${n(x.skippedNotInSales)}`.padStart(36)}  ${n(x.requests).padStart(8)}  "${x.list ?? '—'}"`,
    );
  }
  report.line(
    `  Requests to Dataverse and Entra ID during the refresh: ${n(s.dataverseRequests.total)} (sign-in ${n(s.dataverseRequests.signIn)}, reading the contacts ${n(s.dataverseRequests.sourceRead)}, exporting ${n(s.dataverseRequests.export)}); throttled: ${n(s.dataverseRequests.throttled)}`,
  );
  for (const c of s.checks) {
    report.line(
      c.ok
        ? `  ✓ list of "${c.segment}" holds exactly its ${n(c.expected)} exportable contacts`
        : `  ✗ list of "${c.segment}": ${n(c.actual)} members, ${n(c.expected)} expected; missing ${n(c.missing.length)} (${c.missing.slice(0, 3).join(', ')}), unexpected ${n(c.unexpected.length)} (${c.unexpected.slice(0, 3).join(', ')})`,
    );
  }
  report.line();
  report.line(
    s.ok
      ? 'Check: every list’s members equal its segment’s exportable contact ids. Demo succeeded.'
      : 'Check FAILED: some lists differ from their segments.',
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
