import {
  DataverseRuntime,
  clientCredentialsAuth,
  forEachConcurrent,
  type ClientCredentialsAuth,
} from '@audience-sync/dataverse-client';
import type { EmulatorInfo } from '@audience-sync/dataverse-emulator';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { BenchOptions } from './index';
import { benchDatabase } from './support/bench-database';
import { printTable } from './support/measure';
import { memberLogSize } from './support/member-log-size';
import { processCpuSeconds } from './support/server-process';

/** First exports with the member log off and on (alternately), to measure what it adds. */
/**
 * `npm run bench -- export [--members 1000000] [--sample 10000] [--churn 0.01] [--cpu-prof <dir>]
 * [--keep]` (--keep: leave the data folder and database for a look afterwards)
 *
 * The export of one segment to Dynamics 365 Sales, against the Dataverse emulator over HTTPS:
 * a first export of `members` members, a re-export after `churn` (as many members out as in),
 * and an unchanged re-export. Each is started with `POST /api/destinations/:id/runs` on the
 * built server (`dist/src/main.js`, a child process, SQLite in a temporary folder; a fresh
 * PostgreSQL database when DATABASE_URL is set) and measured: wall time, Dataverse requests and
 * writes (the emulator's statistics), members per request, throttled answers, the server's peak
 * RSS during the export (sampled from /proc), and the least time the same requests would take
 * under the real service-protection limits (the emulator's projection).
 *
 * Baseline in the same run: the naive export — one `AddMemberList` request per member, direct
 * HTTPS calls to the emulator with the same client, parallelism and sign-in — on a `sample` of
 * members, extrapolated to `members`.
 *
 * The data goes through the real path: the emulator (a child process, so its work does not
 * share a core with the server's event loop) holds members + churn contacts, `churn × members`
 * of them inactive; a Dataverse contacts source reads them all (full read), unification makes
 * one customer per contact, and the segment "Active Sales contacts" (state = 0) has exactly
 * `members` members. The churn deactivates as many active contacts as it reactivates inactive
 * ones, in Sales; the source's next read is an incremental one (change tracking). Each export
 * runs in a freshly started server, so its peak RSS (and its CPU profile with --cpu-prof: one
 * file per export, in order) is its own. Service protection is raised
 * out of the way in the emulator (no 429 slows the run); the projection applies the real limits.
 */
