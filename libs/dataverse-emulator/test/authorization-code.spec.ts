import { CryptoProvider } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { DEFAULT_USERS, READERS_GROUP_ID } from '../src';
import { startFixture, type Fixture } from './support/fixture';

const REDIRECT = 'http://localhost:3000/auth/callback';

describe('authorization code with PKCE (people signing in to a web app)', () => {
  let f: Fixture;
  const crypto = new CryptoProvider();
  beforeAll(async () => {
    f = await startFixture();
  });
  afterAll(() => f.close());

  /** The sign-in page's form posted with one user picked: the redirect it answers. */
  async function pick(authorizeUrl: string, fields: Record<string, string>): Promise<URL> {
    const page = await f.http.send('GET', authorizeUrl);
    expect(page.status).toBe(200);
    const hidden = Object.fromEntries(
      [...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
        m[1],
        m[2].replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))),
      ]),
    );
    const posted = await f.http.send('POST', authorizeUrl.split('?')[0], {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...hidden, ...fields }).toString(),
    });
    expect(posted.status).toBe(302);
    return new URL(posted.headers.location);
  }

  it('lists the users, issues a code for the picked one, and MSAL redeems it with PKCE and a nonce', async () => {
    const pkce = await crypto.generatePkceCodes();
    const url = await f.msal.getAuthCodeUrl({
      scopes: ['openid', 'profile'],
      redirectUri: REDIRECT,
      state: 'state-1',
      nonce: 'nonce-1',
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
    });
    expect(url.startsWith(`${f.emu.authority}/oauth2/v2.0/authorize?`)).toBe(true);
    const page = await f.http.send('GET', url);
    for (const user of DEFAULT_USERS) expect(page.text).toContain(user.username);

    const back = await pick(url, { username: 'viewer@emulator.onmicrosoft.com' });
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('state-1');
    const code = back.searchParams.get('code') ?? '';

    const result = await f.msal.acquireTokenByCode(
      {
        code,
        scopes: ['openid', 'profile'],
        redirectUri: REDIRECT,
        codeVerifier: pkce.verifier,
        nonce: 'nonce-1',
        state: 'state-1',
      },
      { code, state: 'state-1' },
    );
    const claims = decodeJwt(result.idToken);
    expect(claims).toMatchObject({
      aud: f.emu.clientId,
      iss: `${f.emu.authority}/v2.0`,
      tid: f.emu.tenantId,
      nonce: 'nonce-1',
      name: 'Vic Viewer',
      preferred_username: 'viewer@emulator.onmicrosoft.com',
      groups: [READERS_GROUP_ID],
    });
    expect(typeof claims.oid).toBe('string');

    // The code is single-use.
    await expect(
      f.msal.acquireTokenByCode({
        code,
        scopes: ['openid'],
        redirectUri: REDIRECT,
        codeVerifier: pkce.verifier,
      }),
    ).rejects.toThrow(/AADSTS70000/);
  });

  it('refuses a wrong PKCE verifier and a different redirect URI, and sends a cancel back as access_denied', async () => {
    const pkce = await crypto.generatePkceCodes();
    const request = {
      scopes: ['openid'],
      redirectUri: REDIRECT,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
    };
    const first = await pick(await f.msal.getAuthCodeUrl(request), {
      username: 'admin@emulator.onmicrosoft.com',
    });
    await expect(
      f.msal.acquireTokenByCode({
        code: first.searchParams.get('code') ?? '',
        scopes: ['openid'],
        redirectUri: REDIRECT,
        codeVerifier: (await crypto.generatePkceCodes()).verifier,
      }),
    ).rejects.toThrow(/AADSTS50148/);
    const second = await pick(await f.msal.getAuthCodeUrl(request), {
      username: 'admin@emulator.onmicrosoft.com',
    });
    await expect(
      f.msal.acquireTokenByCode({
        code: second.searchParams.get('code') ?? '',
        scopes: ['openid'],
        redirectUri: 'http://localhost:3001/auth/callback',
        codeVerifier: pkce.verifier,
      }),
    ).rejects.toThrow(/redirect_uri/);
    const canceled = await pick(await f.msal.getAuthCodeUrl({ ...request, state: 's' }), {
      cancel: '1',
    });
    expect(canceled.searchParams.get('error')).toBe('access_denied');
    expect(canceled.searchParams.get('state')).toBe('s');
  });

  it('shows errors of the client on the page and refuses plain PKCE back at the client', async () => {
    const unknown = await f.http.send(
      'GET',
      `${f.emu.authority}/oauth2/v2.0/authorize?client_id=00000000-0000-0000-0000-000000000000&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain('AADSTS700016');
    const http = await f.http.send(
      'GET',
      `${f.emu.authority}/oauth2/v2.0/authorize?client_id=${f.emu.clientId}&response_type=code&redirect_uri=${encodeURIComponent('http://example.com/cb')}&scope=openid`,
    );
    expect(http.status).toBe(400);
    expect(http.text).toContain('AADSTS50011');
    const plain = await f.http.send(
      'GET',
      `${f.emu.authority}/oauth2/v2.0/authorize?client_id=${f.emu.clientId}&response_type=code&redirect_uri=${encodeURIComponent(REDIRECT)}&scope=openid&code_challenge=abc&code_challenge_method=plain`,
    );
    expect(plain.status).toBe(302);
    expect(new URL(plain.headers.location).searchParams.get('error')).toBe('invalid_request');
  });

  it('serves the organizations authority metadata as Entra ID does', async () => {
    const config = await f.http.send(
      'GET',
      `${f.emu.url}/organizations/v2.0/.well-known/openid-configuration`,
    );
    expect(config.json).toMatchObject({
      issuer: `${f.emu.url}/{tenantid}/v2.0`,
      authorization_endpoint: `${f.emu.url}/organizations/oauth2/v2.0/authorize`,
      jwks_uri: `${f.emu.url}/organizations/discovery/v2.0/keys`,
    });
    const keys = await f.http.send('GET', (config.json as { jwks_uri: string }).jwks_uri);
    expect((keys.json as { keys: unknown[] }).keys).toHaveLength(1);
  });
});
