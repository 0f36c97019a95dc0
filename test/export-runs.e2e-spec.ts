import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DestinationError, DestinationErrorCode } from '@audience-sync/exporter-contract';
import { Db } from '@platform/database/db.service';
import { TestAudience, type Person } from './support/audience-fixtures';
import { exportNow, waitForExport } from './support/export-run-wait';
import {
  MEMORY_TYPE,
  registerMemoryDestination,
  type MemoryTarget,
} from './support/memory-destination';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const contact = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

function people(
  range: [number, number],
  groups: string[],
  options: { noKey?: number[] } = {},
): Person[] {
  const out: Person[] = [];
  for (let i = range[0]; i < range[1]; i++) {
    out.push({
      id: `p${i}`,
      contactId: options.noKey?.includes(i) ? undefined : contact(i),
      email: `p${i}@example.test`,
      groups,
    });
  }
  return out;
}

const contacts = (from: number, to: number, except: number[] = []) =>
  Array.from({ length: to - from }, (_, k) => from + k)
    .filter((i) => !except.includes(i))
    .map(contact)
    .sort();

function memoryConfig(secret = 'client-secret-value-1') {
  return {
    apiKey: 'api-key-value-1',
    auth: { kind: 'clientCredentials', clientId: randomUUID(), clientSecret: secret },
  };
}

