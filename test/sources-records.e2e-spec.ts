import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Db } from '@platform/database/db.service';
import { RunLocks } from '@platform/locks/run-locks';
import { StageCanceled, standaloneContext } from '@stages/contract/stage';
import { RecordWriter } from '@stages/sources/record-writer';
import { SourceTypeRegistry, claimIngest } from '@stages/sources/source-types';
import type { IngestSummary } from '@stages/sources/source.entity';
import { SourcesService } from '@stages/sources/sources.service';
import { otherProcess } from './support/other-process';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

/**
 * The record writer (full replace and incremental patch, as the Dataverse reader will use
 * them), the ingest lock, clean-up after interrupted ingests, and the refresh's ingest stage,
 * against the real store. Results are read back through the HTTP API.
 */
describe('source records: writer, lock, clean-up, refresh stage', () => {
  let t: TestApp & { database: Awaited<ReturnType<typeof startTestApp>>['database'] };
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => closeAll(t));

  const summary = (rowsStored: number): IngestSummary => ({
    status: 'succeeded',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    rowsRead: rowsStored,
    rowsStored,
    rowsRejected: 0,
    errors: [],
  });

  async function createSource(type = 'csv'): Promise<{ id: string; name: string }> {
    const name = `src-${++n}`;
    const res = await t
      .api()
      .post('/api/sources', {
        name,
        type,
        primaryKey: 'ContactId',
        mapping: { email: 'Email', ltv: { column: 'LTV', type: 'number' } },
      })
      .expect(201);
    return { id: res.body.id as string, name };
  }

  async function keys(id: string): Promise<string[]> {
    const res = await t.api().get(`/api/sources/${id}/records?limit=1000`).expect(200);
    return (res.body.items as { key: string }[]).map((r) => r.key);
  }

  async function rowsOf(id: string): Promise<{ all: number; staged: number }> {
    const db = t.app.get(Db);
    const all = await db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM source_record WHERE source_id = ?',
      [id],
    );
    const staged = await db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM source_record_change WHERE source_id = ?',
      [id],
    );
    return { all: Number(all[0].n), staged: Number(staged[0].n) };
  }

  async function replaceWith(id: string, name: string, records: string[]): Promise<void> {
    const lease = await claimIngest(t.app.get(RunLocks), { id, name });
    try {
      const session = await t.app.get(RecordWriter).startReplace(lease);
      await session.write(
        records.map((key, i) => ({
          key,
          fields: { email: `${key}@x`, ltv: i },
          raw: {},
          lastModified: null,
        })),
      );
      await session.publish({ lastIngest: summary(records.length) });
    } finally {
      await lease.lock.release();
    }
  }

  it('replaces: the new generation is invisible until published, then the old one is gone', async () => {
    const { id, name } = await createSource();
    await replaceWith(id, name, ['a', 'b', 'c']);
    const lease = await claimIngest(t.app.get(RunLocks), { id, name });
    const session = await t.app.get(RecordWriter).startReplace(lease);
    await session.write([
      {
        key: 'c',
        fields: '{"email":"new-c"}',
        raw: '{"Note":"x"}',
        lastModified: '2024-01-01T00:00:00.000Z',
      },
      { key: 'd', fields: { ltv: 4 }, raw: {}, lastModified: null },
    ]);
    expect(await keys(id)).toEqual(['a', 'b', 'c']);
    await session.publish({ lastIngest: summary(2), readerState: { deltaLink: 'x' } });
    await lease.lock.release();
    expect(await keys(id)).toEqual(['c', 'd']);
    const page = await t.api().get(`/api/sources/${id}/records`).expect(200);
    expect(page.body.items[0]).toEqual({
      key: 'c',
      fields: { email: 'new-c' },
      raw: { Note: 'x' },
      lastModified: '2024-01-01T00:00:00.000Z',
    });
    expect(await rowsOf(id)).toEqual({ all: 2, staged: 0 });
    const source = await t.app.get(SourcesService).find(id);
    expect(source).toMatchObject({ recordCount: 2, readerState: { deltaLink: 'x' } });
  });

  it('discards a replace that failed half-way, keeping the previous records', async () => {
    const { id, name } = await createSource();
    await replaceWith(id, name, ['a', 'b']);
    const lease = await claimIngest(t.app.get(RunLocks), { id, name });
    const session = await t.app.get(RecordWriter).startReplace(lease);
    await session.write([{ key: 'z', fields: {}, raw: {}, lastModified: null }]);
    await session.discard();
    await lease.lock.release();
    expect(await keys(id)).toEqual(['a', 'b']);
    expect(await rowsOf(id)).toEqual({ all: 2, staged: 0 });
  });

  it('clears generations and staged changes larger than one delete chunk, exactly', async () => {
    const { id, name } = await createSource();
    const many = (prefix: string, n: number): string[] =>
      Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(5, '0')}`);
    await replaceWith(id, name, many('k', 12_345)); // two full chunks of 5,000 and a last one
    expect(await rowsOf(id)).toEqual({ all: 12_345, staged: 0 });
    await replaceWith(id, name, many('n', 10_000)); // exactly two chunks, then an empty last one
    expect(await rowsOf(id)).toEqual({ all: 10_000, staged: 0 });
    expect((await keys(id)).slice(0, 2)).toEqual(['n00000', 'n00001']);

    const lease = await claimIngest(t.app.get(RunLocks), { id, name });
    const patch = await t.app.get(RecordWriter).startPatch(lease);
    await patch.remove(many('n', 7_000));
    await patch.discard(); // 7,000 staged changes dropped
    await lease.lock.release();
    expect(await rowsOf(id)).toEqual({ all: 10_000, staged: 0 });

    await t.api().delete(`/api/sources/${id}`).expect(204);
    expect(await rowsOf(id)).toEqual({ all: 0, staged: 0 });
  });

  it('patches: upserts and deletes become visible all at once, the last change of a key wins', async () => {
    const { id, name } = await createSource();
    await replaceWith(id, name, ['a', 'b', 'c']);
    const lease = await claimIngest(t.app.get(RunLocks), { id, name });
    const patch = await t.app.get(RecordWriter).startPatch(lease);
    await patch.upsert([
      { key: 'b', fields: { email: 'first' }, raw: {}, lastModified: null },
      { key: 'b', fields: { email: 'second' }, raw: {}, lastModified: null },
      { key: 'e', fields: { email: 'e' }, raw: {}, lastModified: '2024-02-02T00:00:00.000Z' },
    ]);
    await patch.remove(['c', 'missing', 'c']);
    await patch.upsert([{ key: 'f', fields: {}, raw: {}, lastModified: null }]);
    await patch.remove(['f']);
    expect(await keys(id)).toEqual(['a', 'b', 'c']);
    const count = await patch.apply({ lastIngest: summary(3), readerState: { deltaLink: 'next' } });
    await lease.lock.release();
    expect(count).toBe(3);
    expect(await keys(id)).toEqual(['a', 'b', 'e']);
    const page = await t.api().get(`/api/sources/${id}/records`).expect(200);
    expect(page.body.items[1]).toMatchObject({ key: 'b', fields: { email: 'second' } });
    const source = await t.api().get(`/api/sources/${id}`).expect(200);
    expect(source.body).toMatchObject({ recordCount: 3, lastIngest: { rowsStored: 3 } });
    expect(await rowsOf(id)).toEqual({ all: 3, staged: 0 });
  });

  it('patches a source that has no records yet, and drops a discarded patch', async () => {
    const { id, name } = await createSource();
    const lease = await claimIngest(t.app.get(RunLocks), { id, name });
    const writer = t.app.get(RecordWriter);
    const patch = await writer.startPatch(lease);
    await patch.upsert([{ key: 'x', fields: {}, raw: {}, lastModified: null }]);
    expect(await patch.apply({ lastIngest: summary(1) })).toBe(1);
    const dropped = await writer.startPatch(lease);
    await dropped.upsert([{ key: 'y', fields: {}, raw: {}, lastModified: null }]);
    await dropped.discard();
    await lease.lock.release();
    expect(await keys(id)).toEqual(['x']);
    expect(await rowsOf(id)).toEqual({ all: 1, staged: 0 });
  });

  it('lets one ingest hold a source at a time, across processes, until released or its holder dies', async () => {
    const { id, name } = await createSource();
    const locks = t.app.get(RunLocks);
    const cli = await otherProcess({ dataDir: t.dataDir, databaseUrl: t.database.url });
    try {
      const lease = await claimIngest(cli.locks, { id, name });
      await expect(claimIngest(locks, { id, name })).rejects.toThrow(
        `an ingest of source "${name}" is already running`,
      );
      expect((await t.api().get(`/api/sources/${id}`)).body.ingesting).toBe(true);
      await lease.lock.release();
      expect((await t.api().get(`/api/sources/${id}`)).body.ingesting).toBe(false);

      // A process killed mid-ingest does not block the source: its lock is taken over.
      await claimIngest(cli.locks, { id, name });
      await cli.crash();
      expect((await t.api().get(`/api/sources/${id}`)).body.ingesting).toBe(false);
      const next = await claimIngest(locks, { id, name });
      expect((await t.api().get(`/api/sources/${id}`)).body.ingesting).toBe(true);
      await next.lock.release();
      expect((await t.api().get(`/api/sources/${id}`)).body.ingesting).toBe(false);
    } finally {
      await cli.close();
    }
  });

  it('cleans up after an ingest killed mid-way: at start-up, or at the next ingest', async () => {
    const { id, name } = await createSource();
    const held = await createSource();
    await replaceWith(id, name, ['a', 'b']);
    await replaceWith(held.id, held.name, ['a']);
    const db = t.app.get(Db);
    const writer = t.app.get(RecordWriter);
    const orphan = '00000000-0000-0000-0000-00000000dead';
    const leftovers = async (sourceId: string, generation: number, staged = true) => {
      await db.atomic([
        ...writer.insertStatements('source_record', [
          [sourceId, generation, 'left-1', '{}', '{}', null],
          [sourceId, generation, 'left-2', '{}', '{}', null],
        ]),
        ...(staged
          ? writer.insertStatements('source_record_change', [
              [sourceId, 'staged', 'u', '{}', '{}', null],
            ])
          : []),
      ]);
    };
    const current = (await t.app.get(SourcesService).find(id)).currentGeneration;
    await leftovers(id, current + 1);
    await leftovers(id, current - 1, false);
    await leftovers(held.id, 99);
    await leftovers(orphan, 1);
    // `held` is a source whose ingest is still running in another process.
    const cli = await otherProcess({ dataDir: t.dataDir, databaseUrl: t.database.url });
    await claimIngest(cli.locks, held);
    expect(await rowsOf(id)).toEqual({ all: 6, staged: 1 });

    await t.stop();
    t = await startTestApp({ reuse: { dataDir: t.dataDir, database: t.database } });
    expect(await rowsOf(id)).toEqual({ all: 2, staged: 0 });
    expect(await keys(id)).toEqual(['a', 'b']);
    expect(await rowsOf(orphan)).toEqual({ all: 0, staged: 0 });
    expect(await rowsOf(held.id)).toEqual({ all: 3, staged: 1 });

    // Once that process is gone, the next ingest of the source cleans up before it starts.
    await cli.crash();
    const header = 'ContactId,Email,LTV\n';
    await t
      .api()
      .post(`/api/sources/${held.id}/upload`)
      .set('Content-Type', 'text/csv')
      .send(`${header}n1,x,1\n`)
      .expect(200);
    expect(await rowsOf(held.id)).toEqual({ all: 1, staged: 0 });
  });

  it('finds duplicate keys set-wise in the stage, keeping the first row of a key', async () => {
    const { id } = await createSource();
    const lines = ['ContactId,Email,LTV'];
    const expected = new Map<string, number>();
    const duplicateLines: number[] = [];
    for (let i = 0; i < 200; i++) {
      const key = `k${(i * 37) % 150}`; // rows 150-199 repeat earlier keys
      lines.push(`${key},e${i},${i}`);
      if (expected.has(key)) duplicateLines.push(i + 2);
      else expected.set(key, i);
    }
    const res = await t
      .api()
      .post(`/api/sources/${id}/upload`)
      .set('Content-Type', 'text/csv')
      .send(lines.join('\n'))
      .expect(200);
    expect(res.body).toMatchObject({ rowsRead: 200, rowsStored: 150, rowsRejected: 50 });
    expect((res.body.errors as { line: number }[]).map((e) => e.line)).toEqual(duplicateLines);
    expect(res.body.errors[0].message).toBe(
      `duplicate primary key "k0": an earlier row has the same key (the first one is kept)`,
    );
    const page = await t.api().get(`/api/sources/${id}/records?limit=1000`).expect(200);
    const stored = page.body.items as { key: string; fields: { ltv: number } }[];
    expect(stored).toHaveLength(150);
    for (const r of stored) expect(r.fields.ltv).toBe(expected.get(r.key));
  });

  describe('the refresh stage (SourcesService.refreshAll)', () => {
    it('keeps uploaded sources, reads remote ones, and reports each', async () => {
      const service = t.app.get(SourcesService);
      const registry = t.app.get(SourceTypeRegistry);
      const reads: string[] = [];
      registry.register({
        type: 'test-remote',
        description: 'a remote type for this test',
        remote: true,
        uploads: false,
        normalizeOptions: () => ({ options: {}, errors: [] }),
        read: async (source, { writer, lease, stage }) => {
          reads.push(source.name);
          if (source.name.endsWith('-fails')) throw new Error('the server said no');
          const session = await writer.startReplace(lease);
          await session.write([{ key: 'r1', fields: {}, raw: {}, lastModified: null }]);
          stage.progress({ read: 1 });
          const done = summary(1);
          await session.publish({ lastIngest: done });
          return done;
        },
      });
      const before = await service.refreshAll(standaloneContext());
      const sources = (await t.api().get('/api/sources').expect(200)).body as {
        name: string;
        recordCount: number;
      }[];
      expect(before).toEqual({
        status: 'succeeded',
        figures: {
          sources: sources.length,
          sourcesRead: 0,
          sourcesKept: sources.length,
          sourcesFailed: 0,
          records: sources.reduce((sum, s) => sum + s.recordCount, 0),
          kept: sources.map((s) => s.name).join(', '),
        },
        errors: [],
      });

      const remote = await createSource('test-remote');
      const failing = await t
        .api()
        .post('/api/sources', {
          name: `${remote.name}-fails`,
          type: 'test-remote',
          primaryKey: 'id',
          mapping: {},
        })
        .expect(201);
      const progress: unknown[] = [];
      const outcome = await service.refreshAll({
        signal: new AbortController().signal,
        progress: (f) => progress.push(f),
      });
      expect(reads).toEqual([remote.name, `${remote.name}-fails`]);
      expect(outcome.status).toBe('partial');
      expect(outcome.figures).toMatchObject({
        sourcesRead: 1,
        sourcesFailed: 1,
        sourcesKept: sources.length,
      });
      expect(outcome.errors).toEqual([`source "${remote.name}-fails": the server said no`]);
      expect(progress.length).toBeGreaterThan(0);
      expect(await keys(remote.id)).toEqual(['r1']);
      // Uploads go only to types that take them.
      const upload = await t
        .api()
        .post(`/api/sources/${remote.id}/upload`)
        .set('Content-Type', 'text/csv')
        .send('id\n1\n')
        .expect(400);
      expect(upload.body.message).toBe(
        `file: source "${remote.name}" is a test-remote source: its records are read by the refresh, not uploaded`,
      );
      await t.api().delete(`/api/sources/${failing.body.id}`).expect(204);
      await t.api().delete(`/api/sources/${remote.id}`).expect(204);
    });

    it('stops between sources when canceled', async () => {
      const controller = new AbortController();
      controller.abort();
      await expect(
        t.app.get(SourcesService).refreshAll(standaloneContext(controller.signal)),
      ).rejects.toBeInstanceOf(StageCanceled);
    });
  });

  it('reads the fixture files the upload specs use (sanity of the byte-exact fixtures)', () => {
    const bytes = readFileSync(join(__dirname, 'fixtures', 'csv', 'contacts.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.includes('\r\n')).toBe(true);
  });
});
