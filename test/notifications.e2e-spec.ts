import { createHmac } from 'node:crypto';
import { Db } from '@platform/database/db.service';
import { MailCatcher, WebhookListener } from './support/notification-receivers';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const SECRET = 'webhook-signing-secret-0123456789';

function hmac(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Issue 16, notification channels through the real API: validation, the secret sealed and never
 * returned, addresses refused, test messages to a webhook listener on 127.0.0.1 (allow-listed)
 * and to a real SMTP server, retries with backoff and the delivery log.
 */
describe('notification channels (API, webhook listener, SMTP server)', () => {
  let t: TestApp;
  let hook: WebhookListener;
  let mail: MailCatcher;
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
    hook = await new WebhookListener().start();
    mail = await new MailCatcher().start();
    t = await startTestApp({
      env: {
        LOG_LEVEL: 'verbose',
        NOTIFY_ALLOWED_HOSTS: '127.0.0.1',
        NOTIFY_RETRY_BASE_MS: '300',
        SMTP_URL: mail.url,
        SMTP_FROM: 'Audience Sync <alerts@example.test>',
      },
    });
  });
  afterAll(() => closeAll(t, hook, mail, ...restore));

  const webhook = (overrides: Record<string, unknown> = {}) => ({
    type: 'webhook',
    name: 'Ops hook',
    url: `${hook.url}/hooks/audience`,
    secret: SECRET,
    events: ['run.failed', 'run.partial'],
    ...overrides,
  });

  it('refuses bad channels with 400s naming each field', async () => {
    const cases: Array<[Record<string, unknown>, Array<{ path: string; message: RegExp }>]> = [
      [
        { type: 'webhook', events: ['run.failed'] },
        [
          { path: 'secret', message: /is required for a webhook/ },
          { path: 'url', message: /is required for a webhook/ },
        ],
      ],
      [
        { type: 'sms', to: 'a@example.test', events: ['run.failed'] },
        [{ path: 'type', message: /webhook, email/ }],
      ],
      [
        webhook({ events: ['run.exploded'] }),
        [{ path: 'events', message: /must list events among run\.failed/ }],
      ],
      [webhook({ events: [] }), [{ path: 'events', message: /at least one event/ }]],
      [webhook({ secret: 'short' }), [{ path: 'secret', message: /16 to 500 characters/ }]],
      [webhook({ to: ['a@example.test'] }), [{ path: 'to', message: /only for email channels/ }]],
      [webhook({ url: 'not a url' }), [{ path: 'url', message: /is not a URL/ }]],
      [
        { type: 'email', to: ['not-an-address'], events: ['run.failed'] },
        [{ path: 'to', message: /must list e-mail addresses/ }],
      ],
      [
        { type: 'email', events: ['run.failed'], url: 'https://example.com' },
        [
          { path: 'url', message: /only for webhook channels/ },
          { path: 'to', message: /is required for an e-mail channel/ },
        ],
      ],
    ];
    for (const [body, details] of cases) {
      const res = await t.api().post('/api/notifications', body).expect(400);
      for (const d of details) {
        expect(res.body.details).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ path: d.path, message: expect.stringMatching(d.message) }),
          ]),
        );
      }
    }
  });

  it('refuses webhooks to loopback, private and link-local addresses unless allow-listed', async () => {
    for (const [url, message] of [
      [
        'https://10.0.0.5/hook',
        /10\.0\.0\.5 is a loopback, private or link-local address; name the host in NOTIFY_ALLOWED_HOSTS/,
      ],
      [
        'https://169.254.169.254/latest/meta-data',
        /169\.254\.169\.254 is a loopback, private or link-local/,
      ],
      ['https://[::1]:8443/hook', /::1 is a loopback/],
      ['https://localhost:8443/hook', /host localhost resolves to (127\.0\.0\.1|::1), a loopback/],
      ['http://hooks.example.com/hook', /must use https:\/\//],
    ] as const) {
      const res = await t.api().post('/api/notifications', webhook({ url })).expect(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ path: 'url', message: expect.stringMatching(message) }),
      ]);
    }
    // 127.0.0.1 is in NOTIFY_ALLOWED_HOSTS: allowed, over http too.
    const ok = await t.api().post('/api/notifications', webhook()).expect(201);
    await t.api().delete(`/api/notifications/${ok.body.id}`).expect(204);
  });

  it('stores the secret encrypted, never returns or logs it; updates and deletes', async () => {
    const created = await t.api().post('/api/notifications', webhook()).expect(201);
    const id = created.body.id as string;
    expect(created.body).toEqual({
      id,
      type: 'webhook',
      name: 'Ops hook',
      url: `${hook.url}/hooks/audience`,
      secretSet: true,
      events: ['run.failed', 'run.partial'],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const rows = await t.app
      .get(Db)
      .query<{ secret: string }>('SELECT secret FROM notification_channel WHERE id = ?', [id]);
    expect(rows[0].secret).toMatch(/^enc:v1:/);
    expect(rows[0].secret).not.toContain(SECRET);

    const listed = await t.api().get('/api/notifications').expect(200);
    expect(listed.body.map((c: { id: string }) => c.id)).toContain(id);
    expect(JSON.stringify(listed.body)).not.toContain(SECRET);
    const one = await t.api().get(`/api/notifications/${id}`).expect(200);
    expect(one.body.secretSet).toBe(true);
    expect(one.body).not.toHaveProperty('secret');

    const updated = await t
      .api()
      .put(`/api/notifications/${id}`, { events: ['run.recovered'], name: 'Renamed' })
      .expect(200);
    expect(updated.body).toMatchObject({
      name: 'Renamed',
      events: ['run.recovered'],
      secretSet: true,
    });
    const moved = await t
      .api()
      .put(`/api/notifications/${id}`, { url: 'http://127.0.0.1:1/other' })
      .expect(400);
    expect(moved.body.details).toEqual([
      expect.objectContaining({
        path: 'secret',
        message: expect.stringMatching(/is required again/),
      }),
    ]);
    await t.api().put(`/api/notifications/${id}`, { type: 'email' }).expect(400);

    await t.api().delete(`/api/notifications/${id}`).expect(204);
    await t.api().get(`/api/notifications/${id}`).expect(404);
    await t.api().get(`/api/notifications/${id}/deliveries`).expect(404);
    expect(printed.join('')).not.toContain(SECRET);
  });

  it('sends a signed test event to a webhook; the listener verifies the HMAC', async () => {
    const created = await t.api().post('/api/notifications', webhook()).expect(201);
    const id = created.body.id as string;
    const sent = await t.api().post(`/api/notifications/${id}/test`).expect(200);
    expect(sent.body).toMatchObject({
      eventType: 'test',
      status: 'delivered',
      attempts: 1,
      responseCode: 200,
      lastError: null,
      deliveredAt: expect.any(String),
    });
    const [got] = await hook.waitFor<{ id: string; type: string }>(
      (b) => b.id === sent.body.eventId,
    );
    expect(got.body).toMatchObject({ type: 'test', reason: expect.stringMatching(/it works/) });
    expect(got.raw.headers['x-audience-sync-signature']).toBe(hmac(SECRET, got.raw.body));
    expect(got.raw.headers['x-audience-sync-signature']).not.toBe(
      hmac('another secret', got.raw.body),
    );
    expect(got.raw.headers['x-audience-sync-event-id']).toBe(sent.body.eventId);
    expect(got.raw.headers['content-type']).toBe('application/json');
    expect(Date.parse(String(got.raw.headers['x-audience-sync-timestamp']))).not.toBeNaN();
    expect(printed.join('')).not.toContain(SECRET);
  });

  it('retries a failed delivery with backoff (500, then 200) and logs each attempt', async () => {
    const created = await t
      .api()
      .post('/api/notifications', webhook({ name: 'Flaky' }))
      .expect(201);
    const id = created.body.id as string;
    hook.answerNext(500);
    const first = await t.api().post(`/api/notifications/${id}/test`).expect(200);
    expect(first.body).toMatchObject({
      status: 'pending',
      attempts: 1,
      responseCode: 500,
      lastError: 'the webhook answered 500: listener refused',
      nextAttemptAt: expect.any(String),
    });
    // The next attempt is not due before the backoff (NOTIFY_RETRY_BASE_MS, 300 ms).
    expect(
      Date.parse(first.body.nextAttemptAt) - Date.parse(first.body.lastAttemptAt),
    ).toBeGreaterThanOrEqual(300);
    const both = await hook.waitFor<{ id: string }>((b) => b.id === first.body.eventId, 2);
    expect(both[1].raw.at - both[0].raw.at).toBeGreaterThanOrEqual(300);
    expect(both[1].raw.body).toBe(both[0].raw.body);
    for (const r of both) {
      expect(r.raw.headers['x-audience-sync-signature']).toBe(hmac(SECRET, r.raw.body));
    }
    let log: Array<Record<string, unknown>> = [];
    for (let i = 0; i < 100; i++) {
      log = (await t.api().get(`/api/notifications/${id}/deliveries`).expect(200)).body;
      if (log[0]?.status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(log).toEqual([
      expect.objectContaining({
        eventId: first.body.eventId,
        status: 'delivered',
        attempts: 2,
        responseCode: 200,
        nextAttemptAt: null,
      }),
    ]);
  });

  it('sends e-mail through a real SMTP server', async () => {
    const created = await t
      .api()
      .post('/api/notifications', { type: 'email', to: 'ops@example.test', events: ['run.failed'] })
      .expect(201);
    expect(created.body).toMatchObject({
      type: 'email',
      to: ['ops@example.test'],
      name: 'E-mail ops@example.test',
    });
    expect(created.body).not.toHaveProperty('secretSet');
    const sent = await t.api().post(`/api/notifications/${created.body.id}/test`).expect(200);
    expect(sent.body).toMatchObject({ status: 'delivered', attempts: 1 });
    const got = await mail.waitFor((m) => m.text.includes(sent.body.eventId));
    expect(got.to).toEqual(['ops@example.test']);
    expect(got.from).toBe('alerts@example.test');
    expect(got.subject).toBe('[Audience Sync] Test notification');
    expect(got.headers.get('x-audience-sync-event-id')).toBe(sent.body.eventId);
    expect(got.text).toMatch(/it works/);
  });

  it('refuses e-mail channels when no SMTP server is configured', async () => {
    const other = await startTestApp();
    try {
      const res = await other
        .api()
        .post('/api/notifications', {
          type: 'email',
          to: ['ops@example.test'],
          events: ['run.failed'],
        })
        .expect(400);
      expect(res.body.details).toEqual([
        expect.objectContaining({ path: 'type', message: expect.stringMatching(/set SMTP_URL/) }),
      ]);
    } finally {
      await other.close();
    }
  });
});
