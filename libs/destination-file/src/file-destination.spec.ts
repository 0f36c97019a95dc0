import {
  DestinationError,
  type ChangeBatch,
  type MemberRecord,
  type PluginEnvironment,
  type SegmentExportJob,
} from '@audience-sync/exporter-contract';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileDestination } from './file-destination';

const silent = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

/** A job that serves fixed members (what the core's job does from the database). */
class FakeJob implements SegmentExportJob {
  readonly syncMode = 'mirror' as const;
  readonly log = silent;
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  state: Record<string, unknown> = {};
  progressed: [number, number][] = [];
  failAfter?: number;
  abortAfter?: number;

  constructor(
    readonly destination: SegmentExportJob['destination'],
    readonly segment: SegmentExportJob['segment'],
    private readonly records: MemberRecord[],
  ) {}

  get counts() {
    return { members: this.records.length, withoutKey: 0 };
  }
  saveState(state: Record<string, unknown>) {
    this.state = state;
    return Promise.resolve();
  }
  async *members(options: { fields: string[]; batchSize?: number }) {
    const size = 2; // small batches, so failures can happen midway
    for (let i = 0; i < this.records.length; i += size) {
      if (this.failAfter !== undefined && i >= this.failAfter)
        throw new Error('database went away');
      if (this.abortAfter !== undefined && i >= this.abortAfter) this.controller.abort();
      yield this.records.slice(i, i + size).map((r) => ({
        customerId: r.customerId,
        fields: Object.fromEntries(options.fields.map((f) => [f, r.fields[f] ?? null])),
      }));
      await Promise.resolve();
    }
  }
  progress(processed: number, total: number) {
    this.progressed.push([processed, total]);
  }
  changes(): AsyncIterable<ChangeBatch> {
    throw new Error('not used by snapshot destinations');
  }
  record = () => Promise.reject(new Error('not used'));
  checkpointSize = () => Promise.reject(new Error('not used'));
  resetCheckpoint = () => Promise.reject(new Error('not used'));
  reconcile = () => Promise.reject(new Error('not used'));
}

function people(n: number, prefix = 'p'): MemberRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    customerId: `${prefix}${i}`,
    fields: { customerId: `${prefix}${i}`, email: `${prefix}${i}@example.test`, score: i },
  }));
}

