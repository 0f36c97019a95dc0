import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { otherProcess, type OtherProcess } from '../../../test/support/other-process';
import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';
import { lockSessionName } from './pg-lock-session';
import { ProcessIdentity } from './process-identity';
import type { RunLockHandle } from './run-lock-handle';
import { LOCK_TTL_MS, RunLocks, type LockAttempt } from './run-locks';

function acquired(attempt: LockAttempt): RunLockHandle {
  if (!attempt.acquired) throw new Error(`expected the lock, held by ${attempt.holder.owner}`);
  return attempt.handle;
}

async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('RunLocks (two processes on one database)', () => {
  let s: SpecDb;
  let mine: RunLocks;
  let others: OtherProcess[] = [];
  const pg = () => s.db.kind === 'postgres';

  beforeAll(async () => {
    s = await openSpecDb();
    mine = new RunLocks(s.db, new ProcessIdentity());
  });
  afterEach(async () => {
    for (const other of others) await other.close();
    others = [];
  });
  afterAll(async () => {
    await mine.beforeApplicationShutdown();
    await s.close();
  });

  async function other(options: Parameters<typeof otherProcess>[1] = {}): Promise<OtherProcess> {
    const options_ = s.db.dataSource.options as { database?: string; url?: string };
    const dataDir = options_.url ? '' : String(options_.database).replace(/\/[^/]+$/, '');
    const p = await otherProcess({ dataDir, databaseUrl: options_.url }, options);
    others.push(p);
    return p;
  }

  async function lockRows(name: string): Promise<number> {
    const rows = await s.db.query('SELECT name FROM run_lock WHERE name = ?', [name]);
    return rows.length;
  }

  it('lets one process hold a name at a time, naming the holder, until it releases', async () => {
    const name = `source:${randomUUID()}`;
    const cli = await other();
    const held = acquired(await cli.locks.tryAcquire(name, 'upload'));

    const refused = await mine.tryAcquire(name, 'upload');
    expect(refused).toEqual({
      acquired: false,
      holder: expect.objectContaining({
        name,
        owner: 'upload',
        host: hostname(),
        pid: cli.identity.pid,
        acquiredAt: held.holder.acquiredAt,
      }),
    });
    await expect(mine.acquire(name, 'upload', 'an ingest is already running')).rejects.toThrow(
      'an ingest is already running',
    );
    expect(await mine.holder(name)).toMatchObject({ pid: cli.identity.pid });
    expect(await mine.heldNames('source:')).toContain(name);

    await held.release();
    expect(await lockRows(name)).toBe(0);
    expect(await mine.holder(name)).toBeUndefined();
    expect(await mine.heldNames('source:')).not.toContain(name);
    const next = acquired(await mine.tryAcquire(name, 'refresh'));
    expect(await cli.locks.holder(name)).toMatchObject({ owner: 'refresh', pid: process.pid });
    await next.release();
  });

  it('refuses a name this process holds, also to a second caller racing the first', async () => {
    const [first, second] = await Promise.all([
      mine.tryAcquire('unification', 'a'),
      mine.tryAcquire('unification', 'b'),
    ]);
    const winners = [first, second].filter((a) => a.acquired);
    expect(winners).toHaveLength(1);
    const loser = [first, second].find((a) => !a.acquired);
    expect(loser).toMatchObject({ holder: { pid: process.pid } });
    await (winners[0] as { handle: RunLockHandle }).handle.release();
    acquired(await mine.tryAcquire('unification', 'c'));
    await mine.beforeApplicationShutdown();
    expect(await lockRows('unification')).toBe(0);
  });

  it('fences the writes of a holder that lost its lock', async () => {
    const cli = await other();
    const held = acquired(await cli.locks.tryAcquire('fence', 'x'));
    const write = async (handle: RunLockHandle) =>
      (
        await s.db.atomic([
          {
            sql: `UPDATE app_setting SET value = 'y' WHERE key = ? AND ${handle.heldSql}`,
            params: ['fence.probe', ...handle.heldParams],
          },
        ])
      )[0];
    await s.db.query(
      "INSERT INTO app_setting (key, value, updated_at) VALUES ('fence.probe', 'x', '2026-01-01')",
    );
    expect(await write(held)).toBe(1);
    await cli.crash();
    const mineNow = acquired(await mine.tryAcquire('fence', 'y'));
    expect(await write(held)).toBe(0);
    expect(await write(mineNow)).toBe(1);
    await mineNow.release();
  });

  it('takes over at once from a holder whose process died (SQLite: dead pid; PostgreSQL: its session ended)', async () => {
    const cli = await other();
    acquired(await cli.locks.tryAcquire('refresh', 'run-1'));
    expect(await mine.tryAcquire('refresh', 'run-2')).toMatchObject({ acquired: false });
    await cli.crash();
    const next = acquired(await mine.tryAcquire('refresh', 'run-2'));
    expect(await mine.holder('refresh')).toMatchObject({ owner: 'run-2', pid: process.pid });
    await next.release();
  });

  it('tells a holder on PostgreSQL at once that its connection, and so its lock, is gone', async () => {
    const cli = await other();
    const held = acquired(await cli.locks.tryAcquire('refresh', 'run-1'));
    let told = false;
    held.onLost(() => (told = true));
    if (!pg()) {
      // SQLite has no connection to lose: the holder learns it at its next renewal.
      await s.db.query('DELETE FROM run_lock WHERE name = ?', ['refresh']);
      expect(await held.renew()).toBe(false);
    } else {
      await s.db.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?',
        [lockSessionName(cli.identity)],
      );
      await until(() => held.lost);
    }
    expect(told).toBe(true);
    expect(held.lost).toBe(true);
    await acquired(await mine.tryAcquire('refresh', 'run-2')).release();
    await until(async () => (await lockRows('refresh')) === 0);
  });

  it('renews with a heartbeat, and takes over a holder that stopped renewing (SQLite) or whose row outlived it', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const clock = { now: () => now };
    const cli = await other({ as: { host: 'another-host', pid: 4242 }, ...clock, renewMs: 5 });
    const held = acquired(await cli.locks.tryAcquire('unification', 'run'));
    const expiry = async () =>
      Number(
        (
          await s.db.query<{ expires_at: number | string }>(
            'SELECT expires_at FROM run_lock WHERE name = ?',
            ['unification'],
          )
        )[0]?.expires_at,
      );
    expect(await expiry()).toBe(now + LOCK_TTL_MS);
    now += 1_000;
    await until(async () => (await expiry()) === now + LOCK_TTL_MS);

    const later = new RunLocks(s.db, new ProcessIdentity(), {
      now: () => now + LOCK_TTL_MS + 1,
    });
    try {
      const attempt = await later.tryAcquire('unification', 'next');
      if (pg()) {
        // The advisory lock is the truth: a live session is never taken over for its age.
        expect(attempt).toMatchObject({ acquired: false, holder: { host: 'another-host' } });
        await cli.crash();
        acquired(await later.tryAcquire('unification', 'next'));
      } else {
        expect(attempt.acquired).toBe(true);
        expect(await held.renew()).toBe(false);
        expect(held.lost).toBe(true);
      }
      expect(await later.holder('unification')).toMatchObject({ owner: 'next' });
    } finally {
      await later.beforeApplicationShutdown();
    }
    expect(await lockRows('unification')).toBe(0);
  });

  it('takes over a row left by an earlier start of this process or a dead pid on this host', async () => {
    const { host, pid } = new ProcessIdentity().self;
    for (const [who, n] of [
      [{ pid, bootId: 'an-earlier-start' }, 1],
      [{ pid: 2 ** 30, bootId: 'dead' }, 2],
    ] as const) {
      await s.db.query(
        `INSERT INTO run_lock (name, token, owner, host, pid, boot_id, acquired_at, expires_at)
         VALUES ('left', ?, 'crashed', ?, ?, ?, '2026-01-01T00:00:00.000Z', ?)`,
        [`token-${n}`, host, who.pid, who.bootId, Date.now() + LOCK_TTL_MS],
      );
      expect(await mine.holder('left')).toBeUndefined();
      const handle = acquired(await mine.tryAcquire('left', 'fresh'));
      expect(await mine.holder('left')).toMatchObject({ owner: 'fresh' });
      await handle.release();
    }
  });

  it('keeps a live process of this host that renews (the CLI) and another host within the TTL', async () => {
    const cli = await other();
    const remote = await other({ as: { host: 'another-host', pid: 4242 } });
    acquired(await cli.locks.tryAcquire('a', 'x'));
    acquired(await remote.locks.tryAcquire('b', 'x'));
    expect(await mine.tryAcquire('a', 'y')).toMatchObject({ acquired: false });
    expect(await mine.tryAcquire('b', 'y')).toMatchObject({
      acquired: false,
      holder: { host: 'another-host', pid: 4242 },
    });
    expect(await mine.heldNames('')).toEqual(['a', 'b']);
  });
});
