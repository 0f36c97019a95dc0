import { request } from 'undici';
import { REAL_LIMITS } from '../src';
import { confidentialApp, startFixture, type Fixture } from './support/fixture';

/** Polls `condition` until it holds (up to 10 s). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; !condition(); i += 1) {
    if (i > 1000) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('fault injection', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ contacts: 5 });
  });
  afterAll(() => f.close());
  afterEach(() => {
    f.emu.faults.clear();
    f.emu.limits.set(REAL_LIMITS);
  });

  it('failNext: the next N matching requests fail with the given status', async () => {
    f.emu.faults.failNext(2, { status: 503, retryAfterSeconds: 3 });
    const a = await f.dv.get('WhoAmI');
    expect(a.status).toBe(503);
    expect(a.headers['retry-after']).toBe('3');
    expect(a.json.error.code).toBe('0x80040216');
    expect((await f.dv.get('contacts')).status).toBe(503);
    expect((await f.dv.get('WhoAmI')).status).toBe(200);

    f.emu.faults.failNext(1, { status: 429, endpoint: 'AddListMembersList' });
    expect((await f.dv.get('WhoAmI')).status).toBe(200);
    const throttled = await f.dv.post('AddListMembersList', {});
    expect(throttled.status).toBe(429);
    expect(throttled.json.error.code).toBe('0x80072322');
    expect(throttled.headers['retry-after']).toBe('1');

    f.emu.faults.failNext(1, { status: 500, code: '0x80040265', message: 'Plug-in failed' });
    expect((await f.dv.get('WhoAmI')).json).toEqual({
      error: { code: '0x80040265', message: 'Plug-in failed' },
    });
    expect(() => {
      f.emu.faults.failNext(1, { status: 200 });
    }).toThrow(/400-599/);
  });

  it('failNext on the identity side: the token endpoint fails', async () => {
    f.emu.faults.failNext(1, { status: 503, target: 'identity', endpoint: 'token' });
    await expect(
      f.msal.acquireTokenByClientCredential({ scopes: [f.emu.scope], skipCache: true }),
    ).rejects.toMatchObject({
      errorMessage: expect.stringContaining('fault injected'),
    });
    // MSAL then holds this app back for a while (its own throttling cache); a fresh app gets through.
    expect(f.emu.stats().endpoints['POST /token (client_credentials)']?.failed).toBe(1);
    // Over HTTP: the AADSTS error shape, with Retry-After.
    f.emu.faults.failNext(1, { status: 429, target: 'identity', retryAfterSeconds: 7 });
    const raw = await f.http.send('POST', `${f.emu.authority}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: f.emu.clientId,
        client_secret: f.emu.clientSecret,
        grant_type: 'client_credentials',
        scope: f.emu.scope,
      }).toString(),
    });
    expect(raw.status).toBe(429);
    expect(raw.headers['retry-after']).toBe('7');
    expect(raw.json).toMatchObject({
      error: 'temporarily_unavailable',
      error_description: expect.stringMatching(/^AADSTS90024: A transient error has occurred/),
      error_codes: [90024],
      trace_id: expect.any(String),
      correlation_id: expect.any(String),
    });
    const fresh = confidentialApp(f.emu, f.network);
    expect(
      (await fresh.acquireTokenByClientCredential({ scopes: [f.emu.scope] }))?.accessToken,
    ).toBeTruthy();
  });

  it('failureRate: a seeded share of requests fail', async () => {
    f.emu.faults.failureRate(0.5, { seed: 9, status: 502 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) statuses.push((await f.dv.get('WhoAmI')).status);
    const failed = statuses.filter((s) => s === 502).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    expect(statuses.every((s) => s === 200 || s === 502)).toBe(true);
    expect(() => {
      f.emu.faults.failureRate(2);
    }).toThrow(/between 0 and 1/);
  });

  it('latency: requests take at least the added time', async () => {
    f.emu.faults.addLatency(150);
    const start = Date.now();
    expect((await f.dv.get('WhoAmI')).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(145);
    expect(f.emu.faults.describe().latency).toMatchObject({ ms: 150 });
  });

  it('latency: a request whose client leaves during it is abandoned (nothing changes, 499)', async () => {
    const [contact] = f.emu.contacts.all(0, 1);
    const listid = (
      await f.dv.post(
        'lists',
        { listname: 'abandoned', createdfromcode: 2 },
        { prefer: 'return=representation' },
      )
    ).json.listid;
    f.emu.resetStats();
    f.emu.limits.set({ maxConcurrent: 1 });
    f.emu.faults.addLatency(600_000, { endpoint: 'AddListMembersList' });
    const client = new AbortController();
    const sent = request(`${f.emu.apiUrl}/AddListMembersList`, {
      method: 'POST',
      headers: { ...f.dv.headers(), 'content-type': 'application/json' },
      body: JSON.stringify({
        List: { listid },
        Members: [
          { contactid: contact.contactid, '@odata.type': 'Microsoft.Dynamics.CRM.contact' },
        ],
      }),
      dispatcher: f.http.agent,
      signal: client.signal,
    });
    await until(() => f.emu.faults.describe().delayedRequests === 1);
    client.abort();
    await expect(sent).rejects.toThrow();
    await until(() => f.emu.faults.describe().delayedRequests === 0);
    expect(f.emu.lists.get(listid)?.membercount).toBe(0);
    expect(f.emu.stats().endpoints['POST /AddListMembersList']).toMatchObject({
      count: 1,
      failed: 1,
    });
    // Its concurrency slot is free again.
    expect((await f.dv.get('WhoAmI')).status).toBe(200);
  });

  it('latency: stop() ends the requests it holds at once', async () => {
    const g = await startFixture();
    g.emu.resetStats();
    g.emu.faults.addLatency(600_000);
    const sent = g.dv.get('WhoAmI');
    await until(() => g.emu.faults.describe().delayedRequests === 1);
    g.emu.faults.addLatency(600_000, { target: 'identity' });
    const token = g.msal.acquireTokenByClientCredential({ scopes: [g.emu.scope], skipCache: true });
    await until(() => g.emu.faults.describe().delayedRequests === 2);
    await g.emu.stop(); // with ten-minute timers still pending, Jest would time out here
    await expect(sent).rejects.toThrow();
    await expect(token).rejects.toThrow();
    expect(g.emu.faults.describe().delayedRequests).toBe(0);
    expect(g.emu.stats().endpoints).toMatchObject({
      'GET /WhoAmI': { count: 1, failed: 1 },
      'POST /token (client_credentials)': { count: 1, failed: 1 },
    });
    await Promise.all([g.http.close(), g.network.close()]);
  });

  it('dropConnections: the connection closes without an answer', async () => {
    f.emu.faults.dropConnections(1);
    await expect(f.dv.get('WhoAmI')).rejects.toThrow();
    expect((await f.dv.get('WhoAmI')).status).toBe(200);
  });

  it('foreignLinks: page links point to another host until cleared', async () => {
    const prefer = { Prefer: 'odata.maxpagesize=2,odata.track-changes' };
    f.emu.faults.foreignLinks('https://other.example:8443', { links: ['nextLink'] });
    const first = await f.dv.get('contacts?$select=contactid', prefer);
    expect(first.json['@odata.nextLink']).toMatch(
      /^https:\/\/other\.example:8443\/api\/data\/v9\.2\/contacts\?\$select=contactid&\$skiptoken=/,
    );
    expect(first.json['@odata.context']).toMatch(new RegExp(`^${f.emu.url}/`));
    const last = await f.dv.get('contacts?$select=contactid', { Prefer: 'odata.track-changes' });
    expect(last.json['@odata.deltaLink']).toMatch(new RegExp(`^${f.emu.url}/`));
    expect(f.emu.faults.describe().foreignLinks).toEqual({
      origin: 'https://other.example:8443',
      links: ['nextLink'],
      endpoint: undefined,
    });

    const admin = (body: object) =>
      f.http.send('POST', `${f.emu.adminUrl}/faults`, { body: { type: 'foreignLinks', ...body } });
    expect((await admin({ origin: 'https://evil.example' })).status).toBe(200);
    const delta = await f.dv.get('contacts?$select=contactid', { Prefer: 'odata.track-changes' });
    expect(delta.json['@odata.deltaLink']).toMatch(/^https:\/\/evil\.example\/api\/data\//);
    expect((await admin({ origin: 'not a url' })).json.error).toMatch(/must be a URL/);
    expect((await admin({ origin: 'https://x.example', links: ['self'] })).status).toBe(400);

    f.emu.faults.clear();
    const plain = await f.dv.get('contacts?$select=contactid', { Prefer: 'odata.track-changes' });
    expect(plain.json['@odata.deltaLink']).toMatch(new RegExp(`^${f.emu.url}/`));
  });

  it('admin API: faults, lists, contacts, stats and projection over HTTP', async () => {
    const admin = (method: string, path: string, body?: object) =>
      f.http.send(method, `${f.emu.adminUrl}/${path}`, { body });
    expect(
      (await admin('POST', 'faults', { type: 'failNext', count: 1, status: 504 })).status,
    ).toBe(200);
    expect((await f.dv.get('WhoAmI')).status).toBe(504);
    expect((await admin('POST', 'faults', { type: 'nope' })).json.error).toMatch(
      /Unknown fault type 'nope'/,
    );
    const listid = (
      await f.dv.post(
        'lists',
        { listname: 'admin', createdfromcode: 2 },
        { prefer: 'return=representation' },
      )
    ).json.listid;
    await admin('POST', 'faults', { type: 'lockList', listid });
    expect((await admin('GET', `lists/${listid}`)).json.lockstatus).toBe(true);
    await admin('POST', `lists/${listid}/unlock`);
    const contacts = await admin('GET', 'contacts?limit=2');
    expect(contacts.json.count).toBe(5);
    expect(contacts.json.value).toHaveLength(2);
    await f.dv.post('AddListMembersList', {
      List: { listid },
      Members: [
        {
          contactid: contacts.json.value[0].contactid,
          '@odata.type': 'Microsoft.Dynamics.CRM.contact',
        },
      ],
    });
    expect((await admin('GET', `lists/${listid}/members`)).json.value).toEqual([
      contacts.json.value[0].contactid,
    ]);
    await admin('POST', 'faults', {
      type: 'deleteContact',
      contactid: contacts.json.value[0].contactid,
    });
    expect((await admin('GET', `lists/${listid}/members`)).json.value).toEqual([]);
    expect((await admin('POST', 'contacts', { count: 3 })).json.value).toHaveLength(3);
    expect(
      (await admin('PATCH', `contacts/${contacts.json.value[1].contactid}`, { firstname: 'Ada' }))
        .json.fullname,
    ).toMatch(/^Ada /);
    await admin('POST', 'faults', { type: 'denyPrivileges', privileges: ['prvReadContact'] });
    expect((await f.dv.get('contacts')).status).toBe(403);
    await admin('DELETE', 'faults');
    expect((await f.dv.get('contacts')).status).toBe(200);
    const stats = await admin('GET', 'stats');
    expect(stats.json.endpoints['GET /contacts'].count).toBeGreaterThanOrEqual(2);
    const projection = await admin('GET', 'projection');
    expect(projection.json).toMatchObject({
      limits: { maxRequests: 6000 },
      bindingLimit: expect.any(String),
    });
    expect((await admin('PUT', 'limits', { maxRequests: 1000 })).json.maxRequests).toBe(1000);
    expect((await admin('PUT', 'limits', { maxRequests: -1 })).status).toBe(400);
    await admin('PUT', 'limits', { maxRequests: 6000 });
    expect((await admin('POST', 'reset', { contacts: 2 })).json).toMatchObject({
      contacts: 2,
      lists: 0,
    });
    expect((await admin('GET', 'nothing')).status).toBe(404);
    await admin('POST', 'faults', { type: 'expireTokens' });
    expect((await f.dv.get('WhoAmI')).status).toBe(401);
    const result = await confidentialApp(f.emu, f.network).acquireTokenByClientCredential({
      scopes: [f.emu.scope],
    });
    f.dv.token = result!.accessToken;
  });

  it('mark() and projection() measure the requests between two points', async () => {
    const from = f.emu.mark();
    for (let i = 0; i < 3; i += 1) await f.dv.get('WhoAmI');
    const to = f.emu.mark();
    await f.dv.get('WhoAmI');
    const p = f.emu.projection(from, to);
    expect(p.requests).toBe(3);
    expect(p.executionMs).toBe(3 * f.emu.limits.costModel().baseMs.whoami);
  });
});