describe('export runs (changes-style destination, through the API)', () => {
  let t: TestApp;
  let target: MemoryTarget;
  let audience: TestAudience;
  let vip: string;
  let gold: string;
  let destinationId: string;

  beforeAll(async () => {
    t = await startTestApp();
    target = registerMemoryDestination(t);
    audience = new TestAudience(t);
    // p0..p11 vip (p3 and p7 without contact id), p20..p24 gold.
    await audience.load([
      ...people([0, 12], ['vip'], { noKey: [3, 7] }),
      ...people([20, 25], ['gold']),
    ]);
    vip = await audience.segment('VIP', 'vip');
    gold = await audience.segment('Gold', 'gold');
    const created = await t
      .api()
      .post('/api/destinations', {
        type: MEMORY_TYPE,
        displayName: 'Memory',
        config: memoryConfig(),
        contactIdField: 'contactId',
        segmentIds: [vip, gold],
      })
      .expect(201);
    destinationId = created.body.id;
  });
  afterAll(() => closeAll(t));

  it('exports each segment with its figures; members without a contact id are skipped and counted', async () => {
    const started = await t.api().post(`/api/destinations/${destinationId}/runs`, {}).expect(202);
    expect(started.body).toMatchObject({
      trigger: 'api',
      status: 'queued',
      destinationId,
      fullSync: false,
    });
    const run = await waitForExport(t, started.body.id);
    expect(run).toMatchObject({
      status: 'succeeded',
      error: null,
      totals: {
        members: 17,
        added: 15,
        removed: 0,
        skippedNoKey: 2,
        skippedNotFound: 0,
        failed: 0,
      },
    });
    expect(run.durationMs).toEqual(expect.any(Number));
    expect(run.segments).toEqual([
      expect.objectContaining({
        segmentId: vip,
        segmentName: 'VIP',
        status: 'succeeded',
        target: expect.objectContaining({ name: 'VIP', id: expect.stringMatching(/^list-/) }),
        members: 12,
        added: 10,
        removed: 0,
        skippedNoKey: 2,
        skippedNotFound: 0,
        failed: 0,
        requests: expect.any(Number),
        throttled: 0,
        notes: expect.arrayContaining(['2 member(s) have no contactId: skipped.']),
      }),
      expect.objectContaining({
        segmentId: gold,
        segmentName: 'Gold',
        status: 'succeeded',
        members: 5,
        added: 5,
      }),
    ]);
    expect(target.membersOf('VIP')).toEqual(contacts(0, 12, [3, 7]));
    expect(target.membersOf('Gold')).toEqual(contacts(20, 25));

    const listed = await t.api().get(`/api/destinations/${destinationId}/runs`).expect(200);
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual([run.id]);
    const destination = await t.api().get(`/api/destinations/${destinationId}`).expect(200);
    expect(destination.body.lastRun).toMatchObject({
      id: run.id,
      status: 'succeeded',
      totals: { members: 17, added: 15, removed: 0, skipped: 2, failed: 0 },
    });
  });

  it('re-running a completed export changes nothing in the target (no write request)', async () => {
    const writes = target.writeRequests;
    const run = await exportNow(t, destinationId);
    expect(run.status).toBe('succeeded');
    expect(run.totals).toMatchObject({ added: 0, removed: 0, skippedNoKey: 2 });
    expect(target.writeRequests).toBe(writes);
  });

  it('mirror: adds members who joined and removes those who left', async () => {
    // p0, p1 leave VIP; p12, p13 join; p5 gets a new contact id.
    const next = [
      ...people([2, 14], ['vip'], { noKey: [3, 7] }).map((p) =>
        p.id === 'p5' ? { ...p, contactId: contact(500) } : p,
      ),
      ...people([20, 25], ['gold']),
    ];
    await audience.load(next);
    await t.api().post(`/api/segments/${vip}/evaluate`).expect(200);
    const run = await exportNow(t, destinationId);
    expect(run.segments[0]).toMatchObject({ status: 'succeeded', added: 3, removed: 3 });
    expect(target.membersOf('VIP')).toEqual([...contacts(2, 14, [3, 5, 7]), contact(500)].sort());
  });

  it('additive mode never removes', async () => {
    await t.api().put(`/api/destinations/${destinationId}`, { syncMode: 'additive' }).expect(200);
    await audience.load([
      ...people([4, 14], ['vip'], { noKey: [7] }),
      ...people([20, 25], ['gold']),
    ]);
    await t.api().post(`/api/segments/${vip}/evaluate`).expect(200);
    const run = await exportNow(t, destinationId);
    expect(run.segments[0]).toMatchObject({ added: 1, removed: 0 });
    // p2 and p5's former contact id left the segment but stay in the target.
    expect(target.membersOf('VIP')).toEqual(
      [...contacts(4, 14, [7]), contact(2), contact(500)].sort(),
    );
    await t.api().put(`/api/destinations/${destinationId}`, { syncMode: 'mirror' }).expect(200);
    const mirrored = await exportNow(t, destinationId);
    expect(mirrored.segments[0]).toMatchObject({ added: 0, removed: 2 });
    expect(target.membersOf('VIP')).toEqual(contacts(4, 14, [7]));
  });

  it('skips keys the target does not know and lands the rest; a full sync offers them again', async () => {
    await audience.load([
      ...people([4, 16], ['vip'], { noKey: [7] }),
      ...people([20, 25], ['gold']),
    ]);
    await t.api().post(`/api/segments/${vip}/evaluate`).expect(200);
    target.known = new Set(contacts(0, 100).filter((k) => k !== contact(15)));
    const run = await exportNow(t, destinationId);
    expect(run.segments[0]).toMatchObject({ status: 'succeeded', added: 1, skippedNotFound: 1 });
    expect(target.membersOf('VIP')).toContain(contact(14));
    expect(target.membersOf('VIP')).not.toContain(contact(15));

    const again = await exportNow(t, destinationId);
    expect(again.segments[0]).toMatchObject({ added: 0, skippedNotFound: 0 });

    target.known = undefined; // the contact now exists
    const full = await exportNow(t, destinationId, { fullSync: true });
    expect(full).toMatchObject({ fullSync: true, status: 'succeeded' });
    expect(full.segments[0]).toMatchObject({ added: 1, skippedNotFound: 0 });
    expect(full.segments[0].notes).toContain(
      'Checked the target against what was exported: no drift.',
    );
    expect(target.membersOf('VIP')).toEqual(contacts(4, 16, [7]));
  });

  it('finds and corrects drift made by hand in the target', async () => {
    const list = target.lists.get(
      target.membersOf('VIP').length
        ? [...target.lists.entries()].find(([, l]) => l.name === 'VIP')![0]
        : '',
    )!;
    list.members.delete(contact(4));
    list.members.delete(contact(5));
    list.members.add(contact(999));
    const run = await exportNow(t, destinationId);
    expect(run.segments[0]).toMatchObject({ added: 2, removed: 1 });
    expect(run.segments[0].notes).toContain(
      'The target had drifted (1 member(s) not exported by Audience Sync, 2 exported member(s) missing); corrected.',
    );
    expect(target.membersOf('VIP')).toEqual(contacts(4, 16, [7]));
  });

  it('creates a list deleted in the target again and exports every member to it', async () => {
    const [id] = [...target.lists.entries()].find(([, l]) => l.name === 'Gold')!;
    target.lists.delete(id);
    const run = await exportNow(t, destinationId);
    expect(run.segments[1]).toMatchObject({ status: 'succeeded', added: 5 });
    expect(run.segments[1].target?.id).not.toBe(id);
    expect(run.segments[1].notes).toEqual(
      expect.arrayContaining([
        'The list was deleted in the target: created again.',
        'The target was created anew: every member was exported to it.',
      ]),
    );
    expect(target.membersOf('Gold')).toEqual(contacts(20, 25));
  });

  it('a segment that fails does not stop the others: the run is partial', async () => {
    target.failing.set(
      'VIP',
      new DestinationError(
        DestinationErrorCode.FORBIDDEN,
        'The list is locked in Sales: unlock it.',
      ),
    );
    await audience.load([
      ...people([4, 16], ['vip'], { noKey: [7] }),
      ...people([20, 26], ['gold']),
    ]);
    await t.api().post(`/api/segments/${gold}/evaluate`).expect(200);
    try {
      const run = await exportNow(t, destinationId);
      expect(run.status).toBe('partial');
      expect(run.segments[0]).toMatchObject({
        status: 'failed',
        errors: ['The list is locked in Sales: unlock it.'],
      });
      expect(run.segments[1]).toMatchObject({ status: 'succeeded', added: 1 });
      expect(run.error).toBe(
        '1 of 2 segment(s) failed: "VIP": The list is locked in Sales: unlock it.',
      );
    } finally {
      target.failing.clear();
    }
  });

  it('members that fail are counted, named, and tried again by the next run', async () => {
    await audience.load([
      ...people([4, 17], ['vip'], { noKey: [7] }),
      ...people([20, 26], ['gold']),
    ]);
    await t.api().post(`/api/segments/${vip}/evaluate`).expect(200);
    target.failingKeys.add(contact(16));
    const run = await exportNow(t, destinationId);
    expect(run.status).toBe('partial');
    expect(run.segments[0]).toMatchObject({
      status: 'partial',
      failed: 1,
      errors: [`member ${contact(16)}: HTTP 503 (will be retried by the next run)`],
    });
    target.failingKeys.clear();
    const retried = await exportNow(t, destinationId);
    expect(retried.status).toBe('succeeded');
    expect(retried.segments[0]).toMatchObject({ added: 1, failed: 0 });
    expect(target.membersOf('VIP')).toEqual(contacts(4, 17, [7]));
  });

  it('does not export inactive segments, and says so', async () => {
    const gold_ = (active: boolean) => ({
      name: 'Gold',
      active,
      rule: { all: [{ field: 'groups', op: 'contains', value: ';gold;' }] },
    });
    await t.api().put(`/api/segments/${gold}`, gold_(false)).expect(200);
    try {
      const run = await exportNow(t, destinationId);
      expect(run.status).toBe('succeeded');
      expect(run.segments[1]).toMatchObject({
        status: 'skipped',
        notes: [
          'The segment is inactive: not exported (what was exported before stays in the target).',
        ],
      });
      expect(target.membersOf('Gold')).toHaveLength(6);
    } finally {
      await t.api().put(`/api/segments/${gold}`, gold_(true)).expect(200);
      await t.api().post(`/api/segments/${gold}/evaluate`).expect(200);
    }
  });

  it('answers 409 while a run of the destination is going, and cancels it at the next batch', async () => {
    await audience.load([
      ...people([4, 30], ['vip'], { noKey: [7] }),
      ...people([20, 26], ['gold']),
    ]);
    await t.api().post(`/api/segments/${vip}/evaluate`).expect(200);
    const gate = target.hold();
    const started = await t.api().post(`/api/destinations/${destinationId}/runs`, {}).expect(202);
    await gate.reached;
    const conflict = await t.api().post(`/api/destinations/${destinationId}/runs`, {}).expect(409);
    expect(conflict.body).toMatchObject({ error: 'CONFLICT', runningRunId: started.body.id });
    const running = await waitForExport(t, started.body.id, (r) => r.status === 'running');
    expect(running.progress).toEqual({ processed: expect.any(Number), total: expect.any(Number) });
    // The segment not started yet is named (waiting), not taken for a deleted one.
    expect(running.segments[1]).toMatchObject({ segmentName: 'Gold', status: 'pending' });
    await t.api().delete(`/api/destinations/${destinationId}`).expect(409);

    const canceled = await t.api().post(`/api/export-runs/${started.body.id}/cancel`).expect(202);
    expect(canceled.body.cancelRequested).toBe(true);
    gate.release();
    const run = await waitForExport(t, started.body.id);
    expect(run.status).toBe('canceled');
    expect(run.segments[0].status).toBe('canceled');
    expect(run.segments[1]).toMatchObject({
      segmentName: 'Gold',
      status: 'canceled',
      startedAt: null,
      notes: ['Not started: the run was stopped.'],
    });
    await t.api().post(`/api/export-runs/${started.body.id}/cancel`).expect(409);

    const next = await exportNow(t, destinationId);
    expect(next.status).toBe('succeeded');
    expect(target.membersOf('VIP')).toEqual(contacts(4, 30, [7]));
  });

  it('records a click in the admin UI as trigger "ui", any other client as "api"', async () => {
    const ui = await exportNow(t, destinationId, { trigger: 'ui' });
    expect(ui.trigger).toBe('ui');
    const api = await exportNow(t, destinationId);
    expect(api.trigger).toBe('api');
    const bad = await t
      .api()
      .post(`/api/destinations/${destinationId}/runs`, { trigger: 'refresh' })
      .expect(400);
    expect(JSON.stringify(bad.body.details)).toContain('trigger');
  });

  it('refuses to export a destination without segments: 409 "Nothing to export", no run recorded', async () => {
    const empty = await t
      .api()
      .post('/api/destinations', {
        type: MEMORY_TYPE,
        displayName: 'Memory without segments',
        config: memoryConfig(),
        contactIdField: 'contactId',
        segmentIds: [],
      })
      .expect(201);
    const refused = await t.api().post(`/api/destinations/${empty.body.id}/runs`, {}).expect(409);
    expect(refused.body.message).toMatch(/^Nothing to export: .*no segments/);
    const runs = await t.api().get(`/api/destinations/${empty.body.id}/runs`).expect(200);
    expect(runs.body.items).toEqual([]);
    // A type without existing targets to choose says so.
    const targets = await t.api().get(`/api/destinations/${empty.body.id}/targets`).expect(400);
    expect(targets.body.details).toEqual([
      {
        path: 'type',
        message: 'destinations of type "test-memory" have no existing targets to choose',
      },
    ]);
    await t.api().delete(`/api/destinations/${empty.body.id}`).expect(204);
  });

  it('pages through the runs, newest first', async () => {
    const first = await t.api().get(`/api/destinations/${destinationId}/runs?limit=3`).expect(200);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t
      .api()
      .get(`/api/destinations/${destinationId}/runs?limit=3&cursor=${first.body.nextCursor}`)
      .expect(200);
    const ids = [...first.body.items, ...second.body.items].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort().reverse()).toEqual(ids);
    await t.api().get(`/api/destinations/${destinationId}/runs?cursor=%%%`).expect(400);
    await t.api().get(`/api/export-runs/${randomUUID()}`).expect(404);
  });
});