export const bench = {
  describe:
    'export of a segment to Dynamics 365 Sales against the emulator (first, churn, unchanged) beside a naive per-member baseline',
  run: async (options: BenchOptions) => {
    const members = numberOption(options, 'members', 1_000_000);
    const sample = Math.min(numberOption(options, 'sample', 10_000), members);
    const churn = Math.round(members * numberOption(options, 'churn', 0.01));
    // Alternating first exports with the member log off and on (its cost is their difference).
    const logRounds = numberOption(options, 'log-rounds', 2);
    const root = resolve(__dirname, '..', '..');
    const work = mkdtempSync(join(tmpdir(), 'audience-sync-export-bench-'));
    const database = await benchDatabase();
    let emulator: EmulatorProcess | undefined;
    let server: ServerProcess | undefined;
    try {
      console.log(
        `members: ${fmt(members)}; churn: ${fmt(churn)} out, ${fmt(churn)} in; naive sample: ${fmt(sample)}; store: ${database.url ? 'PostgreSQL' : 'SQLite'}`,
      );
      emulator = await timedStep(`emulator with ${fmt(members + churn)} contacts`, () =>
        EmulatorProcess.start(root, members + churn),
      );
      const emu = emulator;
      await emu.admin('PUT', 'limits', {
        windowSeconds: 300,
        maxRequests: 1e9,
        maxExecutionMs: 1e12,
        maxConcurrent: 52,
      });
      const allContacts = await emu.contactIds(0, members + churn);
      const inactive = allContacts.slice(members);
      await timedStep(`${fmt(churn)} contacts made inactive in Sales`, () =>
        emu.patchContacts(inactive, { statecode: 1 }),
      );

      const serverOptions = {
        root,
        dataDir: join(work, 'data'),
        caCertPath: emu.info.caCertPath,
        allowedHost: new URL(emu.info.url).host,
        databaseUrl: database.url,
      };
      server = await timedStep('server started', () => ServerProcess.start(serverOptions));
      const setup = await setUp(server, emu, logRounds);
      await server.stop();

      const cpuProfileDir =
        typeof options['cpu-prof'] === 'string' ? resolve(options['cpu-prof']) : undefined;
      /** Each export runs in a fresh server process, so its memory and profile are its own. */
      const measure = async (
        label: string,
        destinationId = setup.destinationId,
        env: Record<string, string> = {},
      ) => {
        server = await ServerProcess.start({ ...serverOptions, cpuProfileDir, env });
        const row = await measureExport(label, server, emu, destinationId, members);
        await server.stop();
        return row;
      };
      const rows: Record<string, string | number>[] = [];
      // The member log's cost: first exports (new lists) with it switched off
      // (MEMBER_LOG_RETENTION_DAYS=0) and on, alternately; its size after the first one on.
      const logOff = { MEMBER_LOG_RETENTION_DAYS: '0' };
      const seconds = { off: [] as number[], on: [] as number[] };
      const cpu = { off: [] as number[], on: [] as number[] };
      let logSize: { bytes: number; rows: number } | undefined;
      for (const [i, round] of setup.logRounds.entries()) {
        const off = await measure(`first export, member log off (${i + 1})`, round.off, logOff);
        const on = await measure(`first export, member log on (${i + 1})`, round.on);
        logSize ??= await memberLogSize({
          dataDir: serverOptions.dataDir,
          databaseUrl: database.url,
        });
        seconds.off.push(Number(off['wall s']));
        seconds.on.push(Number(on['wall s']));
        cpu.off.push(Number(off['server CPU s']));
        cpu.on.push(Number(on['server CPU s']));
        rows.push(off, on);
      }
      rows.push(await measure('first export'));

      const out = allContacts.slice(0, churn);
      await timedStep(
        `churn in Sales: ${fmt(churn)} deactivated, ${fmt(churn)} reactivated`,
        async () => {
          await emu.patchContacts(out, { statecode: 1 });
          await emu.patchContacts(inactive, { statecode: 0 });
        },
      );
      server = await ServerProcess.start(serverOptions);
      const app = server;
      await timedStep('incremental read, unification, segment', async () => {
        const read = await app.api<{ mode: string; rowsRead: number }>(
          'POST',
          `/api/sources/${setup.sourceId}/ingest`,
        );
        if (read.mode !== 'incremental')
          throw new Error(`expected an incremental read, got ${read.mode}`);
        await app.api('POST', '/api/unification/run');
        await app.api('POST', `/api/segments/${setup.segmentId}/evaluate`);
      });
      await server.stop();
      rows.push(await measure('after 1% churn'));
      rows.push(await measure('unchanged'));

      const naive = await naiveBaseline(emu, allContacts.slice(0, sample));
      const scale = members / sample;
      rows.push({
        export: `baseline: naive, ${fmt(sample)} members (1 AddMemberList each)`,
        'wall s': naive.seconds,
        requests: naive.requests,
        writes: naive.writes,
        'members/request': 1,
        throttled: naive.throttled,
        'peak RSS MB': '—',
        'projected s (real limits)': naive.projected,
        'binding limit': naive.binding,
        'added / removed': `${fmt(sample)} / 0`,
      });
      rows.push({
        export: `baseline extrapolated to ${fmt(members)}`,
        'wall s': naive.seconds * scale,
        requests: Math.round(naive.requests * scale),
        writes: Math.round(naive.writes * scale),
        'members/request': 1,
        throttled: '—',
        'peak RSS MB': '—',
        'projected s (real limits)': naive.projected * scale,
        'binding limit': naive.binding,
        'added / removed': `${fmt(members)} / 0`,
      });
      printTable(
        `export, ${database.url ? 'PostgreSQL' : 'SQLite'}, ${fmt(members)} members (set-up: ${setup.describe})`,
        rows,
      );
      if (logSize) {
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const added = (xs: { off: number[]; on: number[] }) =>
          `${sum(xs.on) >= sum(xs.off) ? '+' : ''}${fmt((sum(xs.on) / sum(xs.off) - 1) * 100, 1)}%`;
        console.log(
          `member log: ${fmt(logSize.rows)} rows, ${fmt(logSize.bytes)} bytes = ${fmt(logSize.bytes / Math.max(1, logSize.rows), 1)} bytes per member; first exports ${seconds.off.map((x) => fmt(x, 2)).join(' + ')} s with it off, ${seconds.on.map((x) => fmt(x, 2)).join(' + ')} s on: ${added(seconds)} wall time (target ≤ 10%); the server's CPU time ${added(cpu)} (steadier when other work shares the cores)`,
        );
      }
    } finally {
      await server?.stop();
      await emulator?.stop();
      if (options.keep === true) {
        console.log(`kept ${work}${database.url ? ` and the database ${database.url}` : ''}`);
      } else {
        await database.drop();
        rmSync(work, { recursive: true, force: true });
      }
    }
  },
};

