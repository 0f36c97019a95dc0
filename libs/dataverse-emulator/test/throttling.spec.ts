import { startFixture, type Fixture } from './support/fixture';

describe('Dataverse: service protection (per caller, sliding window)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(() => f.close());
  // reset() restores the limits and cost model the emulator started with (here the real ones)
  // and clears faults: each test below starts from there and changes what it needs.
  beforeEach(() => {
    f.emu.reset();
  });

  it('starts with the real limits', () => {
    expect(f.emu.limits.get()).toEqual({
      windowSeconds: 300,
      maxRequests: 6000,
      maxExecutionMs: 1_200_000,
      maxConcurrent: 52,
    });
  });

  it('number of requests: 429 0x80072322 with Retry-After, then accepted once the window moved', async () => {
    f.emu.limits.set({ windowSeconds: 2, maxRequests: 3 });
    for (let i = 0; i < 3; i += 1) expect((await f.dv.get('WhoAmI')).status).toBe(200);
    const refused = await f.dv.get('WhoAmI');
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      error: {
        code: '0x80072322',
        message: 'Number of requests exceeded the limit of 3 over time window of 2 seconds.',
      },
    });
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(2);
    expect(f.emu.stats().endpoints['GET /WhoAmI']?.throttled).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, retryAfter * 1000 + 50));
    expect((await f.dv.get('WhoAmI')).status).toBe(200);
  });

  it('combined execution time: 429 0x80072321 once the modeled cost reached the limit', async () => {
    f.emu.limits.set({ windowSeconds: 2, maxExecutionMs: 100 });
    f.emu.limits.setCostModel({ baseMs: { whoami: 60 } });
    expect((await f.dv.get('WhoAmI')).status).toBe(200); // 60
    expect((await f.dv.get('WhoAmI')).status).toBe(200); // 120: the crossing request still runs
    const refused = await f.dv.get('WhoAmI');
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('0x80072321');
    expect(refused.json.error.message).toBe(
      'Combined execution time of incoming requests exceeded limit of 100 milliseconds over time window of 2 seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.',
    );
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('concurrent requests: 429 0x80072326 immediately when over the limit', async () => {
    f.emu.limits.set({ maxConcurrent: 2 });
    f.emu.faults.addLatency(300);
    const results = await Promise.all([f.dv.get('WhoAmI'), f.dv.get('WhoAmI'), f.dv.get('WhoAmI')]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.json.error).toEqual({
      code: '0x80072326',
      message: 'Number of concurrent requests exceeded the limit of 2.',
    });
    expect(refused.headers['retry-after']).toBe('1');
  });

  it('keeps one window per caller: a user is not throttled by the app', async () => {
    f.emu.limits.set({ windowSeconds: 60, maxRequests: 2 });
    await f.dv.get('WhoAmI');
    await f.dv.get('WhoAmI');
    expect((await f.dv.get('WhoAmI')).status).toBe(429);
    const start = await f.http.send('POST', `${f.emu.authority}/oauth2/v2.0/devicecode`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: f.emu.clientId,
        scope: `${f.emu.url}/user_impersonation`,
      }).toString(),
    });
    f.emu.identity.approveDeviceCode(start.json.user_code);
    const token = await f.http.send('POST', `${f.emu.authority}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: f.emu.clientId,
        grant_type: 'device_code',
        device_code: start.json.device_code,
      }).toString(),
    });
    const user = await f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`, {
      headers: { authorization: `Bearer ${token.json.access_token}` },
    });
    expect(user.status).toBe(200);
  });

  it('validates limit changes', () => {
    expect(() => f.emu.limits.set({ maxRequests: 0 })).toThrow(
      /limits.maxRequests must be a positive number/,
    );
  });
});
