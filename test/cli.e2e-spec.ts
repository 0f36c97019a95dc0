import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Db } from '@platform/database/db.service';
import type { RefreshRunView } from '@orchestration/refresh/refresh-run.view';
import {
  createCsvSource,
  gatedExportStage,
  uploadCsv,
  waitForRun,
  waitForRuns,
} from './refresh-support';
import { seedFields } from './segments-seed';
import { startTestApp } from './support/test-app';
import { closeAll } from './support/close-all';
import { tsChildHook } from './support/ts-child-hook';

const ROOT = resolve(__dirname, '..');

interface Cli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

// Each child process compiles the sources it runs (a few seconds on a busy machine).
jest.setTimeout(180_000);

describe('cli', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let hook: ReturnType<typeof tsChildHook>;

  function cli(...args: string[]): Cli {
    const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: t.dataDir, API_TOKEN: t.token };
    delete env.DATABASE_URL;
    delete env.LOG_LEVEL;
    if (t.database.url) env.DATABASE_URL = t.database.url;
    const child = spawn(process.execPath, ['-r', hook.path, 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exit = once(child, 'close').then(([code]) => code as number | null);
    return { child, stdout: () => out, stderr: () => err, exit };
  }

  async function run(...args: string[]) {
    const c = cli(...args);
    const code = await c.exit;
    return { code, stdout: c.stdout(), stderr: c.stderr() };
  }

  beforeAll(async () => {
    hook = tsChildHook('audience-sync-cli-');
    t = await startTestApp();
    const crm = await createCsvSource(t, 'crm', {
      city: 'city',
      n: { column: 'n', type: 'number' },
    });
    const rows: string[][] = [];
    for (let i = 0; i < 20_000; i++)
      rows.push([`r${i}`, i % 3 === 0 ? 'Munich' : 'Berlin', String(i)]);
    await uploadCsv(t, crm, ['id', 'city', 'n'], rows);
    await t
      .api()
      .post('/api/segments', {
        name: 'Munich',
        rule: { all: [{ field: 'city', op: 'eq', value: 'munich' }] },
      })
      .expect(201);
  });
  afterAll(() =>
    closeAll(t, () => {
      hook.remove();
    }),
  );

  it('explains itself with --help and refuses a wrong command line', async () => {
    const [help, none, bogus, limit, unknownOption] = await Promise.all([
      run('--help'),
      run(),
      run('bogus'),
      run('status', '--limit', '0'),
      run('status', '--colour'),
    ]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run cli -- <command> \[options\]/);
    expect(help.stdout).toMatch(/refresh .*\n[\s\S]*status /);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^Usage:/);
    expect(bogus).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^Unknown command: bogus/),
    });
    expect(limit).toMatchObject({
      code: 2,
      stderr: '--limit must be a whole number from 1 to 200 (got 0)\n',
    });
    expect(unknownOption.code).toBe(2);
  });

  it('runs a refresh in its own process, printing the stages, on the same database', async () => {
    const res = await run('refresh');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const id = /^Refresh (\S+) \(cli\) started$/m.exec(res.stdout)?.[1];
    expect(id).toBeDefined();
    expect(res.stdout).toMatch(/^ {2}unify {6}succeeded +\d+\.\d s .*customers=20,000/m);
    expect(res.stdout).toMatch(/^ {2}segments {3}succeeded +\d+\.\d s .*members=6,667/m);
    // (the note depends on the destinations set up: none here)
    expect(res.stdout).toMatch(/^ {2}export {5}skipped +\d+\.\d s .*\(.+\)$/m);
    expect(res.stdout).toMatch(new RegExp(`^Refresh ${id} succeeded in \\d+\\.\\d s$`, 'm'));

    const seen = await t.api().get(`/api/refresh/runs/${id}`).expect(200);
    expect(seen.body).toMatchObject({ trigger: 'cli', status: 'succeeded' });
    expect(seen.body.owner.pid).not.toBe(process.pid);

    const [status, json] = await Promise.all([
      run('status', '--limit', '5'),
      run('status', '--json'),
    ]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^run +trigger +status +created +took +error$/m);
    expect(status.stdout).toMatch(new RegExp(`^${id} +cli +succeeded `, 'm'));
    const runs = JSON.parse(json.stdout) as RefreshRunView[];
    expect(runs[0]).toMatchObject({ id, trigger: 'cli', status: 'succeeded' });
  });

  it('exits 75 while the server runs a refresh', async () => {
    const gate = gatedExportStage(t);
    try {
      const started = await t.api().post('/api/refresh').expect(202);
      await gate.inside;
      const res = await run('refresh');
      expect(res).toMatchObject({
        code: 75,
        stderr: `A refresh is already running (run ${started.body.id}); try again once it has ended.\n`,
      });
      gate.release();
      await waitForRun(t, started.body.id);
    } finally {
      gate.unregister();
    }
  });

  it('exits 1 when a stage fails, with the errors printed', async () => {
    await seedFields(t.app, { tier: 'string' }, 'loyalty');
    const tier = await t
      .api()
      .post('/api/segments', {
        name: 'Tier',
        rule: { all: [{ field: 'tier', op: 'eq', value: 'gold' }] },
      })
      .expect(201);
    const segments = (await t.api().get('/api/segments').expect(200)).body as {
      id: string;
      name: string;
      rule: unknown;
    }[];
    const munich = segments.find((s) => s.name === 'Munich')!;
    await t
      .api()
      .put(`/api/segments/${munich.id}`, { name: 'Munich', rule: munich.rule, active: false })
      .expect(200);
    await t.app.get(Db).query('DELETE FROM source WHERE name = ?', ['loyalty']);
    try {
      const res = await run('refresh');
      expect(res.code).toBe(1);
      expect(res.stdout).toMatch(/^ {2}segments {3}failed /m);
      expect(res.stdout).toMatch(
        /^ {2}segments {3}error: segment "Tier": rule\.all\[0\]\.field: unknown field "tier"/m,
      );
      expect(res.stdout).toMatch(/^ {2}export {5}skipped +\(an earlier stage failed\)$/m);
      expect(res.stdout).toMatch(/^Refresh \S+ failed in \d+\.\d s: the segments stage failed: /m);
    } finally {
      await t.api().delete(`/api/segments/${tier.body.id}`).expect(204);
      await t
        .api()
        .put(`/api/segments/${munich.id}`, { name: 'Munich', rule: munich.rule })
        .expect(200);
    }
  });

  describe('a long refresh', () => {
    /** Many segments make the segments stage last a few seconds. */
    beforeAll(async () => {
      for (let i = 0; i < 150; i++) {
        const rule = {
          any: [
            { field: 'city', op: 'contains', value: 'unic' },
            { field: 'city', op: 'endsWith', value: 'LIN' },
            { field: 'n', op: 'between', value: [i * 100, i * 100 + 5000] },
          ],
        };
        await t
          .api()
          .post('/api/segments', { name: `long ${i}`, rule })
          .expect(201);
      }
    });

    async function startLong(): Promise<{ c: Cli; id: string }> {
      const c = cli('refresh');
      const runs = await waitForRuns(
        t,
        (all) =>
          all.some(
            (r) =>
              r.trigger === 'cli' && r.status === 'running' && r.stages[2].status === 'running',
          ),
        60_000,
      );
      const id = runs.find((r) => r.trigger === 'cli' && r.status === 'running')!.id;
      return { c, id };
    }

    it('is canceled from the API: the CLI sees the request and stops at a safe point', async () => {
      const { c, id } = await startLong();
      await t.api().post(`/api/refresh/runs/${id}/cancel`).expect(202);
      expect(await c.exit).toBe(1);
      expect(c.stdout()).toMatch(/^ {2}segments {3}canceled /m);
      expect(c.stdout()).toMatch(
        new RegExp(
          `^Refresh ${id} canceled in \\d+\\.\\d s: canceled during the segments stage$`,
          'm',
        ),
      );
      expect((await t.api().get(`/api/refresh/runs/${id}`).expect(200)).body.status).toBe(
        'canceled',
      );
    });

    it('cancels on Ctrl-C and exits 130', async () => {
      const { c, id } = await startLong();
      c.child.kill('SIGINT');
      expect(await c.exit).toBe(130);
      expect(c.stderr()).toMatch(/^Canceling the refresh at its next safe point/);
      expect((await t.api().get(`/api/refresh/runs/${id}`).expect(200)).body).toMatchObject({
        status: 'canceled',
      });
    });

    it('killed mid-run, leaves a run that the next start marks interrupted', async () => {
      const { c, id } = await startLong();
      c.child.kill('SIGKILL');
      await c.exit;
      expect((await t.api().get(`/api/refresh/runs/${id}`).expect(200)).body.status).toBe(
        'running',
      );
      const next = await t.api().post('/api/refresh').expect(202);
      expect((await t.api().get(`/api/refresh/runs/${id}`).expect(200)).body).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /^interrupted: the process running it \(.+ pid \d+\) stopped$/,
        ),
      });
      // The next refresh runs (here, in the server); no need to wait through every segment.
      await waitForRun(t, next.body.id, (r) => r.stages[2].status === 'running');
      await t.api().post(`/api/refresh/runs/${next.body.id}/cancel`).expect(202);
      expect((await waitForRun(t, next.body.id)).status).toBe('canceled');
    });
  });
});