interface SetUp {
  sourceId: string;
  segmentId: string;
  destinationId: string;
  /** Destinations for the first exports with the member log off and on, per round. */
  logRounds: { off: string; on: string }[];
  describe: string;
}

/** Source, unification, segment and destination, through the API (not measured). */
async function setUp(app: ServerProcess, emu: EmulatorProcess, rounds: number): Promise<SetUp> {
  const source = await app.api<{ id: string }>('POST', '/api/sources', {
    name: 'Sales contacts',
    type: 'dataverse',
    primaryKey: 'contactid',
    mapping: {
      contactId: 'contactid',
      email: 'emailaddress1',
      state: { column: 'statecode', type: 'number' },
    },
    options: {
      serverAddress: emu.info.url,
      auth: emu.auth(),
      table: 'contacts',
    },
  });
  const read = await measured('Dataverse source: full read', () =>
    app.api<{ rowsStored: number; pages: number; requests: number }>(
      'POST',
      `/api/sources/${source.id}/ingest`,
    ),
  );
  const unified = await measured('unification', () =>
    app.api<{ customers: number }>('POST', '/api/unification/run'),
  );
  const segment = await app.api<{ id: string }>('POST', '/api/segments', {
    name: 'Active Sales contacts',
    active: true,
    rule: { all: [{ field: 'state', op: 'eq', value: 0 }] },
  });
  await timedStep('segment evaluation', () =>
    app.api('POST', `/api/segments/${segment.id}/evaluate`),
  );
  const destinationId = await createDestination(app, emu, segment.id, 'Sales (emulator)');
  // Destinations of their own (new lists) for the first exports with and without the member log.
  const logRounds: { off: string; on: string }[] = [];
  for (let round = 1; round <= rounds; round++) {
    logRounds.push({
      off: await createDestination(app, emu, segment.id, `Sales, log off ${round}`),
      on: await createDestination(app, emu, segment.id, `Sales, log on ${round}`),
    });
  }
  return {
    sourceId: source.id,
    segmentId: segment.id,
    destinationId,
    logRounds,
    describe: `Dataverse source read ${fmt(read.result.rowsStored)} contacts in ${read.result.pages} pages and ${fmt(read.seconds, 1)} s (${fmt(read.result.rowsStored / read.seconds)} rows/s), unification ${fmt(unified.result.customers)} customers in ${fmt(unified.seconds, 1)} s`,
  };
}

/** A mirror destination of the segment on the emulator (disabled: refreshes leave it alone). */
async function createDestination(
  app: ServerProcess,
  emu: EmulatorProcess,
  segmentId: string,
  displayName: string,
): Promise<string> {
  const destination = await app.api<{ id: string }>('POST', '/api/destinations', {
    type: 'dynamics365-sales',
    displayName,
    config: { serverAddress: emu.info.url, auth: emu.auth() },
    contactIdField: 'contactId',
    segmentIds: [segmentId],
    syncMode: 'mirror',
    enabled: displayName === 'Sales (emulator)',
  });
  return destination.id;
}

interface ExportRunView {
  status: string;
  error: string | null;
  totals: { added: number; removed: number; throttled: number; requests: number };
  segments: { target: { id: string } | null; members: number }[];
}

