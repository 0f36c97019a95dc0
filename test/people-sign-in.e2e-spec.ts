import {
  READERS_GROUP_ID,
  startEmulator,
  type EmulatorHandle,
} from '@audience-sync/dataverse-emulator';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { SignInEvent } from '@platform/auth/sign-in-events';
import { SignInEvents } from '@platform/auth/sign-in-events';
import { launchBrowser, serverKeySpki, type TestBrowser } from './support/browser';
import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';

const SESSION_COOKIE = 'audience_sync_session';

/**
 * Issue 17, sign-in for people: the real authorization-code flow with PKCE, in Chromium, from the
 * admin UI through the emulator's Entra ID sign-in page (over HTTPS) and back, then the session
 * cookie at work: its CSRF token, sign-out, the idle timeout, a person without a role, a forged
 * callback.
 */
describe('people sign in with Entra ID (OpenID Connect, authorization code + PKCE)', () => {
  let emu: EmulatorHandle;
  let t: TestApp;
  let b: TestBrowser;
  const events: SignInEvent[] = [];

  beforeAll(async () => {
    emu = await startEmulator();
    t = await startTestApp({
      env: {
        ALLOWED_HOSTS: new URL(emu.url).host,
        EXTRA_CA_CERTS: emu.caCertPath,
        OIDC_AUTHORITY: emu.authority,
        OIDC_CLIENT_ID: emu.clientId,
        OIDC_CLIENT_SECRET: emu.clientSecret,
        OIDC_ROLE_MAP: `AudienceSync.Admin=admin,AudienceSync.Editor=editor,AudienceSync.Operator=operator,group:${READERS_GROUP_ID}=viewer`,
        TRUST_PROXY: 'loopback',
      },
    });
    t.app.get(SignInEvents).events$.subscribe((event) => events.push(event));
    b = await launchBrowser(t.url, { trustSpki: [await serverKeySpki(emu.url, emu.caCertPem)] });
  });
  afterAll(() => closeAll(b, t, emu));

  /** Signs in through the UI: the Microsoft button, then the user picked on the emulator's page. */
  async function signInAs(page: Page, name: string): Promise<void> {
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL(`${emu.url}/**`);
    await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  }

  async function sessionCookie(): Promise<string | undefined> {
    const cookies = await b.context.cookies(t.url);
    return cookies.find((c) => c.name === SESSION_COOKIE)?.value;
  }

  async function sessionRows(): Promise<number> {
    const rows: Array<{ n: number | string }> = await t.app
      .get(DataSource)
      .query('SELECT COUNT(*) AS n FROM user_session');
    return Number(rows[0].n);
  }

  it('answers 503 with a clear message when Entra ID cannot be asked where to sign in', async () => {
    emu.faults.failNext(1, { target: 'identity', endpoint: 'openid-configuration', status: 503 });
    const down = await request(t.url).get('/auth/sign-in').expect(503);
    expect(down.body.message).toMatch(/Entra ID could not be asked where to sign in/);
    expect(down.headers['set-cookie']).toBeUndefined();
  });

  it('tells the UI that people can sign in, and the admin token keeps working', async () => {
    const config = await request(t.url).get('/api/auth/config').expect(200);
    expect(config.body).toEqual({ peopleSignIn: true, signInUrl: '/auth/sign-in' });
    const me = await t.api().get('/api/me').expect(200);
    expect(me.body).toEqual({
      kind: 'admin-token',
      id: 'admin',
      name: 'Admin token',
      role: 'admin',
    });
  });

  it('signs a person in through the emulator in Chromium; the cookie reaches the API and shows who they are', async () => {
    const { page } = b;
    await signInAs(page, 'Eddie Editor');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByText('Signed in as').getByText('Eddie Editor').waitFor();
    const audit = await t.api().get('/api/audit?entity=session&limit=50').expect(200);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({
        action: 'sign-in',
        actor: expect.objectContaining({ kind: 'user', name: 'Eddie Editor' }),
      }),
    );
    // No token in the tab: the HTTP-only cookie is the session.
    expect(await page.evaluate('sessionStorage.getItem("audience-sync.token")')).toBeNull();
    const cookie = (await b.context.cookies(t.url)).find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false, path: '/' });
    expect(await page.evaluate('document.cookie')).not.toContain(SESSION_COOKIE);

    const me = await page.request.get('/api/me');
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({
      kind: 'user',
      name: 'Eddie Editor',
      role: 'editor',
      username: 'editor@emulator.onmicrosoft.com',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect((await page.request.get('/api/segments')).status()).toBe(200);

    const signedIn = events.filter((e) => e.outcome === 'signed-in');
    expect(signedIn).toHaveLength(1);
    expect(signedIn[0].principal).toMatchObject({
      kind: 'user',
      name: 'Eddie Editor',
      role: 'editor',
    });
    expect(signedIn[0].ip).toBeDefined();
    // Stored hashed: the table never holds the cookie's value.
    const rows: Array<{ id_hash: string }> = await t.app
      .get(DataSource)
      .query('SELECT id_hash FROM user_session');
    expect(rows.map((r) => r.id_hash)).not.toContain(cookie?.value);
  });

  it('refuses a change made with the cookie but without the CSRF token; the token lets it through', async () => {
    const { page } = b;
    const { csrfToken } = (await (await page.request.get('/api/me')).json()) as {
      csrfToken: string;
    };
    const refused = await page.request.post('/api/segments', { data: {} });
    expect(refused.status()).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toMatch(/X-CSRF-Token/);
    const wrong = await page.request.post('/api/segments', {
      data: {},
      headers: { 'X-CSRF-Token': `${csrfToken.slice(1)}x` },
    });
    expect(wrong.status()).toBe(403);
    // Past the CSRF check, the route itself answers (here: what the empty segment lacks).
    const passed = await page.request.post('/api/segments', {
      data: {},
      headers: { 'X-CSRF-Token': csrfToken },
    });
    expect(passed.status()).toBe(400);
    // A bearer token needs no CSRF token (no browser sends it by itself).
    await t.api().post('/api/segments', {}).expect(400);
  });

  it('signs out from the UI: the session is gone on the server', async () => {
    const { page } = b;
    const cookie = await sessionCookie();
    expect(await sessionRows()).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    expect(await sessionCookie()).toBeUndefined();
    expect(await sessionRows()).toBe(0);
    await request(t.url).get('/api/me').set('Cookie', `${SESSION_COOKIE}=${cookie}`).expect(401);
    expect(events.at(-1)).toMatchObject({
      outcome: 'signed-out',
      principal: { kind: 'user', name: 'Eddie Editor' },
    });
  });

  it('ends a session idle longer than SESSION_IDLE_MINUTES, and the UI asks to sign in again', async () => {
    const { page } = b;
    await signInAs(page, 'Ada Admin');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByText('Signed in as').getByText('Ada Admin').waitFor();
    // 30 minutes (the default) and a second ago.
    await t.app
      .get(DataSource)
      .query('UPDATE user_session SET last_seen_at = last_seen_at - 1801000');
    const me = await page.request.get('/api/me');
    expect(me.status()).toBe(401);
    expect(((await me.json()) as { message: string }).message).toMatch(/session has ended/);
    expect(await sessionRows()).toBe(0);
    // A page whose data the overview did not load: its first request meets the ended session.
    await page.getByRole('link', { name: 'Schedule', exact: true }).click();
    await page.waitForURL('**/sign-in');
    await page.getByText('Your session has ended').waitFor();
  });

  it('keeps a session in use alive (the idle time slides)', async () => {
    const { page } = b;
    await signInAs(page, 'Olga Operator');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // 29 minutes idle: still live, and the request pushes the idle time back.
    await t.app
      .get(DataSource)
      .query('UPDATE user_session SET last_seen_at = last_seen_at - 1740000');
    expect((await page.request.get('/api/me')).status()).toBe(200);
    await t.app
      .get(DataSource)
      .query('UPDATE user_session SET last_seen_at = last_seen_at - 1740000');
    const me = await page.request.get('/api/me');
    expect(me.status()).toBe(200);
    expect(await me.json()).toMatchObject({ role: 'operator' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
  });

  it('gives a person in a mapped group their role', async () => {
    const { page } = b;
    await signInAs(page, 'Vic Viewer');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await (await page.request.get('/api/me')).json()).toMatchObject({ role: 'viewer' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
  });

  it('refuses a person with no mapped role, with a clear message and no session', async () => {
    const { page } = b;
    const before = events.length;
    await signInAs(page, 'Gus Guest');
    await page.waitForURL('**/sign-in?error=no-role');
    await page.getByText('your account has no Audience Sync role').waitFor();
    expect(await sessionCookie()).toBeUndefined();
    expect(await sessionRows()).toBe(0);
    expect(events.slice(before)).toEqual([
      expect.objectContaining({
        outcome: 'failed',
        reason: expect.stringMatching(/guest@emulator.onmicrosoft.com has none of the app roles/),
      }),
    ]);
  });

  it('shows a canceled sign-in as such', async () => {
    const { page } = b;
    await page.goto('/sign-in');
    await page.getByRole('link', { name: 'Sign in with Microsoft' }).click();
    await page.waitForURL(`${emu.url}/**`);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL('**/sign-in?error=canceled');
    await page.getByText('The sign-in with Microsoft was canceled.').waitFor();
  });

  it('refuses a callback whose state is not the one this browser sent, and emits a failed sign-in', async () => {
    const start = await request(t.url).get('/auth/sign-in').expect(302);
    const location = new URL(start.headers.location);
    expect(location.origin + location.pathname).toBe(`${emu.authority}/oauth2/v2.0/authorize`);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('nonce')).toMatch(/.{40,}/);
    expect(location.searchParams.get('redirect_uri')).toBe(`${t.url}/auth/callback`);
    const flowCookie = (start.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    expect(start.headers['set-cookie'][0]).toMatch(/HttpOnly/);
    expect(start.headers['set-cookie'][0]).toMatch(/SameSite=Lax/);

    const before = events.length;
    const forged = await request(t.url)
      .get('/auth/callback?code=stolen-code&state=not-the-state')
      .set('Cookie', flowCookie)
      .expect(302);
    expect(forged.headers.location).toBe('/sign-in?error=failed');
    expect(
      ((forged.headers['set-cookie'] as unknown as string[] | undefined) ?? []).join(';'),
    ).not.toContain(`${SESSION_COOKIE}=`);
    const noFlow = await request(t.url)
      .get(`/auth/callback?code=x&state=${location.searchParams.get('state')}`)
      .expect(302);
    expect(noFlow.headers.location).toBe('/sign-in?error=failed');
    expect(events.slice(before)).toEqual([
      expect.objectContaining({ outcome: 'failed', reason: expect.stringMatching(/state/) }),
      expect.objectContaining({
        outcome: 'failed',
        reason: expect.stringMatching(/no sign-in was started in this browser/),
      }),
    ]);
    // The audit log keeps both, with nobody identified and the reason in words (recorded just
    // after the answer: wait until both are there).
    type Entry = { action: string; after?: { reason?: string } };
    const failedSignIns = async (): Promise<Entry[]> => {
      const audit = await t.api().get('/api/audit?entity=session&limit=10').expect(200);
      return (audit.body.items as Entry[]).filter((e) => e.action === 'sign-in-failed');
    };
    const both = (entries: Entry[]) => {
      const reasons = entries.slice(0, 2).map((e) => e.after?.reason ?? '');
      return reasons.some((r) => /no sign-in/.test(r)) && reasons.some((r) => /state/.test(r));
    };
    let failed = await failedSignIns();
    for (let i = 0; i < 50 && !both(failed); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      failed = await failedSignIns();
    }
    // Either order: each is recorded as its answer leaves.
    expect(failed.slice(0, 2)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: null,
          after: { reason: expect.stringMatching(/no sign-in/) },
        }),
        expect.objectContaining({ actor: null, after: { reason: expect.stringMatching(/state/) } }),
      ]),
    );
  });

  it('marks the cookies Secure when the request came over TLS (through a trusted proxy)', async () => {
    const start = await request(t.url)
      .get('/auth/sign-in')
      .set('X-Forwarded-Proto', 'https')
      .expect(302);
    expect(start.headers['set-cookie'][0]).toMatch(/; Secure/);
    expect(new URL(start.headers.location).searchParams.get('redirect_uri')).toMatch(/^https:\/\//);
  });

  it('answers 401 to a made-up session cookie', async () => {
    await request(t.url)
      .get('/api/segments')
      .set('Cookie', `${SESSION_COOKIE}=${'A'.repeat(43)}`)
      .expect(401);
  });
});
