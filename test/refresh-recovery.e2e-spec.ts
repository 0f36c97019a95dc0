import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { Db } from '@platform/database/db.service';
import type { RunOwner } from '@platform/locks/run-owner';
import type { RefreshRun } from '@orchestration/refresh/refresh-run';
import { RunStore } from '@orchestration/refresh/run-store';
import { STAGE_NAMES } from '@stages/contract/stage';
import { uuidV7 } from '@platform/ids/uuid-v7';
import { waitForRun } from './refresh-support';
import { otherProcess, type OtherProcess } from './support/other-process';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';
import type { TestDatabase } from './support/test-database';

/** A run row as a process that owns it writes it, mid-way through the unify stage. */
function orphan(owner: RunOwner, heartbeatAt = new Date().toISOString()): RefreshRun {
  const at = new Date(Date.now() - 5_000).toISOString();
  return {
    id: uuidV7(),
    trigger: 'cli',
    status: 'running',
    createdAt: at,
    startedAt: at,
    finishedAt: null,
    error: null,
    cancelRequestedAt: null,
    owner,
    heartbeatAt,
    stages: STAGE_NAMES.map((name) => ({
      name,
      status: name === 'ingest' ? 'succeeded' : name === 'unify' ? 'running' : 'pending',
      startedAt: name === 'ingest' || name === 'unify' ? at : null,
      finishedAt: name === 'ingest' ? at : null,
      figures: {},
      errors: [],
      note: null,
    })),
  };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

/** Another process (the CLI, or a server on another host) running `run`: it holds the lock. */
async function runningElsewhere(
  t: TestApp & { database: TestDatabase },
  as?: { host: string; pid: number },
): Promise<{ process: OtherProcess; run: RefreshRun }> {
  const other = await otherProcess({ dataDir: t.dataDir, databaseUrl: t.database.url }, { as });
  const run = orphan(other.identity);
  await other.locks.acquire('refresh', run.id, 'unexpected: a refresh is running');
  expect(await t.app.get(RunStore).insertQueued(run)).toBe(true);
  return { process: other, run };
}

describe('refresh: crash safety', () => {
  it('fails a run left running by a dead process at the next start; the next refresh works', async () => {
    const first = await startTestApp();
    try {
      const pid = await deadPid();
      const run = orphan({ host: hostname(), pid, bootId: 'the-dead-one' });
      expect(await first.app.get(RunStore).insertQueued(run)).toBe(true);
      await first.stop();

      const second = await startTestApp({
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        const res = await second.api().get(`/api/refresh/runs/${run.id}`).expect(200);
        expect(res.body).toMatchObject({
          status: 'failed',
          error: `interrupted: the process running it (${hostname()} pid ${pid}) stopped`,
          finishedAt: expect.any(String),
        });
        expect(res.body.stages.map((s: { status: string }) => s.status)).toEqual([
          'succeeded',
          'failed',
          'skipped',
          'skipped',
        ]);
        expect(res.body.stages[1].note).toBe('interrupted: its process stopped');

        const next = await second.api().post('/api/refresh').expect(202);
        expect((await waitForRun(second, next.body.id)).status).toBe('succeeded');
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });

  it('takes an earlier start of this same process for gone', async () => {
    const first = await startTestApp();
    try {
      const run = orphan({ host: hostname(), pid: process.pid, bootId: 'an-earlier-start' });
      await first.app.get(RunStore).insertQueued(run);
      await first.stop();
      const second = await startTestApp({
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        const res = await second.api().get(`/api/refresh/runs/${run.id}`).expect(200);
        expect(res.body.status).toBe('failed');
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });

  it('leaves a live owner alone (409, even across a restart) and takes over once it dies', async () => {
    const first = await startTestApp();
    const { process: cli, run } = await runningElsewhere(first);
    try {
      expect((await first.api().post('/api/refresh').expect(409)).body.runningRunId).toBe(run.id);
      await first.stop();

      const second = await startTestApp({
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        expect(
          (await second.api().get(`/api/refresh/runs/${run.id}`).expect(200)).body.status,
        ).toBe('running');
        expect((await second.api().post('/api/refresh').expect(409)).body.runningRunId).toBe(
          run.id,
        );

        await cli.crash();
        const started = await second.api().post('/api/refresh').expect(202);
        expect(
          (await second.api().get(`/api/refresh/runs/${run.id}`).expect(200)).body,
        ).toMatchObject({
          status: 'failed',
          error: `interrupted: the process running it (${hostname()} pid ${cli.identity.pid}) stopped`,
        });
        await waitForRun(second, started.body.id);
      } finally {
        await second.stop();
      }
    } finally {
      await cli.close();
      await first.close();
    }
  });

  describe('while a run belongs to another process', () => {
    let t: TestApp & { database: TestDatabase };
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => closeAll(t));

    it('judges an owner on another host by its lock', async () => {
      const remote = await runningElsewhere(t, { host: 'another-host', pid: 4242 });
      const { run } = remote;
      expect((await t.api().post('/api/refresh').expect(409)).body.runningRunId).toBe(run.id);

      // The remote process dies (PostgreSQL: its session ends) and stops renewing its lock: a
      // minute later (SQLite) its run no longer blocks.
      await remote.process.crash();
      await t.app
        .get(Db)
        .query('UPDATE run_lock SET expires_at = ? WHERE name = ?', [Date.now() - 1, 'refresh']);
      const canceled = await t.api().post(`/api/refresh/runs/${run.id}/cancel`).expect(202);
      expect(canceled.body).toMatchObject({
        status: 'failed',
        error: 'interrupted: the process running it (another-host pid 4242) stopped',
        cancelRequestedAt: expect.any(String),
      });
      await waitForRun(t, (await t.api().post('/api/refresh').expect(202)).body.id);
    });

    it('passes a cancel to the live owner through the database', async () => {
      const remote = await runningElsewhere(t, { host: 'another-host', pid: 4243 });
      const { run } = remote;
      const res = await t.api().post(`/api/refresh/runs/${run.id}/cancel`).expect(202);
      expect(res.body).toMatchObject({ status: 'running', cancelRequestedAt: expect.any(String) });
      const beat = await t.app
        .get(RunStore)
        .heartbeat(run.id, run.owner!, new Date().toISOString());
      expect(beat).toEqual({ owned: true, cancelRequested: true });
      await t.app
        .get(Db)
        .query('UPDATE refresh_run SET active_slot = NULL, status = ? WHERE id = ?', [
          'canceled',
          run.id,
        ]);
      await remote.process.close();
    });
  });
});