async function measureExport(
  label: string,
  app: ServerProcess,
  emu: EmulatorProcess,
  destinationId: string,
  members: number,
): Promise<Record<string, string | number>> {
  await emu.admin('POST', 'stats/reset');
  const rss = app.sampleRss();
  const cpuBefore = app.cpuSeconds;
  const started = performance.now();
  const { id } = await app.api<{ id: string }>('POST', `/api/destinations/${destinationId}/runs`);
  let run: ExportRunView;
  for (;;) {
    run = await app.api<ExportRunView>('GET', `/api/export-runs/${id}`);
    if (!['queued', 'running'].includes(run.status)) break;
    await sleep(50);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = app.cpuSeconds - cpuBefore;
  const peak = rss.stop();
  if (run.status !== 'succeeded')
    throw new Error(`${label}: the export ${run.status}: ${run.error ?? ''}`);
  const stats = await emu.admin<Stats>('GET', 'stats');
  const projection = await emu.admin<Projection>('GET', 'projection');
  const listId = run.segments[0]?.target?.id;
  const list = listId ? await emu.admin<{ membercount: number }>('GET', `lists/${listId}`) : null;
  if (list?.membercount !== members) {
    throw new Error(
      `${label}: the list has ${list?.membercount ?? 'no'} members, ${members} expected`,
    );
  }
  const dv = dataverse(stats);
  const changed = run.totals.added + run.totals.removed;
  console.log(`  ${label}: ${fmt(seconds, 2)} s, ${dv.requests} requests (${dv.writes} writes)`);
  return {
    export: label,
    'wall s': seconds,
    'server CPU s': cpu,
    requests: dv.requests,
    writes: dv.writes,
    'members/request': dv.requests === 0 ? 0 : changed / dv.requests,
    throttled: dv.throttled,
    'peak RSS MB': peak,
    'projected s (real limits)': projection.minimumSeconds,
    'binding limit': projection.requests === 0 ? '—' : projection.bindingLimit,
    'added / removed': `${fmt(run.totals.added)} / ${fmt(run.totals.removed)}`,
  };
}

/** One AddMemberList per member, parallel within the dop hint, with the product's own client. */
async function naiveBaseline(
  emu: EmulatorProcess,
  contacts: string[],
): Promise<{
  seconds: number;
  requests: number;
  writes: number;
  throttled: number;
  projected: number;
  binding: string;
}> {
  const runtime = new DataverseRuntime({
    allowedHosts: [new URL(emu.info.url).host],
    extraCaCertificates: [readFileSync(emu.info.caCertPath, 'utf8')],
  });
  try {
    const client = runtime.connect({ serverAddress: emu.info.url, auth: emu.auth() });
    await client.whoAmI();
    const listId = randomUUID();
    await client.post('lists', {
      listid: listId,
      listname: 'Naive baseline',
      createdfromcode: 2,
      type: false,
    });
    await emu.admin('POST', 'stats/reset');
    const started = performance.now();
    await forEachConcurrent(
      contacts,
      () => client.parallelism,
      async (contactId) => {
        await client.post(
          `lists(${listId})/Microsoft.Dynamics.CRM.AddMemberList`,
          { EntityId: contactId },
          { idempotent: true },
        );
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const dv = dataverse(await emu.admin<Stats>('GET', 'stats'));
    const projection = await emu.admin<Projection>('GET', 'projection');
    console.log(`  naive baseline: ${fmt(seconds, 2)} s, ${dv.requests} requests`);
    return {
      seconds,
      requests: dv.requests,
      writes: dv.writes,
      throttled: dv.throttled,
      projected: projection.minimumSeconds,
      binding: projection.bindingLimit,
    };
  } finally {
    await runtime.close();
  }
}

function randomUUID(): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface Stats {
  totals: { count: number; throttled: number };
  endpoints: Record<string, { count: number; throttled: number } | undefined>;
}
interface Projection {
  requests: number;
  minimumSeconds: number;
  bindingLimit: string;
}

/** Dataverse requests of a statistics snapshot (sign-in calls left out), and the writes among them. */
function dataverse(stats: Stats): { requests: number; writes: number; throttled: number } {
  let requests = 0;
  let writes = 0;
  let throttled = 0;
  for (const [name, e] of Object.entries(stats.endpoints)) {
    if (!e || /^POST \/(token|devicecode)/.test(name)) continue;
    requests += e.count;
    throttled += e.throttled;
    if (!name.startsWith('GET ')) writes += e.count;
  }
  return { requests, writes, throttled };
}

/** The emulator as a child process (its own core), driven through its admin API. */
class EmulatorProcess {
  private readonly agent: Agent;

  private constructor(
    private readonly child: ChildProcess,
    readonly info: EmulatorInfo,
  ) {
    this.agent = new Agent({ connect: { ca: readFileSync(info.caCertPath, 'utf8') } });
  }

  static async start(root: string, contacts: number): Promise<EmulatorProcess> {
    const child = spawn(
      process.execPath,
      [
        join(root, 'libs', 'dataverse-emulator', 'dist', 'cli.js'),
        '--port',
        '0',
        '--contacts',
        String(contacts),
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      if (line.startsWith('{')) {
        lines.close();
        child.stdout.resume();
        return new EmulatorProcess(child, JSON.parse(line) as EmulatorInfo);
      }
    }
    throw new Error('the emulator stopped before printing its address');
  }

  auth(): ClientCredentialsAuth {
    return clientCredentialsAuth(this.info);
  }

  async admin<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const res = await retryOnReset(`emulator ${method} ${path}`, () =>
      request(`${this.info.url}/_emulator/v1/${path}`, {
        method,
        dispatcher: this.agent,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    const text = await res.body.text();
    if (res.statusCode >= 300)
      throw new Error(`emulator ${method} ${path}: ${res.statusCode} ${text}`);
    return JSON.parse(text) as T;
  }

  async contactIds(offset: number, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let at = offset; at < offset + count; at += 50_000) {
      const page = await this.admin<{ value: { contactid: string }[] }>(
        'GET',
        `contacts?offset=${at}&limit=${Math.min(50_000, offset + count - at)}`,
      );
      ids.push(...page.value.map((c) => c.contactid));
    }
    return ids;
  }

  async patchContacts(ids: string[], patch: Record<string, unknown>): Promise<void> {
    await forEachConcurrent(
      ids,
      () => 8,
      async (id) => {
        await this.admin('PATCH', `contacts/${id}`, patch);
      },
    );
  }

  async stop(): Promise<void> {
    await this.agent.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}

interface ServerOptions {
  root: string;
  dataDir: string;
  caCertPath: string;
  allowedHost: string;
  databaseUrl?: string;
  /** Folder for a CPU profile of the server (`node --cpu-prof`), written when it stops. */
  cpuProfileDir?: string;
  /** More settings (e.g. MEMBER_LOG_RETENTION_DAYS). */
  env?: Record<string, string>;
}

/** The built server as a child process, configured for the emulator as an operator would. */
class ServerProcess {
  /** Set-up calls (a read or a unification of a million rows) outlast fetch's 300 s timeouts. */
  private readonly agent = new Agent({ headersTimeout: 0, bodyTimeout: 0 });

  private constructor(
    private readonly child: ChildProcess,
    private readonly url: string,
    private readonly token: string,
    private readonly profiling: boolean,
  ) {}

  /** CPU time (user + system) the server has used, in seconds. */
  get cpuSeconds(): number {
    return processCpuSeconds(this.child.pid);
  }

  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    const token = `bench_${randomBytes(16).toString('hex')}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['DATABASE_URL', 'SECRET_KEY', 'API_TOKEN'])
      Reflect.deleteProperty(env, name);
    Object.assign(env, {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: options.dataDir,
      API_TOKEN: token,
      EXTRA_CA_CERTS: options.caCertPath,
      ALLOWED_HOSTS: options.allowedHost,
      LOG_LEVEL: 'warn',
      ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
      ...options.env,
    });
    const main = join(options.root, 'dist', 'src', 'main.js');
    const args = options.cpuProfileDir
      ? [
          '--cpu-prof',
          `--cpu-prof-dir=${options.cpuProfileDir}`,
          // A normal exit writes the profile (a signal's default action would not).
          '--eval',
          `process.on('SIGUSR2', () => process.exit(0)); require(${JSON.stringify(main)});`,
        ]
      : [main];
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`the server stopped (exit ${child.exitCode})`);
      try {
        if ((await fetch(`${url}/health`)).ok) {
          return new ServerProcess(child, url, token, options.cpuProfileDir !== undefined);
        }
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    child.kill('SIGKILL');
    throw new Error('the server did not start within 120 s');
  }

  async api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const send = () =>
      request(`${this.url}${path}`, {
        method: method as 'GET' | 'POST',
        dispatcher: this.agent,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // Only reads are sent again: a POST that reached the server must not run twice.
    const res = await (method === 'GET' ? retryOnReset(`${method} ${path}`, send) : send());
    const text = await res.body.text();
    if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Samples the server's resident set size (VmRSS) every 20 ms until `stop()`: the peak in MB. */
  sampleRss(): { stop(): number } {
    const pid = this.child.pid;
    let peak = 0;
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${pid ?? 0}/status`, 'utf8');
        const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        peak = Math.max(peak, kb);
      } catch {
        // the process is gone
      }
    };
    sample();
    const timer = setInterval(sample, 20);
    return {
      stop: () => {
        sample();
        clearInterval(timer);
        return Math.round(peak / 1024);
      },
    };
  }

  private stopped = false;

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.agent.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill(this.profiling ? 'SIGUSR2' : 'SIGTERM');
    await exited;
  }
}

/**
 * Sends again once when a kept-alive connection was closed by the server just as the request
 * went out (ECONNRESET): the request never reached it.
 */
async function retryOnReset<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ECONNRESET') {
      throw new Error(`${what}: ${String(error)}`, { cause: error });
    }
    return send();
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        done(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/** Runs a set-up step and prints how long it took. */
async function timedStep<T>(label: string, work: () => Promise<T>): Promise<T> {
  return (await measured(label, work)).result;
}

async function measured<T>(
  label: string,
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number }> {
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  console.log(`  ${label}: ${fmt(seconds, 1)} s`);
  return { result, seconds };
}

function numberOption(options: BenchOptions, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
  return n;
}

function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
}
