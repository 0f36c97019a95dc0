import { Db } from '@platform/database/db.service';
import { StageCanceled, type StageFigures } from '@stages/contract/stage';
import { UnificationService } from '@stages/unification/unification.service';
import { otherProcess, type OtherProcess } from './support/other-process';
import { startTestApp } from './support/test-app';
import { EMAIL_AND_PHONE_RULES, TestSources } from './unification-seed';
import { closeAll } from './support/close-all';

type App = Awaited<ReturnType<typeof startTestApp>>;

const LOCK = 'unification';

/** Another process (the CLI) holding the unification lock; `as` gives it another host. */
async function holdLock(t: App, as?: { host: string; pid: number }): Promise<OtherProcess> {
  const other = await otherProcess({ dataDir: t.dataDir, databaseUrl: t.database.url }, { as });
  await other.locks.acquire(LOCK, 'unification', 'unexpected: the lock is held');
  return other;
}

/** The row a holder that stopped renewing leaves behind (its heartbeat ran out an hour ago). */
async function leaveExpiredLock(t: App): Promise<void> {
  await t.app.get(Db).query(
    `INSERT INTO run_lock (name, token, owner, host, pid, boot_id, acquired_at, expires_at)
       VALUES (?, 'stale', 'unification', 'other-host', 4242, 'boot', '2026-01-01T00:00:00.000Z', ?)`,
    [LOCK, Date.now() - 3_600_000],
  );
}

async function lockRows(t: App): Promise<number> {
  return (await t.app.get(Db).query('SELECT name FROM run_lock WHERE name = ?', [LOCK])).length;
}

describe('unification runs', () => {
  let t: App;
  beforeAll(async () => {
    t = await startTestApp();
    const sources = new TestSources(t);
    const crm = await sources.create({
      name: 'crm',
      primaryKey: 'id',
      mapping: { email: 'email', phone: 'phone' },
    });
    await sources.upload(crm, [
      { id: '1', email: 'a@x.com', phone: '1' },
      { id: '2', email: 'a@x.com' },
      { id: '3', email: 'b@x.com', phone: '1' },
    ]);
    await t
      .api()
      .put('/api/unification', {
        rules: EMAIL_AND_PHONE_RULES,
      })
      .expect(200);
  });
  afterAll(() => closeAll(t));

  it('reports the last run and that none is running', async () => {
    const before = await t.api().get('/api/unification/status').expect(200);
    expect(before.body).toEqual({ running: null, lastRun: null });
    const run = await t.api().post('/api/unification/run').expect(200);
    expect(run.body).toMatchObject({
      status: 'succeeded',
      sourceRecords: 3,
      customers: 1,
      recordsMerged: 2,
    });
    const after = await t.api().get('/api/unification/status').expect(200);
    expect(after.body.running).toBeNull();
    expect(after.body.lastRun).toEqual(run.body);
    expect(await lockRows(t)).toBe(0);
  });

  it('answers 409 while another process runs unification, naming it', async () => {
    const cli = await holdLock(t, { host: 'other-host', pid: 4242 });
    try {
      const res = await t.api().post('/api/unification/run').expect(409);
      expect(res.body.message).toMatch(
        /^A unification is already running \(started .* by other-host \(pid 4242\)\)/,
      );
      const status = await t.api().get('/api/unification/status').expect(200);
      expect(status.body.running).toMatchObject({ runner: 'other-host:4242' });
    } finally {
      await cli.close();
    }
  });

  it('takes over a lock whose holder stopped renewing it, or died on this host', async () => {
    await leaveExpiredLock(t);
    await t.api().post('/api/unification/run').expect(200);
    expect(await lockRows(t)).toBe(0);
    const cli = await holdLock(t);
    await t.api().post('/api/unification/run').expect(409);
    await cli.crash();
    await t.api().post('/api/unification/run').expect(200);
    expect(await lockRows(t)).toBe(0);
  });

  it('says when there is nothing to cancel', async () => {
    const res = await t.api().post('/api/unification/cancel').expect(409);
    expect(res.body.message).toBe('No unification is running in this server');
  });

  it('runs as the refresh stage, with progress, and waits for a running unification', async () => {
    const service = t.app.get(UnificationService);
    const progress: StageFigures[] = [];
    const outcome = await service.runStage({
      signal: new AbortController().signal,
      progress: (f) => progress.push(f),
    });
    expect(outcome).toMatchObject({
      status: 'succeeded',
      errors: [],
      figures: { sourceRecords: 3, customers: 1, 'merges[email]': 1, 'merges[phone]': 1 },
    });
    expect(progress.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['reading', 'matching', 'writing']),
    );

    const cli = await holdLock(t, { host: 'other-host', pid: 4242 });
    const waiting: StageFigures[] = [];
    const stage = service.runStage({
      signal: new AbortController().signal,
      progress: (f) => waiting.push(f),
    });
    // Its first report comes once it has found the lock taken (a fixed 300 ms was once too
    // short on a busy machine, on PostgreSQL).
    const deadline = Date.now() + 10_000;
    while (waiting.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(waiting[0]).toEqual({ phase: 'waiting for the unification that is running to end' });
    expect(waiting.some((p) => p.phase === 'reading')).toBe(false);
    await cli.close();
    expect((await stage).status).toBe('succeeded');
  });

  it('stops with StageCanceled when the refresh is canceled', async () => {
    const service = t.app.get(UnificationService);
    const controller = new AbortController();
    controller.abort();
    await expect(
      service.runStage({ signal: controller.signal, progress: () => undefined }),
    ).rejects.toBeInstanceOf(StageCanceled);
    expect(await lockRows(t)).toBe(0);
  });

  it('warns (status partial) when a rule names a field no source maps any more', async () => {
    const sources = new TestSources(t);
    const other = await sources.create({
      name: 'shop',
      primaryKey: 'id',
      mapping: { email: 'email', loyalty: 'tier' },
    });
    await sources.upload(other, [{ id: 's1', email: 'A@x.com', tier: 'gold' }]);
    await t
      .api()
      .put('/api/unification', {
        rules: [{ name: 'tier', conditions: [{ field: 'loyalty', match: 'exact' }] }],
      })
      .expect(200);
    await t
      .api()
      .delete(`/api/sources/${other.id}`)
      .expect((res) => {
        expect([200, 204]).toContain(res.status);
      });
    const run = await t.api().post('/api/unification/run').expect(200);
    expect(run.body.status).toBe('partial');
    expect(run.body.warnings).toEqual([
      'rules[0].conditions[0].field: no source maps "loyalty" any more, so rule "tier" matches nothing',
    ]);
    // The shop record's customer is gone with its source; crm's three records are apart now.
    expect(run.body).toMatchObject({ sourceRecords: 3, customers: 3 });
    const outcome = await t.app.get(UnificationService).runStage({
      signal: new AbortController().signal,
      progress: () => undefined,
    });
    expect(outcome.status).toBe('partial');
    expect(outcome.errors).toHaveLength(1);
  });
});
