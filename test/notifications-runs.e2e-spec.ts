import { createHmac } from 'node:crypto';
import { clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import type { NotificationPayload } from '@orchestration/notifications/notification-events';
import { segmentWithMembers } from './support/audience-fixtures';
import { exportNow } from './support/export-run-wait';
import { waitForRun } from './refresh-support';
import { MailCatcher, WebhookListener } from './support/notification-receivers';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const SECRET = 'run-events-secret-0123456789abcdef';

/**
 * Issue 16: the events of export runs to the Dataverse emulator (over HTTPS, real MSAL), sent to
 * a webhook listener on 127.0.0.1 (allow-listed) and a real SMTP server: run.failed,
 * run.partial, run.recovered and skipped.threshold.
 */
describe('notifications of export runs (emulator)', () => {
  let emu: EmulatorHandle;
  let t: TestApp;
  let hook: WebhookListener;
  let mail: MailCatcher;
  let contacts: string[];
  let named = 0;

  beforeAll(async () => {
    emu = await startEmulator({ contacts: 200, dopHint: 4 });
    contacts = emu.contacts.all(0, 200).map((c) => c.contactid);
    hook = await new WebhookListener().start();
    mail = await new MailCatcher().start();
    t = await startTestApp({
      env: {
        ALLOWED_HOSTS: new URL(emu.url).host,
        EXTRA_CA_CERTS: emu.caCertPath,
        NOTIFY_ALLOWED_HOSTS: '127.0.0.1',
        NOTIFY_RETRY_BASE_MS: '200',
        SMTP_URL: mail.url,
      },
    });
    await t
      .api()
      .post('/api/notifications', {
        type: 'webhook',
        url: `${hook.url}/events`,
        secret: SECRET,
        events: ['run.failed', 'run.partial', 'run.held', 'run.recovered', 'skipped.threshold'],
      })
      .expect(201);
    await t
      .api()
      .post('/api/notifications', {
        type: 'email',
        to: ['ops@example.test'],
        events: ['run.failed'],
      })
      .expect(201);
  });
  afterAll(() => closeAll(t, emu, hook, mail));
  beforeEach(() => {
    emu.faults.clear();
  });

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
    return { id: res.body.id as string, name: `Sales ${named}` };
  }

  /** The webhook events of a run, each checked against its signature. */
  async function eventsOf(runId: string, count = 1) {
    const got = await hook.waitFor<NotificationPayload>((b) => b.run?.id === runId, count);
    for (const { raw } of got) {
      const expected = `sha256=${createHmac('sha256', SECRET).update(raw.body).digest('hex')}`;
      expect(raw.headers['x-audience-sync-signature']).toBe(expected);
    }
    return got.map((g) => g.body);
  }

  it('run.failed, then run.recovered at the first success after it; e-mail for the failure', async () => {
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Failing',
      contactIds: contacts.slice(0, 10),
    });
    const d = await destination([segmentId]);
    emu.faults.failNext(1, { status: 400, endpoint: 'AddListMembersList' });
    const failed = await exportNow(t, d.id);
    expect(failed.status).toBe('failed');
    const [event] = await eventsOf(failed.id);
    expect(event).toMatchObject({
      type: 'run.failed',
      reason: failed.error,
      destination: { id: d.id, name: d.name },
      run: {
        id: failed.id,
        status: 'failed',
        trigger: 'api',
        link: `/runs/export/${failed.id}`,
        segments: [
          expect.objectContaining({
            segmentId,
            segmentName: 'Failing',
            status: 'failed',
            members: 10,
          }),
        ],
      },
    });
    const email = await mail.waitFor((m) => m.text.includes(failed.id));
    expect(email.to).toEqual(['ops@example.test']);
    expect(email.subject).toBe(`[Audience Sync] Export of "${d.name}" failed`);
    expect(email.text).toContain(failed.error);
    expect(email.text).toContain(`/runs/export/${failed.id}`);

    const recovered = await exportNow(t, d.id);
    expect(recovered.status).toBe('succeeded');
    const [back] = await eventsOf(recovered.id);
    expect(back).toMatchObject({
      type: 'run.recovered',
      run: {
        id: recovered.id,
        status: 'succeeded',
        totals: expect.objectContaining({ added: 10 }),
      },
    });

    // A second success in a row sends nothing.
    const again = await exportNow(t, d.id);
    expect(again.status).toBe('succeeded');
    await exportNow(t, d.id); // the run after it is the marker that events were written in order
    expect(hook.received.filter((r) => r.body.includes(again.id))).toEqual([]);
  });

  it('run.partial when one segment fails and another lands', async () => {
    const a = await segmentWithMembers(t, { name: 'Part A', contactIds: contacts.slice(20, 30) });
    const b = await segmentWithMembers(t, { name: 'Part B', contactIds: contacts.slice(30, 40) });
    const d = await destination([a.segmentId, b.segmentId]);
    emu.faults.failNext(1, { status: 400, endpoint: 'AddListMembersList' });
    const run = await exportNow(t, d.id);
    expect(run.status).toBe('partial');
    const [event] = await eventsOf(run.id);
    expect(event).toMatchObject({
      type: 'run.partial',
      destination: { id: d.id },
      run: {
        status: 'partial',
        segments: [
          expect.objectContaining({ segmentName: 'Part A', status: 'failed' }),
          expect.objectContaining({ segmentName: 'Part B', status: 'succeeded', added: 10 }),
        ],
      },
    });
    // No e-mail: that channel wants run.failed only.
    expect(mail.messages.some((m) => m.text.includes(run.id))).toBe(false);
  });

  it('skipped.threshold when the share of skipped members passes the destination limit', async () => {
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Mostly without contact',
      contactIds: contacts.slice(50, 56),
      withoutContactId: 4,
    });
    const bad = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Bad limit',
        config: { serverAddress: emu.url, auth: clientCredentialsAuth(emu) },
        contactIdField: 'contactId',
        skippedAlertPercent: 150,
      })
      .expect(400);
    expect(bad.body.details).toEqual([
      expect.objectContaining({
        path: 'skippedAlertPercent',
        message: expect.stringMatching(/100/),
      }),
    ]);
    const d = await destination([segmentId], { skippedAlertPercent: 25 });
    const view = await t.api().get(`/api/destinations/${d.id}`).expect(200);
    expect(view.body.skippedAlertPercent).toBe(25);
    const run = await exportNow(t, d.id);
    expect(run.status).toBe('succeeded');
    const [event] = await eventsOf(run.id);
    expect(event).toMatchObject({
      type: 'skipped.threshold',
      reason: '40% of the members were skipped (4 of 10), above the limit of 25%.',
      run: { totals: { members: 10, added: 6, skipped: 4 } },
    });

    // Raised above the share: the next run sends nothing.
    await t.api().put(`/api/destinations/${d.id}`, { skippedAlertPercent: 50 }).expect(200);
    const quiet = await exportNow(t, d.id);
    const marker = await segmentWithMembers(t, {
      name: 'Marker',
      contactIds: contacts.slice(60, 61),
    });
    const m = await destination([marker.segmentId]);
    emu.faults.failNext(1, { status: 400, endpoint: 'AddListMembersList' });
    const markerRun = await exportNow(t, m.id);
    await eventsOf(markerRun.id);
    expect(hook.received.filter((r) => r.body.includes(quiet.id))).toEqual([]);
  });

  it('a refresh-triggered export that fails sends run.failed too', async () => {
    const all = await t.api().get('/api/destinations').expect(200);
    for (const d of all.body as Array<{ id: string }>) {
      await t.api().put(`/api/destinations/${d.id}`, { enabled: false }).expect(200);
    }
    const { segmentId } = await segmentWithMembers(t, {
      name: 'By refresh',
      contactIds: contacts.slice(100, 110),
    });
    const d = await destination([segmentId]);
    emu.faults.failNext(1, { status: 400, endpoint: 'AddListMembersList' });
    const started = await t.api().post('/api/refresh').expect(202);
    await waitForRun(t, started.body.id);
    const runs = await t.api().get(`/api/export-runs?refreshRunId=${started.body.id}`).expect(200);
    expect(runs.body.items).toEqual([
      expect.objectContaining({ destinationId: d.id, status: 'failed', trigger: 'refresh' }),
    ]);
    const [event] = await eventsOf(runs.body.items[0].id as string);
    expect(event).toMatchObject({
      type: 'run.failed',
      destination: { id: d.id },
      run: { trigger: 'refresh', status: 'failed' },
    });
  });
});
