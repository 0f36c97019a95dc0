import { ConfidentialClientApplication, LogLevel, PublicClientApplication } from '@azure/msal-node';
import { decodeJwt } from 'jose';
import { DEFAULT_USERNAME } from '../src';
import { confidentialApp, startFixture, type Fixture } from './support/fixture';

describe('Entra ID emulation with @azure/msal-node', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ deviceCodeIntervalSeconds: 1 });
  });
  afterAll(() => f.close());

  function tokenUrl(tenant = f.emu.tenantId): string {
    return `${f.emu.url}/${tenant}/oauth2/v2.0/token`;
  }

  function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    };
  }

  it('serves the OpenID configuration and keys MSAL reads', async () => {
    const config = await f.http.send(
      'GET',
      `${f.emu.authority}/v2.0/.well-known/openid-configuration`,
    );
    expect(config.status).toBe(200);
    expect(config.json).toMatchObject({
      issuer: `${f.emu.authority}/v2.0`,
      token_endpoint: `${f.emu.authority}/oauth2/v2.0/token`,
      device_authorization_endpoint: `${f.emu.authority}/oauth2/v2.0/devicecode`,
    });
    const keys = await f.http.send('GET', config.json.jwks_uri);
    expect(keys.json.keys[0]).toMatchObject({ kty: 'RSA', use: 'sig', alg: 'RS256' });
    const unknown = await f.http.send(
      'GET',
      `${f.emu.url}/00000000-0000-0000-0000-000000000000/v2.0/.well-known/openid-configuration`,
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.error_codes).toEqual([90002]);
  });

  it('issues client-credential tokens MSAL accepts, for the org as audience', async () => {
    const result = await f.msal.acquireTokenByClientCredential({ scopes: [f.emu.scope] });
    expect(result?.tokenType).toBe('Bearer');
    const claims = decodeJwt(result!.accessToken);
    expect(claims).toMatchObject({
      aud: f.emu.url,
      iss: `${f.emu.authority}/v2.0`,
      tid: f.emu.tenantId,
      appid: f.emu.clientId,
      idtyp: 'app',
    });
    expect(claims.exp! - claims.iat!).toBe(3599);
    // The cached token is reused without a network call.
    const before = f.emu.stats().endpoints['POST /token (client_credentials)']?.count ?? 0;
    await f.msal.acquireTokenByClientCredential({ scopes: [f.emu.scope] });
    expect(f.emu.stats().endpoints['POST /token (client_credentials)']?.count ?? 0).toBe(before);
  });

  it('works with offline authority metadata (no metadata request at all)', async () => {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: f.emu.clientId,
        clientSecret: f.emu.clientSecret,
        ...f.emu.identity.msalOfflineAuthorityOptions(),
      },
      system: {
        networkClient: f.network,
        loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined },
      },
    });
    // The fixture's MSAL app (knownAuthorities only) read the metadata once…
    const before =
      f.emu.stats().endpoints['GET /v2.0/.well-known/openid-configuration']?.count ?? 0;
    expect(before).toBeGreaterThanOrEqual(1);
    const result = await app.acquireTokenByClientCredential({
      scopes: [f.emu.scope],
      skipCache: true,
    });
    expect(result?.accessToken).toBeTruthy();
    // …an app with offline metadata reads none.
    expect(f.emu.stats().endpoints['GET /v2.0/.well-known/openid-configuration']?.count ?? 0).toBe(
      before,
    );
  });

  it('rejects a wrong client secret with AADSTS7000215 (MSAL ServerError)', async () => {
    const app = confidentialApp({ ...f.emu, clientSecret: 'wrong' }, f.network);
    await expect(
      app.acquireTokenByClientCredential({ scopes: [f.emu.scope] }),
    ).rejects.toMatchObject({
      errorCode: 'invalid_client',
      errorMessage: expect.stringContaining('AADSTS7000215'),
    });
  });

  it('counts token requests per grant, whether Entra ID grants or refuses them', async () => {
    f.emu.resetStats();
    const refused = confidentialApp({ ...f.emu, clientSecret: 'wrong' }, f.network);
    await expect(
      refused.acquireTokenByClientCredential({ scopes: [f.emu.scope] }),
    ).rejects.toThrow();
    await f.msal.acquireTokenByClientCredential({ scopes: [f.emu.scope], skipCache: true });
    const noGrant = await f.http.send('POST', tokenUrl(), form({ client_id: f.emu.clientId }));
    expect(noGrant.status).toBe(400);
    const { endpoints } = f.emu.stats();
    expect(endpoints['POST /token (client_credentials)']).toMatchObject({ count: 2, failed: 1 });
    expect(endpoints['POST /token']).toMatchObject({ count: 1, failed: 1 });
    const get = await f.http.send('GET', tokenUrl());
    expect(get.status).toBe(405);
    expect(get.json).toMatchObject({ error: 'invalid_request', error_codes: [900561] });
    expect(f.emu.stats().endpoints['GET /token']).toMatchObject({ count: 1, failed: 1 });
  });

  it('answers each token-endpoint error with the documented AADSTS JSON', async () => {
    const cases: [string, Record<string, string>, number, string, number][] = [
      [
        tokenUrl(),
        {
          client_id: 'nope',
          client_secret: 'x',
          grant_type: 'client_credentials',
          scope: f.emu.scope,
        },
        400,
        'unauthorized_client',
        700016,
      ],
      [
        tokenUrl('contoso.example'),
        { client_id: f.emu.clientId, grant_type: 'client_credentials' },
        400,
        'invalid_request',
        90002,
      ],
      [
        tokenUrl(),
        { client_id: f.emu.clientId, grant_type: 'client_credentials', scope: f.emu.scope },
        401,
        'invalid_client',
        7000218,
      ],
      [
        tokenUrl(),
        {
          client_id: f.emu.clientId,
          client_secret: f.emu.clientSecret,
          grant_type: 'client_credentials',
          scope: `${f.emu.url}/user_impersonation`,
        },
        400,
        'invalid_scope',
        1002012,
      ],
      [
        tokenUrl(),
        {
          client_id: f.emu.clientId,
          client_secret: f.emu.clientSecret,
          grant_type: 'client_credentials',
          scope: 'https://other.crm.dynamics.com/.default',
        },
        400,
        'invalid_resource',
        500011,
      ],
      [
        tokenUrl(),
        { client_id: f.emu.clientId, client_secret: f.emu.clientSecret, grant_type: 'password' },
        400,
        'unsupported_grant_type',
        70003,
      ],
      [tokenUrl(), { client_id: f.emu.clientId }, 400, 'invalid_request', 900144],
      [
        tokenUrl(),
        {
          client_id: f.emu.clientId,
          grant_type: 'refresh_token',
          refresh_token: 'bogus',
          scope: f.emu.scope,
        },
        400,
        'invalid_grant',
        9002313,
      ],
    ];
    for (const [url, fields, status, error, code] of cases) {
      const res = await f.http.send('POST', url, form(fields));
      expect({ status: res.status, error: res.json.error, codes: res.json.error_codes }).toEqual({
        status,
        error,
        codes: [code],
      });
      expect(res.json.error_description).toMatch(new RegExp(`^AADSTS${code}: `));
      expect(res.json).toHaveProperty('trace_id');
      expect(res.json).toHaveProperty('correlation_id');
    }
  });

  it('accepts client_secret_basic', async () => {
    const res = await f.http.send('POST', tokenUrl(), {
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${f.emu.clientId}:${f.emu.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        scope: f.emu.scope,
      }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.json.token_type).toBe('Bearer');
  });

  function publicApp(): PublicClientApplication {
    return new PublicClientApplication({
      auth: { clientId: f.emu.clientId, ...f.emu.identity.msalAuthorityOptions() },
      system: {
        networkClient: f.network,
        loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined },
      },
    });
  }

  it('runs the device-code flow: pending until approved, then id token, account and refresh token', async () => {
    const app = publicApp();
    let userCode = '';
    const result = await app.acquireTokenByDeviceCode({
      scopes: [`${f.emu.url}/user_impersonation`],
      deviceCodeCallback: (response) => {
        userCode = response.userCode;
        expect(response.message).toContain(`${f.emu.url}/devicelogin`);
        // Someone signs in a little later: MSAL polls and gets authorization_pending first.
        setTimeout(
          () =>
            f.emu.identity.approveDeviceCode(response.userCode, 'buyer@emulator.onmicrosoft.com'),
          300,
        );
      },
    });
    expect(userCode).toMatch(/^[A-Z0-9]{9}$/);
    expect(result?.account).toMatchObject({
      username: 'buyer@emulator.onmicrosoft.com',
      tenantId: f.emu.tenantId,
    });
    expect(decodeJwt(result!.accessToken)).toMatchObject({
      aud: f.emu.url,
      scp: 'user_impersonation',
      upn: 'buyer@emulator.onmicrosoft.com',
    });
    // authorization_pending answers are counted under the grant, like the final success.
    expect(f.emu.stats().endpoints['POST /token (device_code)']).toMatchObject({
      failed: expect.any(Number),
    });
    expect(f.emu.stats().endpoints['POST /token (device_code)']?.failed).toBeGreaterThanOrEqual(1);
    expect(f.emu.stats().endpoints['POST /token (device_code)']?.count).toBeGreaterThanOrEqual(2);

    // WhoAmI with the user's token names the user's systemuser.
    const who = await f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`, {
      headers: { authorization: `Bearer ${result!.accessToken}` },
    });
    expect(who.status).toBe(200);

    // Silent renewal through the refresh token once the access token must be replaced.
    const silent = await app.acquireTokenSilent({
      account: result!.account!,
      scopes: [`${f.emu.url}/user_impersonation`],
      forceRefresh: true,
    });
    expect(silent.accessToken).not.toBe(result!.accessToken);
    const refreshed = await app.acquireTokenByRefreshToken({
      refreshToken: JSON.parse(app.getTokenCache().serialize()).RefreshToken[
        Object.keys(JSON.parse(app.getTokenCache().serialize()).RefreshToken)[0]
      ].secret,
      scopes: [`${f.emu.url}/user_impersonation`],
    });
    expect(refreshed?.account?.username).toBe('buyer@emulator.onmicrosoft.com');

    // Revoked refresh tokens are refused.
    f.emu.faults.revokeRefreshTokens();
    await expect(
      app.acquireTokenSilent({
        account: result!.account!,
        scopes: [`${f.emu.url}/user_impersonation`],
        forceRefresh: true,
      }),
    ).rejects.toMatchObject({
      errorMessage: expect.stringContaining('AADSTS50173'),
    });
  });

  it('answers declined and expired device codes with their errors', async () => {
    const app = publicApp();
    await expect(
      app.acquireTokenByDeviceCode({
        scopes: [`${f.emu.url}/user_impersonation`],
        deviceCodeCallback: (response) => f.emu.identity.declineDeviceCode(response.userCode),
      }),
      // MSAL reports any device-code error other than authorization_pending this way.
    ).rejects.toMatchObject({
      errorCode: 'post_request_failed',
      errorMessage: expect.stringContaining('authorization_declined'),
    });

    const short = await startFixture({
      deviceCodeLifetimeSeconds: 1,
      deviceCodeIntervalSeconds: 1,
    });
    try {
      const start = await short.http.send(
        'POST',
        `${short.emu.authority}/oauth2/v2.0/devicecode`,
        form({ client_id: short.emu.clientId, scope: `${short.emu.url}/.default offline_access` }),
      );
      expect(start.json).toMatchObject({
        expires_in: 1,
        interval: 1,
        verification_uri: `${short.emu.url}/devicelogin`,
      });
      const poll = () =>
        short.http.send(
          'POST',
          `${short.emu.authority}/oauth2/v2.0/token`,
          form({
            client_id: short.emu.clientId,
            grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
            device_code: start.json.device_code,
          }),
        );
      const pending = await poll();
      expect(pending.json).toMatchObject({ error: 'authorization_pending', error_codes: [70016] });
      await new Promise((r) => setTimeout(r, 1100));
      const expired = await poll();
      expect(expired.json).toMatchObject({ error: 'expired_token', error_codes: [70020] });
    } finally {
      await short.close();
    }
  });

  it('approves a device code through the admin API and the sign-in page', async () => {
    const start = await f.http.send(
      'POST',
      `${f.emu.authority}/oauth2/v2.0/devicecode`,
      form({
        client_id: f.emu.clientId,
        scope: `${f.emu.url}/user_impersonation openid offline_access`,
      }),
    );
    const listed = await f.http.send('GET', `${f.emu.adminUrl}/device-codes`);
    expect(listed.json.value.map((d: { userCode: string }) => d.userCode)).toContain(
      start.json.user_code,
    );
    const page = await f.http.send(
      'POST',
      `${f.emu.url}/devicelogin`,
      form({ code: start.json.user_code, username: '' }),
    );
    expect(page.text).toContain(`Signed in as ${DEFAULT_USERNAME}`);
    const token = await f.http.send(
      'POST',
      `${f.emu.authority}/oauth2/v2.0/token`,
      form({
        client_id: f.emu.clientId,
        grant_type: 'device_code',
        device_code: start.json.device_code,
      }),
    );
    expect(token.status).toBe(200);
    expect(token.json).toHaveProperty('refresh_token');
    expect(token.json).toHaveProperty('id_token');
    expect(JSON.parse(Buffer.from(token.json.client_info, 'base64url').toString())).toMatchObject({
      utid: f.emu.tenantId,
    });
    // A redeemed device code cannot be used twice.
    const again = await f.http.send(
      'POST',
      `${f.emu.authority}/oauth2/v2.0/token`,
      form({
        client_id: f.emu.clientId,
        grant_type: 'device_code',
        device_code: start.json.device_code,
      }),
    );
    expect(again.json.error).toBe('invalid_grant');
  });

  it('serves instance discovery, the metadata under the tenant domain, and the sign-in page', async () => {
    const host = new URL(f.emu.url).host;
    const discovery = await f.http.send('GET', `${f.emu.url}/common/discovery/instance`);
    expect(discovery.json).toEqual({
      tenant_discovery_endpoint: `${f.emu.authority}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
    const byDomain = await f.http.send(
      'GET',
      `${f.emu.url}/emulator.onmicrosoft.com/.well-known/openid-configuration`,
    );
    expect(byDomain.json.issuer).toBe(`${f.emu.authority}/v2.0`);
    const keys = await f.http.send('GET', `${f.emu.authority}/discovery/keys`);
    expect(keys.json.keys).toHaveLength(1);
    const page = await f.http.send('GET', `${f.emu.url}/devicelogin`);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<form method="post">');
    expect(f.emu.stats().endpoints).toMatchObject({
      'GET /common/discovery/instance': { count: 1 },
      'GET /.well-known/openid-configuration': { count: 1 },
      'GET /discovery/keys': { count: 1 },
      'GET /devicelogin': { count: 1 },
    });
  });

  it('declines a device code through the admin API', async () => {
    const start = await f.http.send(
      'POST',
      `${f.emu.authority}/oauth2/v2.0/devicecode`,
      form({ client_id: f.emu.clientId, scope: `${f.emu.url}/user_impersonation` }),
    );
    const declined = await f.http.send('POST', `${f.emu.adminUrl}/device-codes/decline`, {
      body: { userCode: start.json.user_code },
    });
    expect(declined.json).toEqual({ userCode: start.json.user_code });
    const poll = await f.http.send(
      'POST',
      tokenUrl(),
      form({
        client_id: f.emu.clientId,
        grant_type: 'device_code',
        device_code: start.json.device_code,
      }),
    );
    expect(poll.json).toMatchObject({ error: 'authorization_declined', error_codes: [70000] });
  });

  it('fault: dropped connections on the token endpoint', async () => {
    f.emu.faults.dropConnections(1, { target: 'identity', endpoint: 'client_credentials' });
    await expect(
      f.msal.acquireTokenByClientCredential({ scopes: [f.emu.scope], skipCache: true }),
    ).rejects.toThrow();
    expect(f.emu.stats().endpoints['POST /token (client_credentials)']?.failed).toBeGreaterThan(0);
    const fresh = confidentialApp(f.emu, f.network); // MSAL holds the failed app back a while
    expect(
      (await fresh.acquireTokenByClientCredential({ scopes: [f.emu.scope] }))?.accessToken,
    ).toBeTruthy();
  });
});
