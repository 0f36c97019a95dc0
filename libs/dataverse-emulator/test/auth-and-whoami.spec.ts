import { SignJWT, generateKeyPair, decodeJwt } from 'jose';
import { startFixture, type Fixture } from './support/fixture';

describe('Dataverse: bearer tokens and WhoAmI', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ tokenLifetimeSeconds: 60 });
  });
  afterAll(() => f.close());

  it('answers WhoAmI with the application user, and the documented headers', async () => {
    const res = await f.dv.get('WhoAmI');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      '@odata.context': `${f.emu.apiUrl}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      UserId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      OrganizationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.headers['x-ms-dop-hint']).toBe('8');
    expect(res.headers['content-type']).toContain('application/json');
    expect(Number(res.headers['x-ms-ratelimit-burst-remaining-xrm-requests'])).toBeGreaterThan(0);
    const again = await f.dv.get('WhoAmI()');
    expect(again.json.UserId).toBe(res.json.UserId);
  });

  it('rejects a missing token with 401, a Bearer challenge and no body', async () => {
    const res = await f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `Bearer authorization_uri=${f.emu.authority}/oauth2/authorize, resource_id=${f.emu.url}/`,
    );
    expect(res.text).toBe('');
  });

  async function forged(claims: Record<string, unknown>, key?: CryptoKeyLike): Promise<string> {
    const signingKey = key ?? (await generateKeyPair('RS256')).privateKey;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      appid: f.emu.clientId,
      idtyp: 'app',
      oid: 'x',
      tid: f.emu.tenantId,
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'forged' })
      .setIssuer(`${f.emu.authority}/v2.0`)
      .setAudience(f.emu.url)
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(signingKey);
  }
  type CryptoKeyLike = Parameters<SignJWT['sign']>[0];

  it.each([
    ['a bad signature', () => forged({}), 'signature'],
    ['garbage', () => Promise.resolve('not-a-jwt'), 'malformed'],
  ])('rejects %s with 401 invalid_token', async (_name, token, reason) => {
    const res = await f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`, {
      headers: { authorization: `Bearer ${await token()}` },
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(
      /^Bearer error="invalid_token", error_description="[^"]+", authorization_uri=/,
    );
    expect(res.json).toEqual({
      error: { code: '', message: expect.stringContaining(`(${reason})`) },
    });
  });

  it('rejects a token of another emulator (other key and issuer) and an expired one', async () => {
    const other = await startFixture();
    try {
      const foreign = await other.appToken();
      const res = await f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`, {
        headers: { authorization: `Bearer ${foreign}` },
      });
      expect(res.status).toBe(401);
    } finally {
      await other.close();
    }
    // `<org>//.default` (the double-slash form some Dynamics clients send) names the same org.
    const doubleSlash = await f.http.send('POST', `${f.emu.authority}/oauth2/v2.0/token`, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: f.emu.clientId,
        client_secret: f.emu.clientSecret,
        grant_type: 'client_credentials',
        scope: `${f.emu.url}//.default`,
      }).toString(),
    });
    expect(decodeJwt(doubleSlash.json.access_token).aud).toBe(f.emu.url);
    f.emu.identity.setTokenLifetime(1);
    const shortLived = await f.appToken();
    f.emu.identity.setTokenLifetime(60);
    const whoAmI = () =>
      f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`, {
        headers: { authorization: `Bearer ${shortLived}` },
      });
    // Accepted once (its verification is then remembered), refused once it has expired.
    expect((await whoAmI()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    const expired = await whoAmI();
    expect(expired.status).toBe(401);
    expect(expired.json.error.message).toContain('(expired)');
  });

  it('fault: all tokens expired (401) until MSAL fetches a new one', async () => {
    const token = await f.appToken();
    const whoAmI = () =>
      f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`, {
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await whoAmI()).status).toBe(200);
    f.emu.faults.expireAllTokens();
    const res = await whoAmI();
    expect(res.status).toBe(401);
    expect(res.json.error.message).toContain('expired');
    const fresh = await f.appToken();
    const ok = await f.http.send('GET', `${f.emu.apiUrl}/WhoAmI`, {
      headers: { authorization: `Bearer ${fresh}` },
    });
    expect(ok.status).toBe(200);
    f.dv.token = fresh;
  });

  it('fault: a caller without any security role gets 403 PrivilegeDenied even on WhoAmI', async () => {
    f.emu.faults.denyPrivileges('all', 'application');
    const res = await f.dv.get('WhoAmI');
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('0x80040220');
    expect(res.json.error.message).toMatch(
      /^Principal user \(Id=[0-9a-f-]{36}, .*is missing prvReadUser privilege/,
    );
    f.emu.faults.clear();
    expect((await f.dv.get('WhoAmI')).status).toBe(200);
  });

  it('answers unknown resources and methods with the Dataverse error body', async () => {
    const res = await f.dv.get('accounts');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: { code: '0x80060888', message: "Resource not found for the segment 'accounts'." },
    });
    const wrong = await f.dv.delete('contacts');
    expect(wrong.status).toBe(405);
    const v90 = await f.http.send('GET', `${f.emu.url}/api/data/v9.0/WhoAmI`, {
      headers: f.dv.headers(),
    });
    expect(v90.json['@odata.context']).toContain('/api/data/v9.0/$metadata');
    const malformed = await f.dv.get('contacts(%E0%A4%A)');
    expect(malformed.status).toBe(400);
    expect(malformed.json.error).toEqual({
      code: '0x80060888',
      message: "The URL path 'contacts(%E0%A4%A)' is not valid percent-encoding.",
    });
    const admin = await f.http.send('GET', `${f.emu.adminUrl}/contacts/%E0%A4%A`);
    expect(admin.status).toBe(400);
  });
});
