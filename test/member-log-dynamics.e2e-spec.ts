import { clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { segmentWithMembers } from './support/audience-fixtures';
import { exportNow } from './support/export-run-wait';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

interface Item {
  customerId: string | null;
  contactId: string | null;
  outcome: string;
  reason: string;
}

/**
 * Issue 16 against the Dataverse emulator over HTTPS: the member log of exports to Dynamics 365
 * Sales (adds, contacts without an id, contacts deleted in Sales, removes, a segment that fails
 * with changes not applied) and "why is this customer (not) on the list".
 */
describe('member log and explain with Dynamics 365 Sales (emulator)', () => {
  let emu: EmulatorHandle;
  let t: TestApp;
  let contacts: string[];

  beforeAll(async () => {
    emu = await startEmulator({ contacts: 200, dopHint: 4 });
    contacts = emu.contacts.all(0, 200).map((c) => c.contactid);
    t = await startTestApp({
      env: { ALLOWED_HOSTS: new URL(emu.url).host, EXTRA_CA_CERTS: emu.caCertPath },
    });
  });
  afterAll(() => closeAll(t, emu));

  async function members(runId: string): Promise<Item[]> {
    const res = await t.api().get(`/api/export-runs/${runId}/members?limit=1000`).expect(200);
    expect(res.body.next).toBeNull();
    return res.body.items as Item[];
  }
  const outcomes = (items: Item[]) =>
    items.reduce<Record<string, number>>(
      (n, i) => ({ ...n, [i.outcome]: (n[i.outcome] ?? 0) + 1 }),
      {},
    );

  it('logs adds, skips (no contact id, not found in Sales), removes and changes not applied', async () => {
    const ids = contacts.slice(0, 40);
    const deleted = ids[7];
    emu.contacts.delete(deleted);
    const seg = await segmentWithMembers(t, {
      name: 'Sales logged',
      contactIds: ids,
      withoutContactId: 3,
    });
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Sales',
        config: { serverAddress: emu.url, auth: clientCredentialsAuth(emu) },
        contactIdField: 'contactId',
        segmentIds: [seg.segmentId],
      })
      .expect(201);
    const destinationId = created.body.id as string;

    const first = await exportNow(t, destinationId);
    expect(first.segments[0]).toMatchObject({ added: 39, skippedNoKey: 3, skippedNotFound: 1 });
    const log1 = await members(first.id);
    expect(outcomes(log1)).toEqual({ added: 39, skipped: 4 });
    expect(log1.find((i) => i.contactId === deleted)).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/not found in the target/),
    });
    expect(log1.filter((i) => i.contactId === null)).toHaveLength(3);

    // The contact deleted in Sales, asked by its id in upper case (GUIDs ignore case).
    const gone = await t
      .api()
      .get(`/api/destinations/${destinationId}/explain?contactId=${deleted.toUpperCase()}`)
      .expect(200);
    expect(gone.body.segments[0]).toMatchObject({
      member: true,
      hasContactId: true,
      foundInTarget: false,
      onList: false,
      lastRun: { runId: first.id, outcome: 'skipped' },
      explanation: expect.stringMatching(/was not found in "Sales" at the last export/),
    });
    const kept = await t
      .api()
      .get(`/api/destinations/${destinationId}/explain?contactId=${ids[0]}`)
      .expect(200);
    expect(kept.body.segments[0]).toMatchObject({
      foundInTarget: true,
      onList: true,
      lastRun: { outcome: 'added' },
      explanation: expect.stringMatching(/^On the list: .* was added by the export of /),
    });

    // Five leave the segment (the customers stay), two join: the list is locked, so nothing is applied.
    const people = seg.people.map((p) =>
      ids.slice(0, 5).includes(p.contactId ?? '') ? { ...p, groups: [] } : p,
    );
    people.push(
      { id: 'new-1', contactId: contacts[100], groups: ['Sales-logged'] },
      { id: 'new-2', contactId: contacts[101], groups: ['Sales-logged'] },
    );
    await seg.audience.load(people);
    await t.api().post(`/api/segments/${seg.segmentId}/evaluate`).expect(200);
    const listId = first.segments[0].target!.id;
    emu.lists.lock(listId);
    const locked = await exportNow(t, destinationId);
    expect(locked.segments[0].status).toBe('failed');
    const log2 = await members(locked.id);
    const notApplied = log2.filter((i) => i.outcome === 'failed');
    expect(notApplied).toHaveLength(7);
    expect(notApplied[0].reason).toMatch(/^Not applied: the export of this segment stopped/);

    emu.lists.unlock(listId);
    const applied = await exportNow(t, destinationId);
    expect(applied.segments[0]).toMatchObject({ added: 2, removed: 5 });
    const log3 = await members(applied.id);
    expect(outcomes(log3)).toEqual({ added: 2, removed: 5, skipped: 3 });
    const removed = log3.filter((i) => i.outcome === 'removed');
    expect(removed.map((i) => i.contactId).sort()).toEqual(ids.slice(0, 5).sort());
    expect(removed.every((i) => i.customerId !== null)).toBe(true);

    const left = await t
      .api()
      .get(`/api/destinations/${destinationId}/explain?customerId=${removed[0].customerId}`)
      .expect(200);
    expect(left.body.segments[0]).toMatchObject({
      member: false,
      onList: false,
      lastRun: { runId: applied.id, outcome: 'removed' },
      explanation: expect.stringMatching(/^Not on the list: no longer a member of "Sales logged"/),
    });
  });
});
