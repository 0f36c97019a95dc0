import { startEmulator } from '@audience-sync/dataverse-emulator';
import type { DataverseClient } from './dataverse-client';
import { DataverseRuntime, type ConnectOptions } from './dataverse-runtime';
import { DataverseErrorKind, isExpiredDeltaLink } from './errors';
import { forEachConcurrent } from './for-each-concurrent';
import { sleep } from './retry-policy';
import { FOREIGN_LINK, isForeignLink } from './server-links';
import { startEmulatorRuntime, type EmulatorRuntime } from './testing/emulator-runtime';

/** Fast back-off for tests; Retry-After waits stay as the server says. */
const RETRY = { baseDelayMs: 20, maxDelayMs: 100 };

describe('DataverseClient against the emulator (HTTPS, real MSAL)', () => {
  let env: EmulatorRuntime;
  const waits: number[] = [];
  const recordingSleep = (ms: number, signal?: AbortSignal) => {
    waits.push(ms);
    return sleep(ms, signal);
  };
  const connect = (options: ConnectOptions['client'] = {}): DataverseClient =>
    env.runtime.connect(env.settings, {
      client: { retry: RETRY, sleep: recordingSleep, ...options },
    });

  beforeAll(async () => {
    env = await startEmulatorRuntime({ contacts: 12, dopHint: 3 });
  });
  afterAll(async () => {
    await env.close();
  });
  beforeEach(() => {
    env.emu.faults.clear();
    env.emu.limits.set({
      windowSeconds: 300,
      maxRequests: 6000,
      maxExecutionMs: 1_200_000,
      maxConcurrent: 52,
    });
    env.emu.resetStats();
    waits.length = 0;
  });

  it('signs in with client credentials and calls WhoAmI with the documented headers', async () => {
    const client = connect();
    const who = await client.whoAmI();
    expect(who.UserId).toMatch(/^[0-9a-f-]{36}$/);
    expect(client.apiRoot).toBe(`${env.emu.url}/api/data/v9.2/`);
    expect(client.stats).toMatchObject({
      requests: 1,
      reads: 1,
      writes: 0,
      throttled: 0,
      retries: 0,
    });
    expect(client.dopHint).toBe(3);
  });

  it('retries 5xx answers with back-off and succeeds within the budget', async () => {
    const client = connect();
    env.emu.faults.failNext(2, { status: 503, endpoint: 'WhoAmI' });
    await client.whoAmI();
    expect(client.stats.retries).toBe(2);
    expect(client.stats.requests).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('gives up after the retry budget with a TEMPORARY error saying what failed', async () => {
    const client = connect({ retry: { ...RETRY, maxRetries: 2 } });
    env.emu.faults.failNext(5, { status: 500, endpoint: 'WhoAmI' });
    await expect(client.get('WhoAmI')).rejects.toMatchObject({
      kind: DataverseErrorKind.TEMPORARY,
      status: 500,
      message: expect.stringMatching(/could not serve GET WhoAmI right now \(500/),
    });
    expect(client.stats.retries).toBe(2);
    expect(client.stats.requests).toBe(3);
  });

  it('retries dropped connections', async () => {
    const client = connect();
    env.emu.faults.dropConnections(2, { endpoint: 'WhoAmI' });
    await client.whoAmI();
    expect(client.stats.retries).toBe(2);
  });

  it('does not resend a non-idempotent POST after a dropped connection', async () => {
    const client = connect();
    env.emu.faults.dropConnections(1, { endpoint: 'lists' });
    await expect(client.post('lists', { listname: 'x', createdfromcode: 2 })).rejects.toMatchObject(
      {
        kind: DataverseErrorKind.TEMPORARY,
      },
    );
    expect(client.stats.retries).toBe(0);
  });

  it('obeys Retry-After on 429 without spending the retry budget', async () => {
    const client = connect({ retry: { ...RETRY, maxRetries: 1 } });
    env.emu.faults.failNext(2, { status: 429, retryAfterSeconds: 1, endpoint: 'WhoAmI' });
    await client.whoAmI();
    expect(client.stats).toMatchObject({ throttled: 2, retries: 0, requests: 3 });
    expect(client.stats.throttledWaitMs).toBe(2000);
    expect(waits.filter((w) => w >= 900)).toHaveLength(2);
  });

  it('fails as TEMPORARY when throttling outlasts the wait cap', async () => {
    const client = connect({ retry: { ...RETRY, maxThrottleWaitMs: 1500 } });
    env.emu.faults.failNext(3, { status: 429, retryAfterSeconds: 1, endpoint: 'WhoAmI' });
    await expect(client.whoAmI()).rejects.toMatchObject({
      kind: DataverseErrorKind.TEMPORARY,
      message: expect.stringMatching(/kept throttling GET WhoAmI beyond 2 s of waiting/),
    });
  });

  it('refreshes the token once on 401 (tokens expired mid-run) and goes on', async () => {
    const client = connect();
    await client.whoAmI();
    env.emu.faults.expireAllTokens();
    await client.whoAmI();
    expect(client.stats.tokenRefreshes).toBe(1);
    expect(client.stats.requests).toBe(3);
  });

  it('renews a token before it expires, without a 401', async () => {
    const fresh = await startEmulatorRuntime({ tokenLifetimeSeconds: 2 });
    try {
      const client = fresh.runtime.connect(fresh.settings);
      await client.whoAmI();
      await sleep(2100);
      // The first token has expired server-side: had it been sent, the answer would be a 401.
      await client.whoAmI();
      expect(client.stats).toMatchObject({ requests: 2, tokenRefreshes: 0 });
    } finally {
      await fresh.close();
    }
  });

  it('answers 403 as FORBIDDEN naming the missing privilege', async () => {
    const client = connect();
    env.emu.faults.denyPrivileges(['prvReadList']);
    await expect(client.get('lists?$select=listid')).rejects.toMatchObject({
      kind: DataverseErrorKind.FORBIDDEN,
      status: 403,
      code: '0x80040220',
      message: expect.stringMatching(/^Missing privilege for GET lists:.*prvReadList/),
    });
  });

  it('answers 404 as NOT_FOUND', async () => {
    const client = connect();
    await expect(client.get('lists(00000000-0000-0000-0000-000000000001)')).rejects.toMatchObject({
      kind: DataverseErrorKind.NOT_FOUND,
      code: '0x80040217',
    });
  });

  it('keeps parallel requests within x-ms-dop-hint (no concurrency throttling)', async () => {
    env.emu.limits.set({ maxConcurrent: 3 });
    env.emu.faults.addLatency(40, { endpoint: 'WhoAmI' });
    const client = connect({ maxParallel: 16 });
    await client.whoAmI();
    expect(client.parallelism).toBe(3);
    await Promise.all(Array.from({ length: 15 }, () => client.whoAmI()));
    expect(client.stats.throttled).toBe(0);
    expect(env.emu.stats().totals.throttled).toBe(0);
  });

  it('caps parallelism below the hint, and the emulator would have throttled more', async () => {
    env.emu.limits.set({ maxConcurrent: 2 });
    env.emu.faults.addLatency(40, { endpoint: 'WhoAmI' });
    const capped = connect({ maxParallel: 2 });
    await capped.whoAmI();
    expect(capped.parallelism).toBe(2);
    await forEachConcurrent(
      Array.from({ length: 10 }),
      () => capped.parallelism,
      () => capped.whoAmI().then(() => undefined),
    );
    expect(capped.stats.throttled).toBe(0);
    // Control: a client allowed the hint (3) exceeds the server's 2 and gets throttled.
    const eager = connect({ maxParallel: 16 });
    await eager.whoAmI();
    await Promise.all(Array.from({ length: 9 }, () => eager.whoAmI()));
    expect(eager.stats.throttled).toBeGreaterThan(0);
  });

  it('stops waiting when the AbortSignal fires', async () => {
    const client = connect();
    await client.whoAmI();
    env.emu.faults.addLatency(1000, { endpoint: 'WhoAmI' });
    const controller = new AbortController();
    const call = client.whoAmI(controller.signal);
    setTimeout(() => {
      controller.abort();
    }, 50);
    await expect(call).rejects.toMatchObject({ kind: DataverseErrorKind.CANCELED });
  });

  it('runs a $batch round trip: a change set, a GET, and continue-on-error with a failed part', async () => {
    const client = connect();
    const listA = '8a1b4a1e-0c43-4b19-9d2a-0c1b2d3e4f50';
    const results = await client.batch(
      [
        {
          changeSet: [
            {
              method: 'POST',
              url: 'lists',
              body: { listid: listA, listname: 'Batch A', createdfromcode: 2 },
            },
            { method: 'PATCH', url: `lists(${listA})`, body: { description: 'from a change set' } },
          ],
        },
        { method: 'GET', url: `lists(${listA})?$select=listname,description` },
        { method: 'GET', url: 'lists(00000000-0000-0000-0000-000000000002)?$select=listname' },
      ],
      { continueOnError: true },
    );
    expect(results.map((r) => r.status)).toEqual([204, 204, 200, 404]);
    expect(results[0]?.contentId).toBe('1');
    expect(JSON.parse(results[2]?.body ?? '{}')).toMatchObject({
      listname: 'Batch A',
      description: 'from a change set',
    });
    expect(results[3]?.error).toMatchObject({
      kind: DataverseErrorKind.NOT_FOUND,
      code: '0x80040217',
    });
    expect(client.stats.requests).toBe(1);
    expect(client.stats.writes).toBe(1);
  });

  it('reads pages with odata.maxpagesize, then changes through the delta link', async () => {
    const client = connect();
    const pages = [];
    let deltaLink: string | undefined;
    for await (const page of client.pages<{ contactid: string }>(
      'contacts?$select=contactid,fullname',
      {
        maxPageSize: 5,
        trackChanges: true,
      },
    )) {
      pages.push(page.rows.length);
      deltaLink = page.deltaLink ?? deltaLink;
    }
    expect(pages).toEqual([5, 5, 2]);
    expect(deltaLink).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/api\/data\/v9\.2\/contacts\?/);
    const [first, second] = env.emu.contacts.all(0, 2);
    env.emu.contacts.update(first.contactid, { firstname: 'Changed' });
    env.emu.contacts.delete(second.contactid);
    const changes: Array<Record<string, unknown>> = [];
    for await (const page of client.pages(deltaLink!, { maxPageSize: 5, trackChanges: true })) {
      changes.push(...page.rows);
    }
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ contactid: first.contactid }),
        expect.objectContaining({ id: second.contactid, reason: 'deleted' }),
      ]),
    );
    env.emu.faults.expireDeltaTokens();
    const expired = client.pages(deltaLink!, { trackChanges: true });
    const failure: unknown = await expired.next().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: '0x80044352' });
    expect(isExpiredDeltaLink(failure)).toBe(true);
  });
  describe('links that lead to another host', () => {
    /** Another organization the runtime may reach (allowed, trusted): what a hostile link names. */
    const withOtherHost = async (
      test: (
        client: DataverseClient,
        other: { url: string; requests: () => number },
      ) => Promise<void>,
    ) => {
      const other = await startEmulator({ seed: 2 });
      const runtime = new DataverseRuntime({
        allowedHosts: [new URL(env.emu.url).host, new URL(other.url).host],
        extraCaCertificates: [env.emu.caCertPem, other.caCertPem],
      });
      try {
        await test(runtime.connect(env.settings, { client: { retry: RETRY } }), {
          url: other.url,
          requests: () => other.stats().totals.count,
        });
      } finally {
        await runtime.close();
        await other.stop();
      }
    };
    const failureOf = async (pages: AsyncGenerator): Promise<unknown> => {
      try {
        while (!(await pages.next()).done);
      } catch (error) {
        return error;
      }
      return null;
    };

    it('refuses a delta link to another host, naming both origins, and sends it nothing', async () => {
      await withOtherHost(async (client, other) => {
        env.emu.faults.foreignLinks(other.url, { links: ['deltaLink'] });
        const failure = await failureOf(
          client.pages('contacts?$select=contactid', { maxPageSize: 5, trackChanges: true }),
        );
        expect(failure).toMatchObject({
          kind: DataverseErrorKind.PERMANENT,
          code: FOREIGN_LINK,
          message: `Dataverse answered an @odata.deltaLink that points to ${other.url}, not to ${env.emu.url}; refused, so that no token or secret goes to another host.`,
        });
        expect(isForeignLink(failure)).toBe(true);
        // Refused as it arrived, with the last page: nothing reached the other host.
        expect(other.requests()).toBe(0);
      });
    });

    it('refuses a next-page link to another host before requesting it', async () => {
      await withOtherHost(async (client, other) => {
        env.emu.faults.foreignLinks(other.url, { links: ['nextLink'] });
        const failure = await failureOf(client.pages('contacts', { maxPageSize: 5 }));
        expect(failure).toMatchObject({
          code: FOREIGN_LINK,
          message: expect.stringContaining(
            `@odata.nextLink that points to ${other.url}, not to ${env.emu.url}`,
          ),
        });
        expect(other.requests()).toBe(0);
        expect(client.stats.requests).toBe(1);
      });
    });

    it('refuses a stored link to another host (or another scheme or port) without sending the token', async () => {
      await withOtherHost(async (client, other) => {
        const port = Number(new URL(env.emu.url).port);
        for (const link of [
          `${other.url}/api/data/v9.2/contacts?$deltatoken=1`,
          `http://127.0.0.1:${port}/api/data/v9.2/contacts?$deltatoken=1`,
          `https://127.0.0.1:${port + 1}/api/data/v9.2/contacts?$deltatoken=1`,
          `https://localhost:${port}/api/data/v9.2/contacts?$deltatoken=1`,
        ]) {
          await expect(client.get(link)).rejects.toMatchObject({
            code: FOREIGN_LINK,
            message: expect.stringContaining(`, not to ${env.emu.url};`),
          });
        }
        expect(other.requests()).toBe(0);
        expect(client.stats.requests).toBe(0);
        // Its own links still pass unchanged.
        await expect(client.get(`${env.emu.url}/api/data/v9.2/WhoAmI`)).resolves.toMatchObject({
          status: 200,
        });
      });
    });
  });
});
