import {
  DataverseRuntime,
  clientCredentialsAuth,
  type ClientCredentialsAuth,
} from '@audience-sync/dataverse-client';
import { REAL_LIMITS, startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Db } from '@platform/database/db.service';
import type { ExportRunView } from '@stages/destinations/export-run.view';
import { segmentWithMembers } from './support/audience-fixtures';
import { exportNow, waitForExport } from './support/export-run-wait';
import { startTestApp, type TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';
import { closeAll } from './support/close-all';

/**
 * Issue 5 end to end: the real app (HTTP API, database) exports to the Dataverse emulator over
 * HTTPS, signing in with real MSAL; the app trusts the emulator only through EXTRA_CA_CERTS and
 * ALLOWED_HOSTS, as an operator would configure it.
 */
describe('Dynamics 365 Sales destination through the API (emulator over HTTPS, real MSAL)', () => {
  let emu: EmulatorHandle;
  let serial: EmulatorHandle;
  let t: TestApp;
  let contacts: string[];
  const printed: string[] = [];
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: unknown, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
      restore.push(() => (stream.write = write));
    }
    emu = await startEmulator({ contacts: 2600, dopHint: 4 });
    // A second organization that takes one request at a time (for an expiry between chunks).
    serial = await startEmulator({ contacts: 3500, dopHint: 1, seed: 2 });
    contacts = emu.contacts.all(0, 2600).map((c) => c.contactid);
    t = await startTestApp({
      env: {
        LOG_LEVEL: 'verbose',
        ALLOWED_HOSTS: `${new URL(emu.url).host},${new URL(serial.url).host}`,
        EXTRA_CA_CERTS: `${emu.caCertPath},${serial.caCertPath}`,
      },
    });
    // Customers get the contactId field from a CSV source (the destination's contactIdField).
    await segmentWithMembers(t, { name: 'Everyone', contactIds: contacts.slice(0, 5) });
  });
  afterAll(() => closeAll(t, emu, serial, ...restore));
  beforeEach(() => {
    emu.faults.clear();
    emu.limits.set(REAL_LIMITS);
  });

  const auth = (): ClientCredentialsAuth => clientCredentialsAuth(emu);

  async function destination(
    segmentIds: string[],
    overrides: Record<string, unknown> = {},
  ): Promise<string> {
    named += 1;
    const res = await t.api().post('/api/destinations', {
      type: 'dynamics365-sales',
      displayName: `Sales (emulator) ${named}`,
      config: { serverAddress: emu.url, auth: auth() },
      contactIdField: 'contactId',
      segmentIds,
      ...overrides,
    });
    if (res.status !== 201) throw new Error(`create destination: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  let named = 0;
  const members = (listId: string) => new Set(emu.lists.members(listId));
  const only = (run: ExportRunView) => {
    expect(run.segments).toHaveLength(1);
    return run.segments[0];
  };
  /** Dataverse writes seen by the emulator since the last reset (tokens and $batch envelopes aside). */
  const writes = () =>
    Object.entries(emu.stats().endpoints)
      .filter(([name]) => !/^(GET |POST \/token|POST \/\$batch)/.test(name))
      .reduce((n, [, s]) => n + (s?.count ?? 0), 0);

  it('lists the type with its configuration schema and sign-in', async () => {
    const res = await t.api().get('/api/destination-types').expect(200);
    const type = (res.body as Array<{ type: string }>).find((d) => d.type === 'dynamics365-sales');
    expect(type).toMatchObject({
      displayName: 'Dynamics 365 Sales',
      secretFields: ['auth.clientSecret', 'auth.tokenCache'],
      syncModes: ['mirror', 'additive'],
      defaultSyncMode: 'mirror',
      exportStyle: 'changes',
      signIn: { kind: 'device-code' },
    });
  });

  it('refuses server addresses outside the allow-list, naming the field', async () => {
    for (const [serverAddress, message] of [
      ['https://10.0.0.5', /uses the IP address 10\.0\.0\.5/],
      ['https://169.254.169.254', /uses the IP address 169\.254\.169\.254/],
      ['https://intranet.local', /intranet\.local is not a Dynamics 365 organization/],
      ['http://contoso.crm.dynamics.com', /must use https:\/\//],
      [`https://127.0.0.1:${Number(new URL(emu.url).port) + 1}`, /IP address/],
    ] as const) {
      const res = await t
        .api()
        .post('/api/destinations', {
          type: 'dynamics365-sales',
          displayName: 'Bad address',
          config: { serverAddress, auth: auth() },
          contactIdField: 'contactId',
        })
        .expect(400);
      expect(res.body.details).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            path: 'config.serverAddress',
            message: expect.stringMatching(message),
          }),
        ]),
      );
    }
    const authority = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Bad authority',
        config: {
          serverAddress: emu.url,
          auth: { ...auth(), authorityHost: 'https://sts.internal.example' },
        },
        contactIdField: 'contactId',
      })
      .expect(400);
    expect(JSON.stringify(authority.body.details)).toMatch(
      /sts\.internal\.example is not an Entra ID sign-in host/,
    );
  });

  it('tests the connection and says what is wrong, in words', async () => {
    const id = await destination([]);
    const ok = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(ok.body).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Connected to https:\/\/127\.0\.0\.1/),
    });

    const bad = await destination([], {
      config: { serverAddress: emu.url, auth: { ...auth(), clientSecret: 'wrong-secret-value' } },
    });
    const refused = await t.api().post(`/api/destinations/${bad}/test`).expect(200);
    expect(refused.body).toMatchObject({
      ok: false,
      message: expect.stringMatching(/client secret is wrong \(AADSTS7000215/),
    });

    emu.faults.denyPrivileges(['prvReadList']);
    const denied = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(denied.body.message).toMatch(/cannot read marketing lists: Missing privilege/);
  });

  it('first export, re-export with adds and removes, unchanged re-export without writes', async () => {
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Lisbon buyers',
      contactIds: contacts.slice(0, 2100),
      withoutContactId: 3,
    });
    const id = await destination([segmentId]);

    const first = await exportNow(t, id);
    expect(first.status).toBe('succeeded');
    const s1 = only(first);
    expect(s1).toMatchObject({
      status: 'succeeded',
      members: 2103,
      added: 2100,
      removed: 0,
      skippedNoKey: 3,
      skippedNotFound: 0,
      failed: 0,
      target: { name: 'Lisbon buyers' },
    });
    expect(s1.requests).toBe(4);
    const listId = s1.target!.id;
    expect(emu.lists.get(listId)).toMatchObject({
      listname: 'Lisbon buyers',
      createdfromcode: 2,
      type: false,
      source: 'Audience Sync',
      membercount: 2100,
    });
    expect(members(listId)).toEqual(new Set(contacts.slice(0, 2100)));

    // 100 leave the segment, 150 join.
    const kept = people.filter(
      (p) => !p.contactId || !contacts.slice(0, 100).includes(p.contactId),
    );
    const joined = contacts
      .slice(2100, 2250)
      .map((contactId, i) => ({ id: `joined-${i}`, contactId, groups: ['Lisbon-buyers'] }));
    await audience.load([...kept, ...joined]);
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    const second = await exportNow(t, id);
    expect(only(second)).toMatchObject({
      status: 'succeeded',
      added: 150,
      removed: 100,
      target: { id: listId },
    });
    expect(members(listId)).toEqual(new Set(contacts.slice(100, 2250)));

    emu.resetStats();
    const third = await exportNow(t, id);
    expect(only(third)).toMatchObject({ status: 'succeeded', added: 0, removed: 0, requests: 1 });
    expect(writes()).toBe(0);
  });

  it('additive mode adds and never removes', async () => {
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Additive',
      contactIds: contacts.slice(0, 20),
    });
    const id = await destination([segmentId], { syncMode: 'additive' });
    const first = await exportNow(t, id);
    const listId = only(first).target!.id;
    await audience.load([
      ...people.slice(5),
      { id: 'new', contactId: contacts[30], groups: ['Additive'] },
    ]);
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    const second = await exportNow(t, id);
    expect(only(second)).toMatchObject({ added: 1, removed: 0 });
    expect(members(listId)).toEqual(new Set([...contacts.slice(0, 20), contacts[30]]));
  });

  it('skips and counts contacts deleted in Sales; the rest of their chunk lands', async () => {
    const ids = contacts.slice(2300, 2400);
    const deleted = [ids[3], ids[77]];
    for (const c of deleted) emu.contacts.delete(c);
    const { segmentId } = await segmentWithMembers(t, {
      name: 'With deleted contacts',
      contactIds: ids,
    });
    const id = await destination([segmentId]);
    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(only(run)).toMatchObject({ added: 98, skippedNotFound: 2, failed: 0 });
    expect(members(only(run).target!.id)).toEqual(new Set(ids.filter((c) => !deleted.includes(c))));
  });

  it('creates a list deleted in Sales again; a locked or deactivated list fails only its segment', async () => {
    const a = await segmentWithMembers(t, { name: 'Segment A', contactIds: contacts.slice(0, 10) });
    const b = await segmentWithMembers(t, {
      name: 'Segment B',
      contactIds: contacts.slice(10, 20),
    });
    const id = await destination([a.segmentId, b.segmentId]);
    const first = await exportNow(t, id);
    const list = (run: ExportRunView, segmentId: string) =>
      run.segments.find((s) => s.segmentId === segmentId)!;
    const listA = list(first, a.segmentId).target!.id;
    const listB = list(first, b.segmentId).target!.id;

    emu.lists.lock(listA);
    await a.audience.load([
      ...a.people,
      { id: 'more', contactId: contacts[50], groups: ['Segment-A'] },
    ]);
    await t.api().post(`/api/segments/${a.segmentId}/evaluate`).expect(200);
    const locked = await exportNow(t, id);
    expect(locked.status).toBe('partial');
    expect(list(locked, a.segmentId)).toMatchObject({
      status: 'failed',
      errors: [expect.stringMatching(/"Segment A" .* is locked in Sales/)],
    });
    expect(list(locked, b.segmentId).status).toBe('succeeded');

    emu.lists.unlock(listA);
    emu.lists.deactivate(listA);
    const inactive = await exportNow(t, id);
    expect(list(inactive, a.segmentId)).toMatchObject({
      status: 'failed',
      errors: [expect.stringMatching(/is inactive in Sales/)],
    });

    emu.lists.activate(listA);
    const recovered = await exportNow(t, id);
    expect(list(recovered, a.segmentId)).toMatchObject({ status: 'succeeded', added: 1 });

    // Deleted in Sales: created again with every member at the next export.
    await deleteInSales(`lists(${listB})`);
    const again = await exportNow(t, id);
    const b2 = list(again, b.segmentId);
    expect(b2).toMatchObject({ status: 'succeeded', added: 10 });
    expect(b2.target!.id).not.toBe(listB);
    expect(b2.notes.join(' ')).toMatch(/deleted there\); it was created again/);
    expect(members(b2.target!.id)).toEqual(new Set(contacts.slice(10, 20)));
  });

  it('goes on through a throttling storm (a small limit window) and reports throttled requests', async () => {
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Storm',
      contactIds: contacts.slice(0, 2300),
    });
    const id = await destination([segmentId]);
    emu.limits.set({ windowSeconds: 1, maxRequests: 2 });
    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    const s = only(run);
    expect(s).toMatchObject({ added: 2300, failed: 0 });
    expect(s.throttled).toBeGreaterThan(0);
    expect(run.totals.throttled).toBe(s.throttled);
    expect(members(s.target!.id).size).toBe(2300);
  });

  it('a segment that fails after throttling still reports its requests and throttled answers', async () => {
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Throttled then refused',
      contactIds: contacts.slice(0, 10),
    });
    const id = await destination([segmentId]);
    emu.faults.failNext(2, { status: 429, endpoint: 'AddListMembersList' });
    emu.faults.failNext(1, { status: 400, endpoint: 'AddListMembersList' });
    const run = await exportNow(t, id);
    expect(run.status).toBe('failed');
    const res = await t.api().get(`/api/export-runs/${run.id}`).expect(200);
    const failed = only(res.body as ExportRunView);
    expect(failed.status).toBe('failed');
    // POST lists, then AddListMembersList three times (429, 429, 400).
    expect(failed).toMatchObject({ requests: 4, throttled: 2 });
    expect((res.body as ExportRunView).totals).toMatchObject({ requests: 4, throttled: 2 });
  });

  it('goes on through 5xx answers and dropped connections', async () => {
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Flaky',
      contactIds: contacts.slice(0, 2300),
    });
    const id = await destination([segmentId]);
    emu.resetStats();
    emu.faults.failNext(2, { status: 503, endpoint: 'AddListMembersList' });
    emu.faults.failNext(1, { status: 500, endpoint: 'lists' });
    emu.faults.dropConnections(2, { endpoint: 'AddListMembersList' });
    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(only(run)).toMatchObject({ added: 2300, failed: 0 });
    expect(emu.stats().totals.failed).toBeGreaterThanOrEqual(5);
    expect(members(only(run).target!.id).size).toBe(2300);
  });

  it('goes on when the tokens it holds expire: one refresh on the 401', async () => {
    const { segmentId, audience, people } = await segmentWithMembers(t, {
      name: 'Expiring tokens',
      contactIds: contacts.slice(0, 1500),
    });
    const id = await destination([segmentId]);
    const first = await exportNow(t, id);
    expect(first.status).toBe('succeeded');
    // Every token issued so far (the one the app caches) is now refused as expired.
    emu.faults.expireAllTokens();
    emu.resetStats();
    await audience.load(people.slice(0, 1200));
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    // 300 of 1,500 (20%) is over the default removal limit: approved up front.
    const second = await exportNow(t, id, { approveRemovals: true });
    expect(second.status).toBe('succeeded');
    expect(only(second)).toMatchObject({ removed: 300, failed: 0 });
    expect(emu.stats().totals.failed).toBe(1);
    expect(members(only(second).target!.id)).toEqual(new Set(contacts.slice(0, 1200)));
  });

  it('goes on when every token expires between two chunks of a run', async () => {
    const ids = serial.contacts.all(0, 3500).map((c) => c.contactid);
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Expiring mid-run',
      contactIds: ids,
    });
    const id = await destination([segmentId], {
      config: {
        serverAddress: serial.url,
        auth: clientCredentialsAuth(serial),
      },
    });
    serial.faults.addLatency(300, { endpoint: 'AddListMembersList' });
    const started = await t.api().post(`/api/destinations/${id}/runs`, {}).expect(202);
    // One chunk at a time (x-ms-dop-hint 1): once the first has landed, the tokens expire.
    const landed = () => serial.lists.all().reduce((n, l) => n + l.membercount, 0);
    for (let i = 0; landed() === 0; i++) {
      if (i > 1000) throw new Error('no chunk landed');
      await sleep(5);
    }
    serial.faults.expireAllTokens();
    const run = await waitForExport(t, started.body.id as string);
    expect(run.status).toBe('succeeded');
    expect(only(run)).toMatchObject({ added: 3500, failed: 0 });
    expect(landed()).toBe(3500);
    // A later chunk met the expired token once (401), then went through with a new one.
    expect(serial.stats().endpoints['POST /AddListMembersList']?.failed).toBeGreaterThanOrEqual(1);
  });

  it('keeps the stored client secret when an update omits it', async () => {
    const id = await destination([]);
    const withoutSecret: Partial<ClientCredentialsAuth> = auth();
    delete withoutSecret.clientSecret;
    const updated = await t
      .api()
      .put(`/api/destinations/${id}`, {
        displayName: 'Renamed Sales',
        config: { serverAddress: emu.url, auth: withoutSecret },
      })
      .expect(200);
    expect(updated.body.secrets['auth.clientSecret']).toBe('set');
    const test = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(test.body.ok).toBe(true);
  });

  it('asks for the client secret again when the server address or the sign-in host changes', async () => {
    const id = await destination([]);
    const withoutSecret = (overrides: Partial<ClientCredentialsAuth> = {}) => {
      const a: Partial<ClientCredentialsAuth> = { ...auth(), ...overrides };
      delete a.clientSecret;
      return a;
    };
    const update = (config: Record<string, unknown>) =>
      t.api().put(`/api/destinations/${id}`, { config });
    const again = (host: string) =>
      `is required again: the ${host} changed: enter the client secret again (a stored secret is only sent to the hosts it was entered for)`;
    serial.resetStats();

    const moved = await update({ serverAddress: serial.url, auth: withoutSecret() }).expect(400);
    expect(moved.body.details).toEqual([
      { path: 'config.auth.clientSecret', message: again('server address') },
    ]);
    const signIn = await update({
      serverAddress: emu.url,
      auth: withoutSecret({ authorityHost: new URL(serial.authority).origin }),
    }).expect(400);
    expect(signIn.body.details).toEqual([
      { path: 'config.auth.clientSecret', message: again('sign-in host') },
    ]);
    const both = await update({
      serverAddress: serial.url,
      auth: withoutSecret({ authorityHost: new URL(serial.authority).origin }),
    }).expect(400);
    expect(both.body.details).toEqual([
      { path: 'config.auth.clientSecret', message: again('server address and the sign-in host') },
    ]);

    // Refused: nothing changed, and the other host never saw the stored secret or a token.
    expect((await t.api().post(`/api/destinations/${id}/test`).expect(200)).body.ok).toBe(true);
    expect(serial.stats().totals.count).toBe(0);

    // The same origin spelled differently keeps the secret.
    const respelled = await update({ serverAddress: `${emu.url}/`, auth: withoutSecret() }).expect(
      200,
    );
    expect(respelled.body.secrets['auth.clientSecret']).toBe('set');

    // With the other organization's own secret the move is accepted.
    const accepted = await update({
      serverAddress: serial.url,
      auth: clientCredentialsAuth(serial),
    }).expect(200);
    expect(accepted.body.secrets['auth.clientSecret']).toBe('set');
    expect((await t.api().post(`/api/destinations/${id}/test`).expect(200)).body.ok).toBe(true);
    expect(serial.stats().totals.count).toBeGreaterThan(0);
  });

  it('keeps secrets out of API answers, logs and the database', async () => {
    const id = await destination([]);
    const res = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(JSON.stringify(res.body)).not.toContain(emu.clientSecret);
    expect(res.body.secrets).toEqual({ 'auth.clientSecret': 'set', 'auth.tokenCache': 'not set' });
    expect(res.body.config.auth).not.toHaveProperty('clientSecret');
    const list = await t.api().get('/api/destinations').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(emu.clientSecret);

    const logs = printed.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(emu.clientSecret);
    expect(logs).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/); // no JWT (access token)
    if (testDatabaseKind() === 'sqlite') {
      const files = readdirSync(t.dataDir).filter((f) => f.includes('.sqlite'));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(readFileSync(join(t.dataDir, file)).includes(Buffer.from(emu.clientSecret))).toBe(
          false,
        );
      }
    } else {
      const rows = await t.app
        .get(Db)
        .query<{ row: string }>(
          'SELECT CAST(d.* AS text) AS row FROM destination d UNION ALL SELECT CAST(r.* AS text) FROM export_run r',
        );
      expect(rows.map((r) => r.row).join('\n')).not.toContain(emu.clientSecret);
    }
  });

  /** A person deleting something in Sales (with their own Web API client). */
  async function deleteInSales(path: string): Promise<void> {
    const runtime = new DataverseRuntime({
      allowedHosts: [new URL(emu.url).host],
      extraCaCertificates: [emu.caCertPem],
    });
    try {
      await runtime.connect({ serverAddress: emu.url, auth: auth() }).delete(path);
    } finally {
      await runtime.close();
    }
  }
});
