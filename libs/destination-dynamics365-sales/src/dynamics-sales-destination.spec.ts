import { REAL_LIMITS } from '@audience-sync/dataverse-emulator';
import { DestinationErrorCode, type SignInSink } from '@audience-sync/exporter-contract';
import { DynamicsSalesDestination } from './dynamics-sales-destination';
import { startSalesFixture, type SalesFixture } from './testing/sales-fixture';
import { emptyStore } from './testing/in-memory-export-job';

const SEGMENT = {
  id: 'seg-1',
  name: 'High-value customers in Lisbon',
  description: 'Spent > 1000',
};

describe('Dynamics 365 Sales destination against the emulator (HTTPS, real MSAL)', () => {
  let fx: SalesFixture;
  let ids: string[];

  beforeAll(async () => {
    fx = await startSalesFixture({ contacts: 3500, dopHint: 4 });
    ids = fx.contactIds(3500);
  });
  afterAll(async () => {
    await fx.close();
  });
  beforeEach(() => {
    fx.emu.reset();
    fx.emu.limits.set(REAL_LIMITS);
  });

  const listOf = (store: { state: Record<string, unknown> }) => {
    const listId = store.state.listId as string;
    return { info: fx.emu.lists.get(listId), members: new Set(fx.emu.lists.members(listId)) };
  };
  /** Dataverse write requests seen by the emulator (token requests and the $batch envelope aside). */
  const writes = () =>
    Object.entries(fx.emu.stats().endpoints)
      .filter(([name]) => !/^(GET |POST \/token|POST \/\$batch)/.test(name))
      .reduce((n, [, stats]) => n + (stats?.count ?? 0), 0);

  it('first export: creates a static contact list named after the segment and adds every member', async () => {
    const store = emptyStore();
    const desired = ids.slice(0, 2500);
    const job = fx.job(SEGMENT, desired, store);
    const report = await fx.plugin.exportSegment(job);

    const { info, members } = listOf(store);
    expect(info).toMatchObject({
      listname: SEGMENT.name,
      createdfromcode: 2,
      type: false,
      statecode: 0,
      source: 'Audience Sync',
      purpose: 'Spent > 1000',
      membercount: 2500,
    });
    expect(info?.description).toMatch(
      /^Exported by Audience Sync from segment "High-value customers in Lisbon" \(id seg-1\) through destination "Sales \(emulator\)" \(id dest-1\)\. Last export that changed this list: \d{4}-\d\d-\d\dT/,
    );
    expect(members).toEqual(new Set(desired));
    expect(job.tally()).toEqual({ exported: 2500 });
    expect(store.checkpoint.size).toBe(2500);
    expect(report.target).toMatchObject({ id: store.state.listId, name: SEGMENT.name });
    expect(report.target.url).toContain(`id=${String(store.state.listId)}`);
    // One create and three chunks of ≤ 1,000.
    expect(report.requests).toBe(4);
    expect(fx.emu.stats().endpoints['POST /AddListMembersList']?.count).toBe(3);
  });

  it('re-export: adds new members, removes departed ones, then an unchanged re-export writes nothing', async () => {
    const store = emptyStore();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 1500), store));
    const before = listOf(store).info?.description;

    const next = [...ids.slice(200, 1500), ...ids.slice(2000, 2300)];
    const job = fx.job(SEGMENT, next, store);
    fx.emu.resetStats();
    const report = await fx.plugin.exportSegment(job);
    expect(listOf(store).members).toEqual(new Set(next));
    expect(job.tally()).toEqual({ exported: 300, removed: 200 });
    // GET list, one add chunk, one remove chunk, one description update.
    expect(report.requests).toBe(4);
    const changed = listOf(store).info?.description;
    expect(changed).not.toBe(before);

    fx.emu.resetStats();
    const again = fx.job(SEGMENT, next, store);
    const unchanged = await fx.plugin.exportSegment(again);
    expect(writes()).toBe(0);
    expect(unchanged.requests).toBe(1);
    expect(again.outcomes).toEqual([]);
    expect(listOf(store).info?.description).toBe(changed);
  });

  it('additive mode adds and never removes', async () => {
    const store = emptyStore();
    await fx.plugin.exportSegment(
      fx.job(SEGMENT, ids.slice(0, 100), store, { syncMode: 'additive' }),
    );
    const job = fx.job(SEGMENT, ids.slice(50, 150), store, { syncMode: 'additive' });
    await fx.plugin.exportSegment(job);
    expect(listOf(store).members).toEqual(new Set(ids.slice(0, 150)));
    expect(job.tally()).toEqual({ exported: 50 });
    expect(fx.emu.stats().endpoints['POST /RemoveListMembersList']).toBeUndefined();
  });

  it('skips contacts deleted in Sales as not-found while the rest of their chunk lands, at bounded cost', async () => {
    const store = emptyStore();
    const desired = ids.slice(0, 2000);
    const gone = [ids[5], ids[700], ids[1500]];
    for (const id of gone) fx.emu.contacts.delete(id);
    const job = fx.job(SEGMENT, desired, store);
    const report = await fx.plugin.exportSegment(job);
    const expected = desired.filter((id) => !gone.includes(id));
    expect(listOf(store).members).toEqual(new Set(expected));
    expect(job.tally()).toEqual({ exported: 1997, 'skipped:not-found': 3 });
    expect(job.outcomes.filter((o) => o.outcome === 'skipped')).toEqual(
      expect.arrayContaining(
        gone.map((id) => ({
          key: id,
          outcome: 'skipped',
          reason: 'not-found',
          message: `Contact ${id} does not exist in Sales.`,
        })),
      ),
    );
    // create + 2 chunks, each failing once, looked up once ($batch) and resent: 1 + 2 × 3.
    expect(report.requests).toBe(7);
    // The next export does not offer them again and writes nothing.
    fx.emu.resetStats();
    await fx.plugin.exportSegment(fx.job(SEGMENT, desired, store));
    expect(writes()).toBe(0);
  });

  it('skips keys that are not contact ids and sends each id once whatever its spelling', async () => {
    const store = emptyStore();
    const upper = ids[1].toUpperCase();
    const job = fx.job(SEGMENT, [ids[0], `{${upper}}`, 'not-a-guid'], store);
    await fx.plugin.exportSegment(job);
    expect(listOf(store).members).toEqual(new Set([ids[0], ids[1]]));
    expect(job.tally()).toEqual({ exported: 2, 'skipped:invalid-key': 1 });
  });

  it('keeps a contact whose key changed spelling (upper → lower case), also after a reconcile', async () => {
    const store = emptyStore();
    const upper = ids.slice(0, 30).map((id) => id.toUpperCase());
    await fx.plugin.exportSegment(fx.job(SEGMENT, upper, store));
    // Drift makes the plugin read the members back (in Dataverse's lower case).
    await fx.sales.removeMembers(store.state.listId as string, [ids[0]]);
    const job = fx.job(SEGMENT, upper, store);
    await fx.plugin.exportSegment(job);
    expect(listOf(store).members).toEqual(new Set(ids.slice(0, 30)));
    // The source now spells the ids in lower case: the contacts stay in the list.
    const lower = fx.job(SEGMENT, ids.slice(0, 30), store);
    await fx.plugin.exportSegment(lower);
    expect(listOf(store).members).toEqual(new Set(ids.slice(0, 30)));
    expect(store.checkpoint).toEqual(new Set(ids.slice(0, 30)));
  });

  it('creates the list again when it was deleted in Sales, with every member', async () => {
    const store = emptyStore();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 300), store));
    const first = store.state.listId as string;
    await fx.sales.deleteList(first);
    const job = fx.job(SEGMENT, ids.slice(0, 300), store);
    const report = await fx.plugin.exportSegment(job);
    expect(store.state.listId).not.toBe(first);
    expect(listOf(store).members).toEqual(new Set(ids.slice(0, 300)));
    expect(job.tally()).toEqual({ exported: 300 });
    expect(report.notes?.[0]).toMatch(
      /no longer exists in Sales \(deleted there\); it was created again/,
    );
  });

  it.each([
    [
      'locked',
      (id: string) => {
        fx.emu.lists.lock(id);
      },
      /is locked in Sales/,
    ],
    [
      'deactivated',
      (id: string) => {
        fx.emu.lists.deactivate(id);
      },
      /is inactive in Sales/,
    ],
  ])(
    'fails a segment whose list was %s with a clear message; other segments go on',
    async (_, change, message) => {
      const broken = emptyStore();
      const fine = emptyStore();
      await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 10), broken));
      change(broken.state.listId as string);
      await expect(
        fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 20), broken)),
      ).rejects.toMatchObject({
        name: 'DestinationError',
        code: DestinationErrorCode.FORBIDDEN,
        retryable: false,
        message: expect.stringMatching(message),
      });
      expect(listOf(broken).members.size).toBe(10);
      await fx.plugin.exportSegment(fx.job({ id: 'seg-2', name: 'Other' }, ids.slice(0, 20), fine));
      expect(listOf(fine).members.size).toBe(20);
    },
  );

  it('detects members added or removed by hand (membercount ≠ checkpoint) and makes the list equal again', async () => {
    const store = emptyStore();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 1000), store));
    const listId = store.state.listId as string;
    await fx.sales.removeMembers(listId, ids.slice(0, 5));
    await fx.sales.addMembers(listId, ids.slice(3000, 3003));

    fx.emu.resetStats();
    const job = fx.job(SEGMENT, ids.slice(0, 1000), store);
    const report = await fx.plugin.exportSegment(job);
    expect(listOf(store).members).toEqual(new Set(ids.slice(0, 1000)));
    expect(report.notes?.[0]).toMatch(
      /3 member\(s\) not added by Audience Sync, 5 expected member\(s\) missing/,
    );
    expect(fx.emu.stats().endpoints['GET /lists({id})/listcontact_association']?.count).toBe(1);
    expect(job.tally()).toEqual({ exported: 5, removed: 3 });
  });

  it('in additive mode keeps members added by hand and adds back removed ones', async () => {
    const store = emptyStore();
    const additive = { syncMode: 'additive' as const };
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 50), store, additive));
    const listId = store.state.listId as string;
    await fx.sales.removeMembers(listId, ids.slice(0, 2));
    await fx.sales.addMembers(listId, ids.slice(100, 103));
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 50), store, additive));
    expect(listOf(store).members).toEqual(new Set([...ids.slice(0, 50), ...ids.slice(100, 103)]));
  });

  it('notices hand edits that keep the member count only at a full sync (documented limit)', async () => {
    const store = emptyStore();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 20), store));
    const listId = store.state.listId as string;
    await fx.sales.removeMembers(listId, [ids[0]]);
    await fx.sales.addMembers(listId, [ids[500]]);
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 20), store));
    expect(listOf(store).members.has(ids[500])).toBe(true);
    const report = await fx.plugin.exportSegment(
      fx.job(SEGMENT, ids.slice(0, 20), store, { fullSync: true }),
    );
    expect(listOf(store).members).toEqual(new Set(ids.slice(0, 20)));
    expect(report.notes?.[0]).toMatch(
      /1 member\(s\) not added by Audience Sync, 1 expected member\(s\) missing/,
    );
  });

  it('a full sync reads the members even when the counts agree', async () => {
    const store = emptyStore();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 10), store));
    fx.emu.resetStats();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 10), store, { fullSync: true }));
    expect(fx.emu.stats().endpoints['GET /lists({id})/listcontact_association']?.count).toBe(1);
    expect(writes()).toBe(0);
  });

  it('renames the list when the segment was renamed, leaving names given in Sales alone otherwise', async () => {
    const store = emptyStore();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 10), store));
    await fx.plugin.exportSegment(
      fx.job({ ...SEGMENT, name: 'Lisbon VIPs' }, ids.slice(0, 10), store),
    );
    expect(listOf(store).info?.listname).toBe('Lisbon VIPs');
    fx.emu.resetStats();
    await fx.plugin.exportSegment(
      fx.job({ ...SEGMENT, name: 'Lisbon VIPs' }, ids.slice(0, 10), store),
    );
    expect(writes()).toBe(0);
  });

  it('names the list as the settings say for the segment (config.lists), renaming it when that changes', async () => {
    const store = emptyStore();
    const named = (name: string) => ({
      ...fx.destination,
      config: { ...fx.destination.config, lists: { [SEGMENT.id]: { name } } },
    });
    await fx.plugin.exportSegment(
      fx.job(SEGMENT, ids.slice(0, 5), store, { destination: named('Lisbon newsletter') }),
    );
    expect(listOf(store).info?.listname).toBe('Lisbon newsletter');
    await fx.plugin.exportSegment(
      fx.job(SEGMENT, ids.slice(0, 5), store, { destination: named('Lisbon, spring') }),
    );
    expect(listOf(store).info?.listname).toBe('Lisbon, spring');
    fx.emu.resetStats();
    await fx.plugin.exportSegment(
      fx.job(SEGMENT, ids.slice(0, 5), store, { destination: named('Lisbon, spring') }),
    );
    expect(writes()).toBe(0);
  });

  it('exports to an existing static list picked by id, from what it holds, leaving its name alone; listTargets offers it', async () => {
    await fx.sales.client.post('lists', {
      listname: 'Newsletter (kept by hand)',
      createdfromcode: 2,
      type: false,
    });
    await fx.sales.client.post('lists', {
      listname: 'Dynamic one',
      createdfromcode: 2,
      type: true,
    });
    const existing = fx.emu.lists.all().find((l) => l.listname === 'Newsletter (kept by hand)')!;
    await fx.sales.addMembers(existing.listid, [...ids.slice(0, 3), ids[100]]);

    const offered = await fx.plugin.listTargets(fx.destination, AbortSignal.timeout(10_000));
    expect(offered).toEqual([
      { id: existing.listid, name: 'Newsletter (kept by hand)', members: 4 },
    ]);

    const store = emptyStore();
    const destination = {
      ...fx.destination,
      config: {
        ...fx.destination.config,
        lists: { [SEGMENT.id]: { listId: existing.listid.toUpperCase() } },
      },
    };
    const job = fx.job(SEGMENT, ids.slice(0, 10), store, { destination });
    const report = await fx.plugin.exportSegment(job);
    expect(report.target).toMatchObject({ id: existing.listid, name: 'Newsletter (kept by hand)' });
    expect(report.notes).toEqual([
      `Exports to the existing marketing list "Newsletter (kept by hand)" (${existing.listid}).`,
    ]);
    // Mirror: the segment's members, the one added by hand removed; only the 7 missing were sent.
    expect(new Set(fx.emu.lists.members(existing.listid))).toEqual(new Set(ids.slice(0, 10)));
    expect(job.tally()).toEqual({ exported: 7, removed: 1 });
    expect(fx.emu.lists.get(existing.listid)).toMatchObject({
      listname: 'Newsletter (kept by hand)',
    });
    expect(fx.emu.lists.all()).toHaveLength(2);

    // A list id that does not exist fails the segment in words.
    const missing = {
      ...fx.destination,
      config: {
        ...fx.destination.config,
        lists: { other: { listId: '00000000-0000-4000-8000-00000000abcd' } },
      },
    };
    await expect(
      fx.plugin.exportSegment(
        fx.job({ id: 'other', name: 'Other' }, ids.slice(0, 1), emptyStore(), {
          destination: missing,
        }),
      ),
    ).rejects.toMatchObject({
      code: DestinationErrorCode.NOT_FOUND,
      message: expect.stringMatching(
        /chosen for segment "Other" does not exist in Sales/,
      ) as unknown,
    });
  });

  it('names lists after long segment names within 128 characters', async () => {
    const store = emptyStore();
    const name = `${'Customers who bought winter equipment '.repeat(5)}and more`;
    await fx.plugin.exportSegment(fx.job({ id: 'long', name }, ids.slice(0, 1), store));
    const listname = listOf(store).info?.listname ?? '';
    expect(Array.from(listname).length).toBeLessThanOrEqual(128);
    expect(listname.endsWith('…')).toBe(true);
    expect(name.startsWith(listname.slice(0, -1))).toBe(true);
  });

  it('fails the segment clearly when privileges are missing (403)', async () => {
    fx.emu.faults.denyPrivileges(['prvCreateList']);
    await expect(
      fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 10), emptyStore())),
    ).rejects.toMatchObject({
      code: DestinationErrorCode.FORBIDDEN,
      message: expect.stringMatching(
        /^Segment "High-value customers in Lisbon": Missing privilege for POST lists.*prvCreateList/,
      ),
    });
  });

  it('goes on through a throttling storm (small limit window) and reports the throttled requests', async () => {
    fx.emu.limits.set({ windowSeconds: 1, maxRequests: 3 });
    const store = emptyStore();
    const job = fx.job(SEGMENT, ids.slice(0, 3500), store);
    const report = await fx.plugin.exportSegment(job);
    expect(listOf(store).members.size).toBe(3500);
    expect(report.throttled).toBeGreaterThan(0);
    expect(job.tally()).toEqual({ exported: 3500 });
  });

  it('reports its requests and throttled answers when it fails after throttling', async () => {
    fx.emu.faults.failNext(2, { status: 429, endpoint: 'AddListMembersList' });
    fx.emu.faults.failNext(1, { status: 400, endpoint: 'AddListMembersList' });
    const job = fx.job(SEGMENT, ids.slice(0, 10), emptyStore());
    await expect(fx.plugin.exportSegment(job)).rejects.toMatchObject({
      code: DestinationErrorCode.PERMANENT,
    });
    // POST lists, then AddListMembersList three times (429, 429, 400).
    expect(job.requests).toEqual({ requests: 4, throttled: 2 });
  });

  it('goes on through 5xx answers and dropped connections', async () => {
    fx.emu.faults.failNext(2, { status: 503, endpoint: 'AddListMembersList' });
    fx.emu.faults.dropConnections(2, { endpoint: 'AddListMembersList' });
    const store = emptyStore();
    await fx.plugin.exportSegment(fx.job(SEGMENT, ids.slice(0, 3000), store));
    expect(listOf(store).members.size).toBe(3000);
  });

  it('goes on when every token expires mid-export (one refresh on the 401)', async () => {
    const sequential = new DynamicsSalesDestination(fx.env, { client: { maxParallel: 1 } });
    try {
      const store = emptyStore();
      const job = fx.job(SEGMENT, ids.slice(0, 3500), store, {
        onRecord: (calls) => {
          if (calls === 1) fx.emu.faults.expireAllTokens();
        },
      });
      await sequential.exportSegment(job);
      expect(listOf(store).members.size).toBe(3500);
      expect(fx.emu.stats().endpoints['POST /AddListMembersList']).toMatchObject({
        count: 5,
        failed: 1,
        throttled: 0,
      });
    } finally {
      await sequential.close();
    }
  });

  it('stops when canceled; the next export completes without losing or duplicating members', async () => {
    const store = emptyStore();
    const controller = new AbortController();
    fx.emu.faults.addLatency(20, { endpoint: 'AddListMembersList' });
    const first = fx.job(SEGMENT, ids.slice(0, 3500), store, {
      signal: controller.signal,
      onRecord: () => {
        controller.abort();
      },
    });
    await expect(fx.plugin.exportSegment(first)).rejects.toMatchObject({
      code: DestinationErrorCode.CANCELED,
    });
    expect(store.checkpoint.size).toBeGreaterThan(0);
    expect(store.checkpoint.size).toBeLessThan(3500);
    fx.emu.faults.clear();
    const second = fx.job(SEGMENT, ids.slice(0, 3500), store);
    await fx.plugin.exportSegment(second);
    expect(listOf(store).members).toEqual(new Set(ids.slice(0, 3500)));
    expect(listOf(store).info?.membercount).toBe(3500);
    expect(store.checkpoint.size).toBe(3500);
  });

  it('testConnection: signs in, calls WhoAmI and reads lists and contacts', async () => {
    const result = await fx.plugin.testConnection(fx.destination, new AbortController().signal);
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Connected to https:\/\/127\.0\.0\.1:\d+; marketing lists/),
    });
    expect(result.details).toMatchObject({
      organizationId: expect.any(String),
      parallelismHint: 4,
    });
    expect(writes()).toBe(0);
  });

  it('testConnection says what is wrong: secret, tenant, privileges, address, certificate', async () => {
    const signal = new AbortController().signal;
    const auth = fx.destination.config.auth as Record<string, unknown>;
    const withAuth = (patch: Record<string, unknown>) => ({
      ...fx.destination,
      config: { ...fx.destination.config, auth: { ...auth, ...patch } },
    });

    expect(
      await fx.plugin.testConnection(withAuth({ clientSecret: 'wrong' }), signal),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/client secret is wrong \(AADSTS7000215/),
    });
    expect(
      await fx.plugin.testConnection(withAuth({ tenantId: 'contoso.onmicrosoft.com' }), signal),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/tenant was not found \(AADSTS90002\)/),
    });
    fx.emu.faults.denyPrivileges(['prvReadList']);
    expect(await fx.plugin.testConnection(fx.destination, signal)).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^Signed in, but cannot read marketing lists: Missing privilege/,
      ),
    });
    fx.emu.faults.clear();
    expect(
      await fx.plugin.testConnection(
        {
          ...fx.destination,
          config: { ...fx.destination.config, serverAddress: 'https://10.1.2.3' },
        },
        signal,
      ),
    ).toMatchObject({
      ok: false,
      message: expect.stringMatching(/serverAddress uses the IP address 10\.1\.2\.3/),
    });

    const untrusting = new DynamicsSalesDestination({ ...fx.env, extraCaCertificates: [] });
    try {
      expect(await untrusting.testConnection(fx.destination, signal)).toMatchObject({
        ok: false,
        message: expect.stringMatching(/certificate of 127\.0\.0\.1:\d+ is not trusted/),
      });
    } finally {
      await untrusting.close();
    }
  });

  it('validateConfig refuses addresses outside the allow-list, naming the field', () => {
    const app = {
      kind: 'clientCredentials',
      tenantId: 't',
      clientId: '11111111-1111-1111-1111-111111111111',
      clientSecret: 's',
    };
    expect(fx.plugin.validateConfig(fx.destination.config)).toEqual([]);
    expect(
      fx.plugin.validateConfig({ serverAddress: 'https://intranet.local', auth: app }),
    ).toEqual([
      {
        path: 'serverAddress',
        message: expect.stringMatching(/intranet\.local is not a Dynamics 365 organization/),
      },
    ]);
    expect(
      fx.plugin.validateConfig({
        serverAddress: 'https://contoso.crm4.dynamics.com/main.aspx?appid=1',
        auth: app,
      }),
    ).toEqual([
      { path: 'serverAddress', message: expect.stringMatching(/without a path or query/) },
    ]);
    expect(
      fx.plugin.validateConfig({ serverAddress: 'https://contoso.crm4.dynamics.com', auth: app }),
    ).toEqual([]);
  });

  it('validateConfig takes missing ids from the installation app registration, naming fields by label', () => {
    const config = {
      serverAddress: 'https://contoso.crm4.dynamics.com',
      auth: { kind: 'delegated' },
    };
    expect(fx.plugin.validateConfig(config, { appRegistration: null })).toEqual([
      {
        path: 'auth.clientId',
        message: expect.stringMatching(/^Application \(client\) id is required/),
      },
    ]);
    expect(
      fx.plugin.validateConfig(config, {
        appRegistration: { clientId: '11111111-1111-1111-1111-111111111111' },
      }),
    ).toEqual([]);
    // The registration's sign-in host is checked like the destination's own.
    expect(
      fx.plugin.validateConfig(config, {
        appRegistration: {
          clientId: '11111111-1111-1111-1111-111111111111',
          authorityHost: 'https://idp.intranet.local',
        },
      }),
    ).toEqual([
      { path: 'auth.authorityHost', message: expect.stringMatching(/idp\.intranet\.local/) },
    ]);
  });

  it('signs in with a device code through the sink, then exports as the signed-in person', async () => {
    const delegated = {
      ...fx.destination,
      id: 'dest-delegated',
      config: {
        serverAddress: fx.emu.url,
        auth: {
          kind: 'delegated',
          tenantId: fx.emu.tenantId,
          clientId: fx.emu.clientId,
          authorityHost: new URL(fx.emu.authority).origin,
        },
      },
    };
    const saved: Record<string, string> = {};
    let account: { username: string } | undefined;
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const sink: SignInSink = {
      saveSecrets: (secrets) => {
        Object.assign(saved, secrets);
        return Promise.resolve();
      },
      saveAccount: (a) => {
        account = a;
        done();
        return Promise.resolve();
      },
      fail: (message) => Promise.reject(new Error(message)),
    };
    const challenge = await fx.plugin.startSignIn(delegated, sink);
    expect(challenge).toMatchObject({
      userCode: expect.any(String),
      verificationUri: expect.stringMatching(/^https:/),
    });
    fx.emu.identity.approveDeviceCode(challenge.userCode, 'seller@contoso.example');
    await finished;
    expect(account?.username).toBe('seller@contoso.example');
    expect(Object.keys(saved)).toEqual(['auth.tokenCache']);

    const signedIn = {
      ...delegated,
      config: {
        ...delegated.config,
        auth: { ...delegated.config.auth, tokenCache: saved['auth.tokenCache'] },
      },
    };
    const store = emptyStore();
    await fx.plugin.exportSegment(
      fx.job(SEGMENT, ids.slice(0, 5), store, { destination: signedIn }),
    );
    expect(listOf(store).members.size).toBe(5);
  });

  it('startSignIn refuses a destination using an application secret', async () => {
    const sink: SignInSink = {
      saveSecrets: () => Promise.resolve(),
      saveAccount: () => Promise.resolve(),
      fail: () => Promise.resolve(),
    };
    await expect(fx.plugin.startSignIn(fx.destination, sink)).rejects.toMatchObject({
      code: DestinationErrorCode.CONFIG,
    });
  });
});
