import { setTimeout as sleep } from 'node:timers/promises';
import { DestinationError, DestinationErrorCode } from '@audience-sync/exporter-contract';
import { Db } from '@platform/database/db.service';
import { ProcessIdentity } from '@platform/locks/process-identity';
import type { RefreshRunView } from '@orchestration/refresh/refresh-run.view';
import { TestAudience } from './support/audience-fixtures';
import { waitForExport } from './support/export-run-wait';
import {
  MEMORY_TYPE,
  registerMemoryDestination,
  type MemoryTarget,
} from './support/memory-destination';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

async function refresh(
  t: TestApp,
  until?: (run: RefreshRunView) => boolean,
): Promise<RefreshRunView> {
  const started = await t.api().post('/api/refresh').expect(202);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await t.api().get(`/api/refresh/runs/${started.body.id}`).expect(200);
    const run = res.body as RefreshRunView;
    if (until ? until(run) : ['succeeded', 'partial', 'failed', 'canceled'].includes(run.status))
      return run;
    if (Date.now() > deadline) throw new Error(`refresh did not end: ${JSON.stringify(run)}`);
    await sleep(25);
  }
}

const auth = {
  kind: 'clientCredentials',
  clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
  clientSecret: 's',
};

describe('export stage of the refresh pipeline', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let target: MemoryTarget;
  let files: string;
  let memory: string;
  let disabled: string;

  beforeAll(async () => {
    t = await startTestApp();
    target = registerMemoryDestination(t);
    const audience = new TestAudience(t);
    await audience.load([
      { id: 'a', contactId: 'c-a', email: 'a@example.test', groups: ['vip'] },
      { id: 'b', contactId: 'c-b', email: 'b@example.test', groups: ['vip', 'gold'] },
      { id: 'c', email: 'c@example.test', groups: ['gold'] },
    ]);
    const vip = await audience.segment('VIP', 'vip');
    const gold = await audience.segment('Gold', 'gold');
    const api = t.api();
    files = (
      await api
        .post('/api/destinations', {
          type: 'file',
          displayName: 'Files',
          config: { folder: 'x', fields: ['email'] },
          segmentIds: [vip, gold],
        })
        .expect(201)
    ).body.id;
    memory = (
      await api
        .post('/api/destinations', {
          type: MEMORY_TYPE,
          displayName: 'Memory',
          config: { auth },
          contactIdField: 'contactId',
          segmentIds: [vip, gold],
        })
        .expect(201)
    ).body.id;
    disabled = (
      await api
        .post('/api/destinations', {
          type: MEMORY_TYPE,
          displayName: 'Off',
          config: { auth },
          contactIdField: 'contactId',
          segmentIds: [vip],
          enabled: false,
        })
        .expect(201)
    ).body.id;
  });
  afterAll(() => closeAll(t));

  it('exports every enabled destination after the segments, linked to the refresh run', async () => {
    const run = await refresh(t);
    expect(run.status).toBe('succeeded');
    const stage = run.stages.find((s) => s.name === 'export');
    expect(stage).toMatchObject({
      status: 'succeeded',
      errors: [],
      figures: {
        destinations: 2,
        exported: 2,
        succeeded: 2,
        partial: 0,
        failed: 0,
        skipped: 0,
        membersAdded: 7,
        skippedNoKey: 1,
      },
    });
    for (const id of [files, memory]) {
      const runs = await t.api().get(`/api/destinations/${id}/runs`).expect(200);
      expect(runs.body.items).toHaveLength(1);
      expect(runs.body.items[0]).toMatchObject({
        trigger: 'refresh',
        refreshRunId: run.id,
        status: 'succeeded',
      });
    }
    const off = await t.api().get(`/api/destinations/${disabled}/runs`).expect(200);
    expect(off.body.items).toEqual([]);
    const ofRefresh = await t.api().get(`/api/export-runs?refreshRunId=${run.id}`).expect(200);
    expect(
      ofRefresh.body.items.map((r: { destinationId: string }) => r.destinationId).sort(),
    ).toEqual([files, memory].sort());
    const all = await t.api().get('/api/export-runs?limit=1').expect(200);
    expect(all.body.items).toHaveLength(1);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const none = await t.api().get('/api/export-runs?refreshRunId=nope').expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
    expect(target.membersOf('Gold')).toEqual(['c-b']);

    // The refresh and its exports ran in one process, which has one boot id.
    const db = t.app.get(Db);
    const boots = [
      ...(await db.query<{ b: string }>('SELECT owner_boot AS b FROM refresh_run WHERE id = ?', [
        run.id,
      ])),
      ...(await db.query<{ b: string }>(
        'SELECT owner_boot AS b FROM export_run WHERE refresh_run_id = ?',
        [run.id],
      )),
    ].map((r) => r.b);
    expect(boots).toHaveLength(3);
    expect(new Set(boots)).toEqual(new Set([t.app.get(ProcessIdentity).self.bootId]));
  });

  it('one destination failing does not stop the others: the stage is partial', async () => {
    target.failing.set(
      'VIP',
      new DestinationError(DestinationErrorCode.AUTH, 'The sign-in expired: sign in again.'),
    );
    try {
      const run = await refresh(t);
      expect(run.status).toBe('partial');
      const stage = run.stages.find((s) => s.name === 'export');
      expect(stage?.status).toBe('partial');
      expect(stage?.figures).toMatchObject({ succeeded: 1, partial: 1 });
      expect(stage?.errors).toEqual([
        expect.stringMatching(
          /^destination "Memory": 1 of 2 segment\(s\) failed: "VIP": The sign-in expired: sign in again\. \(export run .+\)$/,
        ),
      ]);
      const latest = await t.api().get(`/api/destinations/${files}/runs?limit=1`).expect(200);
      expect(latest.body.items[0]).toMatchObject({ status: 'succeeded', refreshRunId: run.id });
    } finally {
      target.failing.clear();
    }
  });

  it('a destination still busy with an export gets a skipped run', async () => {
    const gate = target.hold();
    // A change for the memory destination to work on, so its run reaches the gate.
    target.lists.clear();
    const busy = await t.api().post(`/api/destinations/${memory}/runs`, {}).expect(202);
    await gate.reached;
    try {
      const run = await refresh(t);
      const stage = run.stages.find((s) => s.name === 'export');
      expect(stage?.status).toBe('partial');
      expect(stage?.figures).toMatchObject({ succeeded: 1, skipped: 1 });
      const runs = await t.api().get(`/api/destinations/${memory}/runs?limit=2`).expect(200);
      expect(runs.body.items[0]).toMatchObject({
        status: 'skipped',
        trigger: 'refresh',
        refreshRunId: run.id,
        error: `Skipped: another export of this destination was running (run ${busy.body.id}).`,
      });
    } finally {
      gate.release();
    }
    expect((await waitForExport(t, busy.body.id)).status).toBe('succeeded');
  });

  it('canceling the refresh cancels its exports', async () => {
    const gate = target.hold();
    target.lists.clear();
    const started = await t.api().post('/api/refresh').expect(202);
    await gate.reached;
    await t.api().post(`/api/refresh/runs/${started.body.id}/cancel`).expect(202);
    gate.release();
    let run: RefreshRunView;
    for (;;) {
      run = (await t.api().get(`/api/refresh/runs/${started.body.id}`).expect(200)).body;
      if (['canceled', 'succeeded', 'partial', 'failed'].includes(run.status)) break;
      await sleep(25);
    }
    expect(run.status).toBe('canceled');
    expect(run.stages.find((s) => s.name === 'export')?.status).toBe('canceled');
    const runs = await t.api().get(`/api/destinations/${memory}/runs?limit=1`).expect(200);
    expect(runs.body.items[0]).toMatchObject({ refreshRunId: started.body.id, status: 'canceled' });
  });

  it('a destination whose type is no longer installed is reported, and the others still export', async () => {
    await t.stop();
    // The same data, but this process does not register the memory destination type.
    const again = await startTestApp({ reuse: { dataDir: t.dataDir, database: t.database } });
    try {
      const shown = await again.api().get(`/api/destinations/${memory}`).expect(200);
      expect(shown.body).toMatchObject({ type: MEMORY_TYPE, displayName: 'Memory' });
      const run = await refresh(again);
      const stage = run.stages.find((s) => s.name === 'export');
      expect(stage?.status).toBe('partial');
      expect(stage?.figures).toMatchObject({ succeeded: 1, failed: 1 });
      expect(stage?.errors).toEqual([
        expect.stringMatching(
          /^destination "Memory": Could not start: type: unknown destination type "test-memory"/,
        ),
      ]);
      await again.api().post(`/api/destinations/${memory}/runs`, {}).expect(400);
    } finally {
      await again.stop();
    }
  });
});