describe('export runs: crash safety', () => {
  it('a run stopped by a shutdown is failed (interrupted) and the next run completes exactly', async () => {
    const first = await startTestApp();
    try {
      const target = registerMemoryDestination(first);
      const audience = new TestAudience(first);
      await audience.load(people([0, 30], ['vip']));
      const vip = await audience.segment('VIP', 'vip');
      const d = await first
        .api()
        .post('/api/destinations', {
          type: MEMORY_TYPE,
          displayName: 'Memory',
          config: memoryConfig(),
          contactIdField: 'contactId',
          segmentIds: [vip],
        })
        .expect(201);
      const gate = target.hold();
      const started = await first.api().post(`/api/destinations/${d.body.id}/runs`, {}).expect(202);
      await gate.reached;
      const stopping = first.stop();
      gate.release();
      await stopping;

      const second = await startTestApp({
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        registerMemoryDestination(second, target);
        const interrupted = await second
          .api()
          .get(`/api/export-runs/${started.body.id}`)
          .expect(200);
        expect(interrupted.body).toMatchObject({
          status: 'failed',
          error:
            'Interrupted: the server shut down during the export. The next run continues from where it stopped.',
        });
        const landedBefore = target.membersOf('VIP').length;
        expect(landedBefore).toBeLessThan(30);
        const run = await exportNow(second, d.body.id);
        expect(run.status).toBe('succeeded');
        expect(run.segments[0].added).toBe(30 - landedBefore);
        expect(target.membersOf('VIP')).toEqual(contacts(0, 30));
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });

  it('a run left running by a dead process is failed at the next start and does not block the next run', async () => {
    const first = await startTestApp();
    try {
      registerMemoryDestination(first);
      const audience = new TestAudience(first);
      await audience.load(people([0, 4], ['vip']));
      const vip = await audience.segment('VIP', 'vip');
      const d = await first
        .api()
        .post('/api/destinations', {
          type: MEMORY_TYPE,
          displayName: 'Memory',
          config: memoryConfig(),
          contactIdField: 'contactId',
          segmentIds: [vip],
        })
        .expect(201);
      // What a process killed mid-export leaves behind: its run, still running, owned by a
      // pid that no longer exists on this host.
      const orphan = '01900000-0000-7000-8000-000000000001';
      const db = first.app.get(Db);
      const at = new Date(Date.now() - 5_000).toISOString();
      await db.query(
        `INSERT INTO export_run (id, destination_id, triggered_by, status, full_sync, segments, notes,
          created_at, started_at, owner_host, owner_pid, owner_boot, heartbeat_at)
         VALUES (?, ?, 'api', 'running', ?, ?, '[]', ?, ?, ?, ?, ?, ?)`,
        [
          orphan,
          d.body.id,
          false,
          JSON.stringify([
            { segmentId: vip, segmentName: 'VIP', status: 'running', errors: [], notes: [] },
          ]),
          at,
          at,
          hostname(),
          2 ** 22 + 12345,
          randomUUID(),
          at,
        ],
      );
      // While the first app runs, the orphan blocks nothing either: a start finds its owner gone.
      const run = await exportNow(first, d.body.id);
      expect(run.status).toBe('succeeded');
      const failed = await first.api().get(`/api/export-runs/${orphan}`).expect(200);
      expect(failed.body).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(
          /^Interrupted: the process that ran this export \(.+, pid \d+\) stopped/,
        ),
      });
      expect(failed.body.segments[0]).toMatchObject({ status: 'failed' });

      // At a start: an orphan of a dead process is failed straight away.
      const second = '01900000-0000-7000-8000-000000000002';
      await db.query(
        `INSERT INTO export_run (id, destination_id, triggered_by, status, full_sync, segments, notes,
          created_at, owner_host, owner_pid, owner_boot, heartbeat_at)
         VALUES (?, ?, 'refresh', 'queued', ?, '[]', '[]', ?, ?, ?, ?, ?)`,
        [second, d.body.id, false, at, hostname(), 2 ** 22 + 12346, randomUUID(), at],
      );
      await first.stop();
      const restarted = await startTestApp({
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        const recovered = await restarted.api().get(`/api/export-runs/${second}`).expect(200);
        expect(recovered.body.status).toBe('failed');
      } finally {
        await restarted.stop();
      }
    } finally {
      await first.close();
    }
  });
});
