import {
  loadOrCreateTls,
  startEmulator,
  type EmulatorHandle,
  type TlsMaterial,
} from '@audience-sync/dataverse-emulator';
import { createServer, type Server } from 'node:https';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Agent, request } from 'undici';
import type { BenchOptions } from './index';
import { printTable, timed } from './support/measure';

/**
 * `npm run bench -- emulator [--contacts=1000000] [--calls=1000]`
 *
 * The Dataverse emulator must never be the bottleneck of the project's benchmarks. Measures,
 * over real HTTPS with one keep-alive connection:
 * - AddListMembersList with 1,000 members per call (`--calls` calls, new members each call:
 *   the default fills one list with 1,000,000 members);
 * - GET contacts pages of 5,000 rows (following @odata.nextLink through the whole table);
 * - heap of the emulator's state with `--contacts` contacts and the members added.
 * Baseline in the same run: the same requests to a trivial HTTPS handler in the same process —
 * it parses the same AddListMembersList bodies and answers 204, and replays the very pages the
 * emulator sent (all 200 distinct ones: parsing one page over and over would flatter the client,
 * as V8 then finds every string value already in its string table) — i.e. TLS + HTTP + the
 * client's JSON work without any emulator. Emulator work = emulator − baseline.
 */
export const bench = {
  describe: 'Dataverse emulator: AddListMembersList ×1000 members, 5,000-row pages, memory',
  run: async (options: BenchOptions) => {
    const contacts = numberOption(options, 'contacts', 1_000_000);
    const calls = numberOption(options, 'calls', 1000);
    const gc = exposeGc();
    gc();
    const heapBefore = usedMemory();
    const { result: emu, seconds: startSeconds } = await timed(() =>
      startEmulator({
        contacts,
        seed: 7,
        // Measure the emulator, not service protection: the projection below applies the real limits.
        limits: { maxRequests: 1e9, maxExecutionMs: 1e12 },
      }),
    );
    const agent = new Agent({ connect: { ca: emu.caCertPem }, connections: 1 });
    try {
      const token = await appToken(emu, agent);
      const headers = {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        'odata-version': '4.0',
        'odata-maxversion': '4.0',
        'content-type': 'application/json',
      };
      const listid = await createList(emu, agent, headers);
      // Bodies are built before each timed request (and not kept: they would weigh on the heap).
      const body = (call: number) =>
        JSON.stringify({
          List: { listid, '@odata.type': 'Microsoft.Dynamics.CRM.list' },
          Members: emu.contacts.all((call * 1000) % contacts, 1000).map(({ contactid }) => ({
            contactid,
            '@odata.type': 'Microsoft.Dynamics.CRM.contact',
          })),
        });
      const add = await measure(
        calls,
        body,
        async (text) => {
          const res = await request(`${emu.apiUrl}/AddListMembersList`, {
            method: 'POST',
            headers,
            body: text,
            dispatcher: agent,
          });
          await res.body.dump();
          if (res.statusCode !== 204)
            throw new Error(`AddListMembersList answered ${res.statusCode}`);
        },
        true,
      );
      const members = emu.lists.get(listid)?.membercount ?? 0;
      // The state is complete (reading pages changes nothing): measure it before pages are kept.
      gc();
      const heapState = usedMemory() - heapBefore;
      const rssState = process.memoryUsage.rss();

      let next: string | undefined;
      let pageBytes = 0;
      let lastPage = '';
      /** The pages as sent, for the baseline to replay (kept outside the timed part). */
      const sent: Buffer[] = [];
      const pages = Math.ceil(contacts / 5000);
      const page = await measure(
        pages,
        () => {
          if (lastPage) sent.push(Buffer.from(lastPage));
          return '';
        },
        async () => {
          const res = await request(
            next ??
              `${emu.apiUrl}/contacts?$select=contactid,fullname,emailaddress1,telephone1,address1_city,modifiedon`,
            {
              headers: { ...headers, prefer: 'odata.maxpagesize=5000' },
              dispatcher: agent,
            },
          );
          const text = await res.body.text();
          pageBytes = Math.max(pageBytes, text.length);
          lastPage = text;
          next = (JSON.parse(text) as { '@odata.nextLink'?: string })['@odata.nextLink'];
        },
      );
      sent.push(Buffer.from(lastPage));
      const projection = emu.projection();

      // Baseline: a trivial HTTPS handler, the same requests, replaying the emulator's pages.
      const tls = await loadOrCreateTls();
      const baseline = await trivialServer(tls, sent);
      const baseAgent = new Agent({ connect: { ca: tls.caCertPem }, connections: 1 });
      try {
        const baseAdd = await measure(
          calls,
          body,
          async (text) => {
            const res = await request(`${baseline.url}/add`, {
              method: 'POST',
              headers,
              body: text,
              dispatcher: baseAgent,
            });
            await res.body.dump();
          },
          true,
        );
        const basePage = await measure(
          pages,
          () => '',
          async () => {
            const res = await request(`${baseline.url}/page`, { headers, dispatcher: baseAgent });
            JSON.parse(await res.body.text());
          },
        );
        console.log(
          `contacts: ${contacts.toLocaleString('en-US')} (seeded in ${startSeconds.toFixed(2)} s); list members after the run: ${members.toLocaleString('en-US')}; page size ${(pageBytes / 1024).toFixed(0)} KiB`,
        );
        printTable('Latency over HTTPS, one connection (ms)', [
          row('AddListMembersList, 1,000 members', calls, add, baseAdd),
          row('GET contacts, 5,000-row page', pages, page, basePage),
        ]);
        printTable('Memory', [
          {
            state: `${contacts.toLocaleString('en-US')} contacts + ${members.toLocaleString('en-US')} list members`,
            'heap + array buffers MiB': Math.round(heapState / 1024 / 1024),
            'bytes per contact+member': Math.round(heapState / Math.max(1, contacts + members)),
            'process RSS MiB': Math.round(rssState / 1024 / 1024),
          },
        ]);
        printTable('Projection: least wall time of these requests under the real limits', [
          {
            requests: projection.requests,
            'modeled execution s': Math.round(projection.executionMs / 1000),
            'minimum s': projection.minimumSeconds,
            binding: projection.bindingLimit,
          },
        ]);
      } finally {
        await baseAgent.close();
        await new Promise<void>((resolve) =>
          baseline.server.close(() => {
            resolve();
          }),
        );
      }
    } finally {
      await agent.close();
      await emu.stop();
    }
  },
};