describe('FileDestination', () => {
  let root: string;
  let env: PluginEnvironment;
  let plugin: FileDestination;
  const destination = (config: Record<string, unknown>) => ({
    id: 'd1',
    displayName: 'Files',
    config,
  });
  const segment = { id: 'seg-1', name: 'VIP customers', description: null };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'as-file-dest-'));
    env = {
      extraCaCertificates: [],
      allowedHosts: [],
      dataDir: join(root, 'exports'),
      allowedFolders: [join(root, 'shared')],
      logger: silent,
      now: () => new Date(),
    };
    mkdirSync(env.dataDir);
    plugin = new FileDestination(env);
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const files = (folder: string) => readdirSync(folder).sort();

  it('writes the members with the chosen fields to <folder>/<segment>.csv and remembers the file', async () => {
    const job = new FakeJob(
      destination({ folder: 'out', format: 'csv', fields: ['email', 'score'] }),
      segment,
      people(3),
    );
    const report = await plugin.exportSegment(job);
    const path = join(env.dataDir, 'out', 'VIP-customers.csv');
    expect(readFileSync(path, 'utf8')).toBe(
      'email,score\r\np0@example.test,0\r\np1@example.test,1\r\np2@example.test,2\r\n',
    );
    expect(report).toMatchObject({
      target: { id: path, name: 'VIP-customers.csv', url: `file://${path}` },
      notes: [`Wrote 3 members to ${path}.`],
    });
    expect(job.state).toEqual({ path });
    expect(files(join(env.dataDir, 'out'))).toEqual(['VIP-customers.csv']);
    expect(job.progressed.at(-1)).toEqual([3, 3]);
  });

  it('neutralizes formula cells unless formulaEscaping is false', async () => {
    const hostile: MemberRecord[] = [
      {
        customerId: 'h1',
        fields: { customerId: 'h1', email: '=HYPERLINK("https://x.test")', score: -5 },
      },
      { customerId: 'h2', fields: { customerId: 'h2', email: '@SUM(A1)', score: 1 } },
    ];
    const config = { folder: 'out', format: 'csv', fields: ['email', 'score'] };
    const path = join(env.dataDir, 'out', 'VIP-customers.csv');
    await plugin.exportSegment(new FakeJob(destination(config), segment, hostile));
    expect(readFileSync(path, 'utf8')).toBe(
      'email,score\r\n"\'=HYPERLINK(""https://x.test"")",-5\r\n"\'@SUM(A1)",1\r\n',
    );
    const raw = { ...config, formulaEscaping: false };
    await plugin.exportSegment(new FakeJob(destination(raw), segment, hostile));
    expect(readFileSync(path, 'utf8')).toBe(
      'email,score\r\n"=HYPERLINK(""https://x.test"")",-5\r\n@SUM(A1),1\r\n',
    );
  });

  it('writes NDJSON into an allowed absolute folder', async () => {
    const folder = join(root, 'shared', 'crm');
    const job = new FakeJob(
      destination({ folder, format: 'ndjson', fields: ['customerId', 'email'] }),
      segment,
      people(2),
    );
    await plugin.exportSegment(job);
    const lines = readFileSync(join(folder, 'VIP-customers.ndjson'), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      { customerId: 'p0', email: 'p0@example.test' },
      { customerId: 'p1', email: 'p1@example.test' },
    ]);
  });

  it('replaces the file at the next export', async () => {
    const config = { folder: 'out', format: 'csv', fields: ['customerId'] };
    await plugin.exportSegment(new FakeJob(destination(config), segment, people(5)));
    await plugin.exportSegment(new FakeJob(destination(config), segment, people(2, 'q')));
    expect(readFileSync(join(env.dataDir, 'out', 'VIP-customers.csv'), 'utf8')).toBe(
      'customerId\r\nq0\r\nq1\r\n',
    );
    expect(files(join(env.dataDir, 'out'))).toEqual(['VIP-customers.csv']);
  });

  it('keeps the previous file whole when an export fails midway or is canceled', async () => {
    const config = { folder: 'out', format: 'csv', fields: ['customerId'] };
    await plugin.exportSegment(new FakeJob(destination(config), segment, people(2)));
    const before = readFileSync(join(env.dataDir, 'out', 'VIP-customers.csv'), 'utf8');

    const failing = new FakeJob(destination(config), segment, people(10, 'x'));
    failing.failAfter = 4;
    await expect(plugin.exportSegment(failing)).rejects.toMatchObject({
      name: 'DestinationError',
      code: 'PERMANENT',
      message: expect.stringContaining('database went away'),
    });
    const canceled = new FakeJob(destination(config), segment, people(10, 'y'));
    canceled.abortAfter = 4;
    await expect(plugin.exportSegment(canceled)).rejects.toMatchObject({ code: 'CANCELED' });

    expect(readFileSync(join(env.dataDir, 'out', 'VIP-customers.csv'), 'utf8')).toBe(before);
    expect(files(join(env.dataDir, 'out'))).toEqual(['VIP-customers.csv']);
  });

  it('removes the file of a renamed segment', async () => {
    const config = { folder: 'out', format: 'csv', fields: ['customerId'] };
    const first = new FakeJob(destination(config), segment, people(1));
    await plugin.exportSegment(first);
    const renamed = new FakeJob(destination(config), { ...segment, name: 'Gold' }, people(1));
    renamed.state = first.state;
    const report = await plugin.exportSegment(renamed);
    expect(files(join(env.dataDir, 'out'))).toEqual(['Gold.csv']);
    expect(report.notes).toContain(
      "Removed VIP-customers.csv, the segment's previous file (renamed segment or format).",
    );
  });

  it('refuses folders outside the allowed places, with the field named', async () => {
    expect(plugin.validateConfig({ folder: '../../etc', format: 'csv', fields: ['x'] })).toEqual([
      { path: 'folder', message: 'a relative folder must stay inside DATA_DIR/exports (no "..")' },
    ]);
    expect(plugin.validateConfig({ folder: '/etc', format: 'csv', fields: ['x'] })[0].path).toBe(
      'folder',
    );
    expect(plugin.validateConfig({ folder: 'fine', format: 'csv', fields: ['x'] })).toEqual([]);
    const job = new FakeJob(
      destination({ folder: '/etc', format: 'csv', fields: ['x'] }),
      segment,
      people(1),
    );
    await expect(plugin.exportSegment(job)).rejects.toBeInstanceOf(DestinationError);
    await expect(plugin.exportSegment(job)).rejects.toMatchObject({ code: 'CONFIG' });
  });

  it('says clearly when the folder is a file', async () => {
    writeFileSync(join(env.dataDir, 'taken'), 'x');
    const job = new FakeJob(
      destination({ folder: 'taken', format: 'csv', fields: ['x'] }),
      segment,
      people(1),
    );
    await expect(plugin.exportSegment(job)).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringContaining('cannot be used as a folder'),
    });
  });

  it('tests the connection without writing anything', async () => {
    const missing = await plugin.testConnection(destination({ folder: 'later/deeper' }));
    expect(missing).toEqual({
      ok: true,
      message: `The folder ${join(env.dataDir, 'later', 'deeper')} will be created at the first export (${env.dataDir} is writable).`,
      details: { folder: join(env.dataDir, 'later', 'deeper') },
    });
    expect(files(env.dataDir)).toEqual([]);
    const here = await plugin.testConnection(destination({ folder: '.' }));
    expect(here).toMatchObject({
      ok: true,
      message: `The folder ${env.dataDir} exists and is writable.`,
    });
    const refused = await plugin.testConnection(destination({ folder: '/etc' }));
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(
      /^The folder is not allowed: absolute folder \/etc is not allowed/,
    );
  });
});
