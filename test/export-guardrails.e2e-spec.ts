import { DataverseRuntime, clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DryRunSegment, DryRunView } from '@stages/destinations/dry-run';
import type { ExportRunView } from '@stages/destinations/export-run.view';
import type { RefreshRunView } from '@orchestration/refresh/refresh-run.view';
import { segmentWithMembers } from './support/audience-fixtures';
import { closeAll } from './support/close-all';
import { exportNow, waitForExport } from './support/export-run-wait';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 16, dry runs and removal guardrails, end to end: the real app exports to the Dataverse
 * emulator over HTTPS. A dry run makes no request to Dataverse and changes nothing, and its
 * figures are what the export that follows does; a wiped segment is held before any write and
 * goes once approved.
 */
describe('dry runs and removal guardrails (emulator over HTTPS)', () => {
  let emu: EmulatorHandle;
  let t: TestApp;
  let contacts: string[];
  let named = 0;

  beforeAll(async () => {
    emu = await startEmulator({ contacts: 700, dopHint: 4 });
    contacts = emu.contacts.all(0, 700).map((c) => c.contactid);
    t = await startTestApp({
      env: {
        ALLOWED_HOSTS: new URL(emu.url).host,
        EXTRA_CA_CERTS: emu.caCertPath,
      },
    });
  });
  afterAll(() => closeAll(t, emu));

  async function destination(segmentIds: string[], extra: Record<string, unknown> = {}) {
    named += 1;
    const res = await t.api().post('/api/destinations', {
      type: 'dynamics365-sales',
      displayName: `Sales ${named}`,
      config: { serverAddress: emu.url, auth: clientCredentialsAuth(emu) },
      contactIdField: 'contactId',
      segmentIds,
      ...extra,
    });
    if (res.status !== 201) throw new Error(`create destination: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async function dryRun(id: string): Promise<DryRunSegment> {
    const res = await t.api().post(`/api/destinations/${id}/dry-run`).expect(200);
    const view = res.body as DryRunView;
    expect(view.segments).toHaveLength(1);
    return view.segments[0];
  }

  /** Adds contacts to a marketing list as a person in Sales would (AddListMembersList). */
  async function addInSales(listId: string, contactIds: string[]): Promise<void> {
    const runtime = new DataverseRuntime({
      allowedHosts: [new URL(emu.url).host],
      extraCaCertificates: [emu.caCertPem],
    });
    try {
      await runtime
        .connect({ serverAddress: emu.url, auth: clientCredentialsAuth(emu) })
        .post('AddListMembersList', {
          List: { listid: listId, '@odata.type': 'Microsoft.Dynamics.CRM.list' },
          Members: contactIds.map((contactid) => ({
            contactid,
            '@odata.type': 'Microsoft.Dynamics.CRM.contact',
          })),
        });
    } finally {
      await runtime.close();
    }
  }

  /** Everything the emulator holds that an export could change: every list and its members. */
  const listsState = () =>
    JSON.stringify(
      emu.lists.all().map((l) => ({ ...l, members: [...emu.lists.members(l.listid)].sort() })),
    );
  const only = (run: ExportRunView) => {
    expect(run.segments).toHaveLength(1);
    return run.segments[0];
  };
  const sorted = (ids: string[]) => [...ids].sort();

  it('a dry run writes nothing and its figures are what the export then does', async () => {
    const ids = contacts.slice(0, 60);
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Dry run',
      contactIds: ids,
      withoutContactId: 2,
    });
    const id = await destination([segmentId]);

    emu.resetStats();
    const before = listsState();
    const first = await dryRun(id);
    expect(emu.stats().totals.count).toBe(0);
    expect(listsState()).toBe(before);
    expect(first).toMatchObject({
      segmentName: 'Dry run',
      status: 'ready',
      members: 62,
      toAdd: 60,
      toRemove: 0,
      skippedNoContactId: 2,
      skippedNotInTarget: null,
      listSize: 0,
    });
    expect(first.sampleToAdd.map((m) => m.contactId)).toEqual(sorted(ids).slice(0, 10));
    for (const m of first.sampleToAdd) {
      expect(m.customerId).toEqual(expect.any(String));
    }
    // A second dry run finds the same: the first changed nothing.
    expect(await dryRun(id)).toEqual(first);

    const run1 = only(await exportNow(t, id));
    expect(run1).toMatchObject({
      status: 'succeeded',
      added: first.toAdd,
      removed: first.toRemove,
      skippedNoKey: first.skippedNoContactId,
      requests: first.requestsEstimate,
    });

    // 5 leave, 8 join.
    const leaving = new Set(ids.slice(0, 5));
    const joining = contacts.slice(100, 108);
    const staying = people.filter((p) => !p.contactId || !leaving.has(p.contactId));
    const joiners = joining.map((contactId, i) => ({
      id: `join-${i}`,
      contactId,
      groups: ['Dry-run'],
    }));
    await audience.load([...staying, ...joiners]);
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);

    emu.resetStats();
    const stateBefore = listsState();
    const second = await dryRun(id);
    expect(emu.stats().totals.count).toBe(0);
    expect(listsState()).toBe(stateBefore);
    expect(second).toMatchObject({
      status: 'ready',
      members: 65,
      toAdd: 8,
      toRemove: 5,
      skippedNotInTarget: 0,
      listSize: 60,
    });
    expect(second.sampleToAdd.map((m) => m.contactId)).toEqual(sorted(joining));
    expect(second.sampleToRemove.map((m) => m.contactId)).toEqual(sorted([...leaving]));

    const run2 = only(await exportNow(t, id));
    expect(run2).toMatchObject({
      status: 'succeeded',
      added: second.toAdd,
      removed: second.toRemove,
      skippedNotFound: 0,
      requests: second.requestsEstimate,
    });
    expect(sorted(emu.lists.members(run2.target!.id))).toEqual(
      sorted([...ids.slice(5), ...joining]),
    );

    // Two more join, one of them deleted in Sales: only writing finds it out.
    const late = contacts.slice(110, 112);
    emu.contacts.delete(late[1]);
    await audience.load([
      ...staying,
      ...joiners,
      ...late.map((contactId, i) => ({ id: `late-${i}`, contactId, groups: ['Dry-run'] })),
    ]);
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    const third = await dryRun(id);
    expect(third).toMatchObject({ toAdd: 2, toRemove: 0, skippedNotInTarget: 0 });
    const run3 = only(await exportNow(t, id));
    expect(run3).toMatchObject({ added: 1, skippedNotFound: 1, removed: 0 });

    // Now it is known: the next dry run counts it as not in the target, with nothing to do.
    const fourth = await dryRun(id);
    expect(fourth).toMatchObject({ toAdd: 0, toRemove: 0, skippedNotInTarget: 1, listSize: 64 });
    const run4 = only(await exportNow(t, id));
    expect(run4).toMatchObject({
      added: 0,
      removed: 0,
      skippedNotFound: 0,
      requests: fourth.requestsEstimate,
    });
  });

  it('holds a wiped segment before any write; approving lets it go, once', async () => {
    const ids = contacts.slice(200, 240);
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Wiped',
      contactIds: ids,
    });
    const id = await destination([segmentId]);
    const first = only(await exportNow(t, id));
    const listId = first.target!.id;
    expect(emu.lists.members(listId)).toHaveLength(40);

    // The source comes back without the group: the segment is empty.
    await audience.load(people.map((p) => ({ ...p, groups: [] })));
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);

    const preview = await dryRun(id);
    expect(preview).toMatchObject({ status: 'held', toRemove: 40, listSize: 40 });
    expect(preview.reason).toMatch(/would remove 40 of 40 members \(100%\), over the limit of 10%/);

    emu.resetStats();
    const before = listsState();
    const held = await exportNow(t, id);
    expect(held.status).toBe('held');
    expect(held.error).toMatch(
      /"Wiped" would remove 40 of 40 members \(100%\), over the limit of 10%/,
    );
    expect(only(held)).toMatchObject({
      status: 'held',
      removed: 0,
      hold: {
        reason: 'would remove 40 of 40 members (100%), over the limit of 10%',
        removals: 40,
        listSize: 40,
      },
    });
    // No write reached Sales: the list is as it was.
    expect(listsState()).toBe(before);
    expect(
      Object.keys(emu.stats().endpoints).filter((e) => /ListMembers|PATCH|DELETE/.test(e)),
    ).toEqual([]);
    const dest = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(dest.body.lastRun).toMatchObject({ status: 'held', heldSegments: 1 });
    // The member log says each planned removal was held, not that it failed to apply.
    const log = await t.api().get(`/api/export-runs/${held.id}/members?outcome=failed`).expect(200);
    expect(log.body.items).toHaveLength(40);
    for (const item of log.body.items) expect(item.reason).toMatch(/^Held: .*removal limit/);

    const approved = await t.api().post(`/api/export-runs/${held.id}/approve`).expect(202);
    expect(approved.body).toMatchObject({ approveRemovals: true, trigger: 'api' });
    const released = await waitForExport(t, approved.body.id as string);
    expect(released.status).toBe('succeeded');
    expect(released.notes.join(' ')).toMatch(new RegExp(`held by export run ${held.id}`));
    expect(only(released)).toMatchObject({ status: 'succeeded', removed: 40 });
    expect(emu.lists.members(listId)).toEqual([]);

    const after = await t.api().get(`/api/export-runs/${held.id}`).expect(200);
    expect(only(after.body as ExportRunView).hold).toMatchObject({
      approvedRunId: approved.body.id,
    });
    const again = await t.api().post(`/api/export-runs/${held.id}/approve`).expect(409);
    expect(again.body.message).toMatch(/no held segments to approve.*approved already/);
    await t.api().post(`/api/export-runs/${released.id}/approve`).expect(409);
  });

  it('the next run with approveRemovals lets a held segment go', async () => {
    const ids = contacts.slice(300, 330);
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Approved by the next run',
      contactIds: ids,
    });
    const id = await destination([segmentId]);
    const listId = only(await exportNow(t, id)).target!.id;
    await audience.load(people.slice(0, 10));
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);

    const held = await exportNow(t, id);
    expect(only(held)).toMatchObject({ status: 'held', removed: 0 });
    expect(only(held).hold!.reason).toBe(
      'would remove 20 of 30 members (67%), over the limit of 10%',
    );
    expect(emu.lists.members(listId)).toHaveLength(30);

    const run = await exportNow(t, id, { approveRemovals: true });
    expect(run).toMatchObject({ status: 'succeeded', approveRemovals: true });
    expect(only(run)).toMatchObject({ removed: 20 });
    expect(sorted(emu.lists.members(listId))).toEqual(sorted(ids.slice(0, 10)));
  });

  it('holds before any write when the list read back from Sales plans more removals', async () => {
    const ids = contacts.slice(600, 620);
    const { segmentId } = await segmentWithMembers(t, { name: 'Drifted', contactIds: ids });
    const id = await destination([segmentId]);
    const listId = only(await exportNow(t, id)).target!.id;
    // Someone adds 30 contacts to the list by hand in Sales: a mirror export removes them.
    await addInSales(listId, contacts.slice(640, 670));
    expect(emu.lists.members(listId)).toHaveLength(50);

    const before = listsState();
    const held = only(await exportNow(t, id));
    expect(held).toMatchObject({
      status: 'held',
      removed: 0,
      hold: { removals: 30, listSize: 50 },
    });
    expect(held.hold!.reason).toBe('would remove 30 of 50 members (60%), over the limit of 10%');
    expect(listsState()).toBe(before);

    // The dry run now knows what the list holds.
    expect(await dryRun(id)).toMatchObject({ status: 'held', toRemove: 30, listSize: 50 });
    const run = await exportNow(t, id, { approveRemovals: true });
    expect(only(run)).toMatchObject({ status: 'succeeded', removed: 30 });
    expect(sorted(emu.lists.members(listId))).toEqual(sorted(ids));
  });

  it('validates the removal limit and honours the one set', async () => {
    const ids = contacts.slice(400, 440);
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Own limit',
      contactIds: ids,
    });
    const bad = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Bad limit',
        config: { serverAddress: emu.url, auth: clientCredentialsAuth(emu) },
        contactIdField: 'contactId',
        removalLimit: { percent: 150, count: -1, minimum: 2.5, other: 1 },
      })
      .expect(400);
    const paths = (bad.body.details as { path: string; message: string }[]).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'removalLimit.percent',
        'removalLimit.count',
        'removalLimit.minimum',
        'removalLimit.other',
      ]),
    );
    expect(JSON.stringify(bad.body.details)).toMatch(/must be a number from 0 to 100, or null/);
    const notObject = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Bad limit',
        config: { serverAddress: emu.url, auth: clientCredentialsAuth(emu) },
        contactIdField: 'contactId',
        removalLimit: 10,
      })
      .expect(400);
    expect(notObject.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'removalLimit' })]),
    );

    const id = await destination([segmentId], { removalLimit: { percent: 50, count: null } });
    const created = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(created.body.removalLimit).toEqual({ percent: 50, count: null, minimum: 10 });
    const listId = only(await exportNow(t, id)).target!.id;

    // 15 of 40 (37.5%) is within 50%.
    await audience.load(people.slice(0, 25));
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    expect(only(await exportNow(t, id))).toMatchObject({ status: 'succeeded', removed: 15 });

    // 20 of 25 (80%) is not; with the limit off it goes.
    await audience.load(people.slice(0, 5));
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    expect(only(await exportNow(t, id))).toMatchObject({ status: 'held' });
    await t
      .api()
      .put(`/api/destinations/${id}`, { removalLimit: { percent: null, count: null } })
      .expect(200);
    expect((await dryRun(id)).status).toBe('ready');
    expect(only(await exportNow(t, id))).toMatchObject({ status: 'succeeded', removed: 20 });
    expect(emu.lists.members(listId)).toHaveLength(5);

    const reset = await t.api().put(`/api/destinations/${id}`, { removalLimit: null }).expect(200);
    expect(reset.body.removalLimit).toEqual({ percent: 10, count: 10000, minimum: 10 });
  });

  it('a refresh holds the segment too (held, not failed)', async () => {
    const ids = contacts.slice(500, 530);
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Refreshed',
      contactIds: ids,
    });
    const id = await destination([segmentId]);
    // Only this destination is exported by the refresh.
    const others = (await t.api().get('/api/destinations').expect(200)).body as { id: string }[];
    for (const d of others.filter((d) => d.id !== id)) {
      await t.api().put(`/api/destinations/${d.id}`, { enabled: false }).expect(200);
    }
    const listId = only(await exportNow(t, id)).target!.id;
    await audience.load(people.map((p) => ({ ...p, groups: [] })));

    const before = listsState();
    const refresh = await refreshNow(t);
    expect(refresh.status).toBe('partial');
    const stage = refresh.stages.find((s) => s.name === 'export')!;
    expect(stage.figures).toMatchObject({ held: 1, failed: 0 });
    const runs = await t.api().get(`/api/export-runs?refreshRunId=${refresh.id}`).expect(200);
    const run = (runs.body.items as ExportRunView[])[0];
    expect(run).toMatchObject({ status: 'held', trigger: 'refresh' });
    expect(only(run)).toMatchObject({ status: 'held', hold: { removals: 30, listSize: 30 } });
    expect(listsState()).toBe(before);

    const approved = await t.api().post(`/api/export-runs/${run.id}/approve`).expect(202);
    expect((await waitForExport(t, approved.body.id as string)).status).toBe('succeeded');
    expect(emu.lists.members(listId)).toEqual([]);
  });
});

async function refreshNow(t: TestApp): Promise<RefreshRunView> {
  const started = await t.api().post('/api/refresh').expect(202);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const res = await t.api().get(`/api/refresh/runs/${started.body.id}`).expect(200);
    const run = res.body as RefreshRunView;
    if (['succeeded', 'partial', 'failed', 'canceled'].includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`refresh did not end: ${JSON.stringify(run)}`);
    await sleep(25);
  }
}
