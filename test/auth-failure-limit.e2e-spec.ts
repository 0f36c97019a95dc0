import request from 'supertest';
import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';

const LIMIT = 3;

describe('limit on failed authentications', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Behind a proxy on this machine: X-Forwarded-For names the client.
    t = await startTestApp({
      env: { AUTH_FAILURE_LIMIT: String(LIMIT), TRUST_PROXY: 'loopback' },
    });
  });
  afterAll(() => closeAll(t));

  const info = (client: string, token: string) =>
    request(t.url)
      .get('/api/info')
      .set('X-Forwarded-For', client)
      .set('Authorization', `Bearer ${token}`);

  it('never counts right tokens, answers wrong ones 401 up to the limit, then 429 with Retry-After', async () => {
    for (let i = 0; i < 10 * LIMIT; i++) await info('203.0.113.1', t.token).expect(200);
    for (let i = 0; i < LIMIT; i++) {
      const wrong = await info('203.0.113.1', `wrong-${i}`).expect(401);
      expect(wrong.body.message).toBe('Invalid API token');
    }
    const blocked = await info('203.0.113.1', 'wrong-again').expect(429);
    expect(blocked.body).toMatchObject({
      statusCode: 429,
      error: 'RATE_LIMITED',
      message: expect.stringMatching(
        /^Too many wrong API tokens from this address: try again in \d+ s$/,
      ) as string,
    });
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('answers even the right token 429 during the block, so the block gives a guesser no hint', async () => {
    for (let i = 0; i <= LIMIT; i++) await info('203.0.113.2', `guess-${i}`);
    const right = await info('203.0.113.2', t.token).expect(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('blocks only the client that failed', async () => {
    for (let i = 0; i <= LIMIT; i++) await info('203.0.113.3', `guess-${i}`);
    await info('203.0.113.3', 'guess').expect(429);
    await info('203.0.113.4', t.token).expect(200);
    await info('203.0.113.4', 'one-wrong').expect(401);
    await t.api().get('/api/info').expect(200); // the proxy's own address is another client
  });

  it('does not count requests without a token (nothing was guessed)', async () => {
    for (let i = 0; i < 2 * LIMIT; i++) {
      await request(t.url).get('/api/info').set('X-Forwarded-For', '203.0.113.5').expect(401);
    }
    await info('203.0.113.5', t.token).expect(200);
  });
});

describe('limit on failed authentications without a trusted proxy', () => {
  it('takes the connection address as the client, whatever X-Forwarded-For claims', async () => {
    const t = await startTestApp({ env: { AUTH_FAILURE_LIMIT: String(LIMIT) } });
    try {
      const codes: number[] = [];
      for (let i = 0; i <= LIMIT; i++) {
        const res = await request(t.url)
          .get('/api/info')
          .set('X-Forwarded-For', `198.51.100.${i}`)
          .set('Authorization', 'Bearer wrong');
        codes.push(res.status);
      }
      expect(codes).toEqual([...Array<number>(LIMIT).fill(401), 429]);
    } finally {
      await t.close();
    }
  });
});
