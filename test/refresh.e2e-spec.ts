import { Db } from '@platform/database/db.service';
import { RefreshHooks } from '@stages/contract/refresh-hooks';
import { createCsvSource, gatedExportStage, uploadCsv, waitForRun } from './refresh-support';
import { seedFields } from './segments-seed';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const HEADER = ['id', 'city', 'ltv'];

describe('refresh pipeline', () => {
  let t: TestApp;
  let munichId: string;
  let crm: string;

  beforeAll(async () => {
    t = await startTestApp();
    // A CSV upload through the API; the refresh's unify stage turns the records into customers.
    crm = await createCsvSource(t, 'crm', {
      city: 'city',
      lifetimeValue: { column: 'ltv', type: 'number' },
    });
    await uploadCsv(t, crm, HEADER, [
      ['a', 'Munich', '10'],
      ['b', 'MUNICH', '20'],
      ['c', 'Berlin', '30'],
    ]);
    const created = await t
      .api()
      .post('/api/segments', {
        name: 'Munich',
        rule: { all: [{ field: 'city', op: 'eq', value: 'munich' }] },
      })
      .expect(201);
    munichId = created.body.id;
  });
  afterAll(() => closeAll(t));

  it('runs every stage and materializes segment membership (202, then succeeded)', async () => {
    const started = await t.api().post('/api/refresh').expect(202);
    expect(started.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/),
      trigger: 'api',
      status: expect.stringMatching(/^(queued|running)$/),
      owner: { host: expect.any(String), pid: process.pid },
    });
    const run = await waitForRun(t, started.body.id);
    expect(run).toMatchObject({ status: 'succeeded', error: null, cancelRequestedAt: null });
    expect(run.durationMs).toEqual(expect.any(Number));
    expect(run.stages.map((s: { name: string }) => s.name)).toEqual([
      'ingest',
      'unify',
      'segments',
      'export',
    ]);
    // Uploaded files keep their last upload: the ingest stage keeps the CSV source as it is.
    expect(run.stages[0]).toMatchObject({
      status: 'succeeded',
      figures: expect.objectContaining({ sources: 1, sourcesKept: 1, records: 3 }),
    });
    expect(run.stages[1]).toMatchObject({
      status: 'succeeded',
      figures: expect.objectContaining({ customers: 3 }),
    });
    const segments = run.stages[2];
    expect(segments).toMatchObject({
      status: 'succeeded',
      figures: { segments: 1, evaluated: 1, failed: 0, members: 2, added: 2, removed: 0 },
      errors: [],
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    // No destination is set up: the export stage has nothing to do (whatever is registered).
    expect(run.stages[3]).toMatchObject({
      status: 'skipped',
      note: expect.any(String),
      errors: [],
    });

    const segment = await t.api().get(`/api/segments/${munichId}`).expect(200);
    expect(segment.body.membership).toMatchObject({ size: 2, added: 2, removed: 0, stale: false });
  });

  it('shows membership changes between refreshes', async () => {
    await uploadCsv(t, crm, HEADER, [
      ['a', 'Hamburg', '10'],
      ['c', 'munich', '30'],
    ]);
    const started = await t.api().post('/api/refresh').expect(202);
    const run = await waitForRun(t, started.body.id);
    expect(run.stages[2].figures).toMatchObject({ members: 1, added: 1, removed: 2 });
    const members = await t.api().get(`/api/segments/${munichId}/members`).expect(200);
    expect(members.body.items).toEqual([
      { customerId: expect.any(String), fields: { city: 'munich', lifetimeValue: 30 } },
    ]);
    await uploadCsv(t, crm, HEADER, [
      ['a', 'Munich', '10'],
      ['b', 'MUNICH', '20'],
      ['c', 'munich', '30'],
    ]);
  });

  it("answers 409 with the running run's id while one runs, and shows live figures", async () => {
    const gate = gatedExportStage(t);
    try {
      const first = await t.api().post('/api/refresh').expect(202);
      await gate.inside;
      const second = await t.api().post('/api/refresh').expect(409);
      expect(second.body).toMatchObject({
        statusCode: 409,
        error: 'CONFLICT',
        runningRunId: first.body.id,
        message: `A refresh is already running (run ${first.body.id}); wait for it or cancel it`,
      });
      const live = await waitForRun(t, first.body.id, (r) => r.stages[3].figures.queued === 5);
      expect(live).toMatchObject({ status: 'running' });
      expect(live.stages[3]).toMatchObject({
        status: 'running',
        figures: { exported: 0, queued: 5 },
      });
      expect(gate.contexts[0].runId).toBe(first.body.id);
      expect(gate.contexts[0].earlier.segments).toMatchObject({ status: 'succeeded' });

      gate.release();
      const done = await waitForRun(t, first.body.id);
      expect(done.status).toBe('succeeded');
      expect(done.stages[3]).toMatchObject({ status: 'succeeded', figures: { exported: 1 } });
      await waitForRun(t, (await t.api().post('/api/refresh').expect(202)).body.id);
    } finally {
      gate.unregister();
    }
  });

  it('cancels a running refresh at the next safe point', async () => {
    const gate = gatedExportStage(t);
    try {
      const started = await t.api().post('/api/refresh').expect(202);
      await gate.inside;
      const canceling = await t
        .api()
        .post(`/api/refresh/runs/${started.body.id}/cancel`)
        .expect(202);
      expect(canceling.body.cancelRequestedAt).toEqual(expect.any(String));
      const run = await waitForRun(t, started.body.id);
      expect(run).toMatchObject({ status: 'canceled', error: 'canceled during the export stage' });
      expect(run.stages.map((s: { status: string }) => s.status)).toEqual([
        'succeeded',
        'succeeded',
        'succeeded',
        'canceled',
      ]);
      const again = await t.api().post(`/api/refresh/runs/${started.body.id}/cancel`).expect(409);
      expect(again.body.message).toBe(
        `Refresh run ${started.body.id} has already ended (canceled)`,
      );
      await t.api().post('/api/refresh/runs/nope/cancel').expect(404);
    } finally {
      gate.unregister();
    }
  });

  it('skips the later stages when a stage fails, and fails the run', async () => {
    let exported = false;
    const unregister = t.app.get(RefreshHooks).registerExportStage('spy', () => {
      exported = true;
      return Promise.resolve({ status: 'succeeded', figures: {}, errors: [] });
    });
    try {
      // The only active segment's rule reads a field that no source maps any more: every
      // segment fails, so the segments stage fails.
      await seedFields(t.app, { tier: 'string' }, 'loyalty');
      const tier = await t
        .api()
        .post('/api/segments', {
          name: 'Tier',
          rule: { all: [{ field: 'tier', op: 'eq', value: 'gold' }] },
        })
        .expect(201);
      const munich = {
        name: 'Munich',
        rule: { all: [{ field: 'lifetimeValue', op: 'gt', value: 15 }] },
      };
      await t
        .api()
        .put(`/api/segments/${munichId}`, { ...munich, active: false })
        .expect(200);
      await t.app.get(Db).query('DELETE FROM source WHERE name = ?', ['loyalty']);

      const started = await t.api().post('/api/refresh').expect(202);
      const run = await waitForRun(t, started.body.id);
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(
        /^the segments stage failed: segment "Tier": rule\.all\[0\]\.field: unknown field "tier"/,
      );
      expect(run.stages[2]).toMatchObject({
        status: 'failed',
        figures: { segments: 1, evaluated: 0, failed: 1 },
      });
      expect(run.stages[2].errors[0]).toMatch(
        /^segment "Tier": rule\.all\[0\]\.field: unknown field "tier"/,
      );
      expect(run.stages[3]).toMatchObject({
        status: 'skipped',
        note: 'an earlier stage failed',
        startedAt: null,
      });
      expect(exported).toBe(false);

      // With one good segment beside it, the stage is partial and the export still runs.
      await t
        .api()
        .put(`/api/segments/${munichId}`, {
          name: 'Munich',
          rule: { all: [{ field: 'lifetimeValue', op: 'gt', value: 15 }] },
        })
        .expect(200);
      const partial = await waitForRun(t, (await t.api().post('/api/refresh').expect(202)).body.id);
      expect(partial.status).toBe('partial');
      expect(partial.stages[2]).toMatchObject({
        status: 'partial',
        figures: { evaluated: 1, failed: 1 },
      });
      expect(partial.stages[3].status).toBe('succeeded');
      expect(exported).toBe(true);
      await t.api().delete(`/api/segments/${tier.body.id}`).expect(204);
    } finally {
      unregister();
    }
  });

  it('fails the run when the export stage fails', async () => {
    const unregister = t.app
      .get(RefreshHooks)
      .registerExportStage('broken', () =>
        Promise.reject(new Error('destination "crm" is unreachable')),
      );
    try {
      const run = await waitForRun(t, (await t.api().post('/api/refresh').expect(202)).body.id);
      // (Prefixed with the runner's name when the destinations module registered one too.)
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(
        /^the export stage failed: (broken: )?destination "crm" is unreachable$/,
      );
      expect(run.stages[3].status).toBe('failed');
      expect(run.stages[3].errors).toEqual([
        expect.stringMatching(/^(broken: )?destination "crm" is unreachable$/),
      ]);
    } finally {
      unregister();
    }
  });

  it('lists runs newest first, a page at a time', async () => {
    const all = await t.api().get('/api/refresh/runs?limit=200').expect(200);
    expect(all.body.nextCursor).toBeNull();
    const ids = all.body.items.map((r: { id: string }) => r.id);
    expect(ids.length).toBeGreaterThanOrEqual(7);
    expect([...ids].sort().reverse()).toEqual(ids);

    const page1 = await t.api().get('/api/refresh/runs?limit=3').expect(200);
    expect(page1.body.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(0, 3));
    const page2 = await t
      .api()
      .get(`/api/refresh/runs?limit=3&cursor=${page1.body.nextCursor}`)
      .expect(200);
    expect(page2.body.items.map((r: { id: string }) => r.id)).toEqual(ids.slice(3, 6));
    await t.api().get('/api/refresh/runs?limit=0').expect(400);
    await t.api().get('/api/refresh/runs?cursor=%25').expect(400);
    await t.api().get('/api/refresh/runs/unknown').expect(404);
  });

  it('is described in the OpenAPI document', async () => {
    const res = await t.api().get('/api/docs-json').expect(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/refresh',
        '/api/refresh/runs',
        '/api/refresh/runs/{id}',
        '/api/refresh/runs/{id}/cancel',
        '/api/schedule',
      ]),
    );
  });
});