interface Latency {
  median: number;
  p95: number;
  max: number;
  /** CPU time of the whole process (server and client) per request: robust to a busy machine. */
  cpuMs: number;
}

/**
 * Times `fn` `count` times, sequentially; `prepare` runs before each and is not timed. With
 * `collect`, a young-generation GC follows each `prepare` (untimed): building an
 * AddListMembersList body leaves ~1,000 objects of garbage that would otherwise be collected,
 * and charged, inside the next timed request (emulator and baseline alike). Page reads make no
 * such garbage in `prepare` and are timed with every collection they cause.
 */
async function measure(
  count: number,
  prepare: (i: number) => string,
  fn: (prepared: string) => Promise<void>,
  collect = false,
): Promise<Latency> {
  const samples: number[] = [];
  let cpu = 0;
  for (let i = 0; i < count; i += 1) {
    const prepared = prepare(i);
    if (collect) collectYoung();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await fn(prepared);
    samples.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu += (used.user + used.system) / 1000;
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { median: at(0.5), p95: at(0.95), max: samples[samples.length - 1], cpuMs: cpu / count };
}

function row(
  name: string,
  count: number,
  emu: Latency,
  base: Latency,
): Record<string, string | number> {
  return {
    request: name,
    count,
    'emulator median': round(emu.median),
    'emulator p95': round(emu.p95),
    'baseline median': round(base.median),
    'baseline p95': round(base.p95),
    'emulator work (median − baseline)': round(emu.median - base.median),
    'emulator CPU ms/req': round(emu.cpuMs),
    'baseline CPU ms/req': round(base.cpuMs),
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

async function appToken(emu: EmulatorHandle, agent: Agent): Promise<string> {
  const res = await request(`${emu.authority}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: emu.clientId,
      client_secret: emu.clientSecret,
      grant_type: 'client_credentials',
      scope: emu.scope,
    }).toString(),
    dispatcher: agent,
  });
  return ((await res.body.json()) as { access_token: string }).access_token;
}

async function createList(
  emu: EmulatorHandle,
  agent: Agent,
  headers: Record<string, string>,
): Promise<string> {
  const res = await request(`${emu.apiUrl}/lists`, {
    method: 'POST',
    headers: { ...headers, prefer: 'return=representation' },
    body: JSON.stringify({ listname: 'bench', createdfromcode: 2 }),
    dispatcher: agent,
  });
  return ((await res.body.json()) as { listid: string }).listid;
}

/** The baseline: reads the body, answers 204 to POST and the recorded pages, in turn, to GET. */
async function trivialServer(
  tls: TlsMaterial,
  pages: Buffer[],
): Promise<{ server: Server; url: string }> {
  let served = 0;
  const server = createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST') {
        JSON.parse(Buffer.concat(chunks).toString());
        res.writeHead(204).end();
      } else {
        const page = pages[served % pages.length];
        served += 1;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': page.length });
        res.end(page);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `https://127.0.0.1:${port}` };
}

function numberOption(options: BenchOptions, name: string, fallback: number): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new Error(`--${name} needs a value: --${name}=<n>`);
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
  return n;
}

/** JS heap plus typed-array memory (the emulator keeps its large number tables off-heap). */
function usedMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** `global.gc` without restarting node with --expose-gc. */
/** A young-generation (scavenge) collection. */
function collectYoung(): void {
  (exposeGc() as (options: { type: 'minor' }) => void)({ type: 'minor' });
}

let exposedGc: (() => void) | undefined;

function exposeGc(): () => void {
  if (!exposedGc) {
    setFlagsFromString('--expose-gc');
    exposedGc = runInNewContext('gc') as () => void;
  }
  return exposedGc;
}
