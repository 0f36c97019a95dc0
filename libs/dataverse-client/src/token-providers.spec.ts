import { DataverseRuntime } from './dataverse-runtime';
import { DataverseErrorKind } from './errors';
import { sleep } from './retry-policy';
import { startEmulatorRuntime, type EmulatorRuntime } from './testing/emulator-runtime';

describe('MSAL token providers and sign-in against the emulator (HTTPS, real MSAL)', () => {
  let env: EmulatorRuntime;

  beforeAll(async () => {
    env = await startEmulatorRuntime({ contacts: 3 });
  });
  afterAll(async () => {
    await env.close();
  });
  beforeEach(() => {
    env.emu.faults.clear();
  });

  const withAuth = (patch: Partial<EmulatorRuntime['settings']['auth']>) => ({
    serverAddress: env.settings.serverAddress,
    auth: { ...env.settings.auth, ...patch },
  });

  it('says in words that the client secret is wrong (AADSTS7000215)', async () => {
    const client = env.runtime.connect(withAuth({ clientSecret: 'not-the-secret' }));
    await expect(client.whoAmI()).rejects.toMatchObject({
      kind: DataverseErrorKind.AUTH,
      aadsts: '7000215',
      message: expect.stringMatching(/^The client secret is wrong \(AADSTS7000215/),
    });
  });

  it('says that the tenant does not exist (AADSTS90002)', async () => {
    const client = env.runtime.connect(
      withAuth({ tenantId: '11111111-2222-3333-4444-555555555555' }),
    );
    await expect(client.whoAmI()).rejects.toMatchObject({
      kind: DataverseErrorKind.AUTH,
      aadsts: '90002',
      message: expect.stringMatching(/tenant was not found/),
    });
  });

  it('says that the application is unknown (AADSTS700016)', async () => {
    const client = env.runtime.connect(
      withAuth({ clientId: '99999999-8888-7777-6666-555555555555' }),
    );
    await expect(client.whoAmI()).rejects.toMatchObject({
      kind: DataverseErrorKind.AUTH,
      aadsts: '700016',
      message: expect.stringMatching(/application \(client id\) is not known/),
    });
  });

  it('keeps one MSAL client and token per credential: a second client reuses the token', async () => {
    const first = env.runtime.connect(env.settings);
    await first.whoAmI();
    env.emu.resetStats();
    const second = env.runtime.connect(env.settings);
    await second.whoAmI();
    expect(Object.keys(env.emu.stats().endpoints)).toEqual(['GET /WhoAmI']);
  });

  it('refuses a server whose certificate is signed by an untrusted CA, saying how to fix it', async () => {
    const untrusting = new DataverseRuntime({ allowedHosts: [new URL(env.emu.url).host] });
    try {
      const client = untrusting.connect(env.settings);
      await expect(client.whoAmI()).rejects.toMatchObject({
        kind: DataverseErrorKind.CONFIG,
        message: expect.stringMatching(
          /certificate of 127\.0\.0\.1:\d+ is not trusted .*add its CA certificate to EXTRA_CA_CERTS/,
        ),
      });
    } finally {
      await untrusting.close();
    }
  });

  it('refuses settings outside the allow-list before any connection', () => {
    const strict = new DataverseRuntime({ extraCaCertificates: [env.emu.caCertPem] });
    try {
      expect(() => strict.connect(env.settings)).toThrow(
        /serverAddress uses the IP address 127\.0\.0\.1:\d+/,
      );
      expect(
        strict.validate({
          serverAddress: 'https://contoso.crm.dynamics.com',
          auth: { tenantId: 't', authorityHost: 'https://sts.evil.example' },
        }),
      ).toEqual([
        {
          path: 'auth.authorityHost',
          message: expect.stringMatching(/sts\.evil\.example is not an Entra ID sign-in host/),
        },
      ]);
      expect(strict.validate({ serverAddress: 'http://contoso.crm.dynamics.com' })).toEqual([
        { path: 'serverAddress', message: 'serverAddress must use https:// (got http://).' },
      ]);
    } finally {
      void strict.close();
    }
  });

  it('signs a person in with a device code, then works with the stored token cache', async () => {
    const signIn = await env.runtime.startDeviceCodeSignIn({
      serverAddress: env.emu.url,
      auth: {
        tenantId: env.emu.tenantId,
        clientId: env.emu.clientId,
        authorityHost: env.authorityHost,
      },
    });
    expect(signIn.challenge.userCode).toMatch(/\S+/);
    expect(signIn.challenge.verificationUri).toMatch(/^https:\/\//);
    expect(signIn.challenge.expiresAt.getTime()).toBeGreaterThan(Date.now());
    env.emu.identity.approveDeviceCode(signIn.challenge.userCode, 'seller@contoso.example');
    const result = await signIn.completion;
    expect(result.username).toBe('seller@contoso.example');
    expect(JSON.parse(result.tokenCache)).toHaveProperty('RefreshToken');

    const rotated: string[] = [];
    const delegated = env.runtime.connect(
      {
        serverAddress: env.emu.url,
        auth: {
          kind: 'delegated',
          tenantId: env.emu.tenantId,
          clientId: env.emu.clientId,
          authorityHost: env.authorityHost,
          tokenCache: result.tokenCache,
        },
      },
      { cacheKey: 'destination-1', onTokenCacheChanged: (cache) => void rotated.push(cache) },
    );
    const who = await delegated.whoAmI();
    expect(who.UserId).toMatch(/^[0-9a-f-]{36}$/);

    // Tokens expire mid-run: one refresh with the refresh token, and the new cache is handed over.
    env.emu.faults.expireAllTokens();
    await delegated.whoAmI();
    expect(delegated.stats.tokenRefreshes).toBe(1);
    expect(rotated.length).toBeGreaterThan(0);
    expect(rotated.at(-1)).not.toBe(result.tokenCache);

    // A revoked sign-in says to sign in again.
    env.emu.faults.revokeRefreshTokens();
    env.emu.faults.expireAllTokens();
    await expect(delegated.whoAmI()).rejects.toMatchObject({
      kind: DataverseErrorKind.AUTH,
      message: expect.stringMatching(/sign in again/i),
    });
  });

  it('signs in at `organizations` without a tenant, learns the tenant from the id token and refreshes there', async () => {
    const signIn = await env.runtime.startDeviceCodeSignIn({
      serverAddress: env.emu.url,
      auth: { clientId: env.emu.clientId, authorityHost: env.authorityHost },
    });
    env.emu.identity.approveDeviceCode(signIn.challenge.userCode, 'seller@contoso.example');
    const result = await signIn.completion;
    expect(result.tenantId).toBe(env.emu.tenantId);

    const delegated = env.runtime.connect(
      {
        serverAddress: env.emu.url,
        auth: {
          kind: 'delegated',
          tenantId: result.tenantId,
          clientId: env.emu.clientId,
          authorityHost: env.authorityHost,
          tokenCache: result.tokenCache,
        },
      },
      { cacheKey: 'destination-organizations' },
    );
    expect((await delegated.whoAmI()).UserId).toMatch(/^[0-9a-f-]{36}$/);
    env.emu.faults.expireAllTokens();
    await delegated.whoAmI();
    expect(delegated.stats.tokenRefreshes).toBe(1);

    // Without the learned tenant (e.g. while a new sign-in is pending) the stored sign-in still
    // works through `organizations`.
    const unlearned = env.runtime.connect(
      {
        serverAddress: env.emu.url,
        auth: {
          kind: 'delegated',
          clientId: env.emu.clientId,
          authorityHost: env.authorityHost,
          tokenCache: result.tokenCache,
        },
      },
      { cacheKey: 'destination-organizations-unlearned' },
    );
    env.emu.faults.expireAllTokens();
    expect((await unlearned.whoAmI()).UserId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports a declined device-code sign-in', async () => {
    const signIn = await env.runtime.startDeviceCodeSignIn({
      serverAddress: env.emu.url,
      auth: {
        tenantId: env.emu.tenantId,
        clientId: env.emu.clientId,
        authorityHost: env.authorityHost,
      },
    });
    env.emu.identity.declineDeviceCode(signIn.challenge.userCode);
    await expect(signIn.completion).rejects.toMatchObject({
      kind: DataverseErrorKind.AUTH,
      message: expect.stringMatching(/declined/),
    });
  });

  it('stops polling when a sign-in is canceled', async () => {
    const signIn = await env.runtime.startDeviceCodeSignIn({
      serverAddress: env.emu.url,
      auth: {
        tenantId: env.emu.tenantId,
        clientId: env.emu.clientId,
        authorityHost: env.authorityHost,
      },
    });
    signIn.cancel();
    await expect(signIn.completion).rejects.toMatchObject({ kind: DataverseErrorKind.AUTH });
    await sleep(10);
  });

  it('says nobody signed in yet for a delegated destination without a token cache', async () => {
    const client = env.runtime.connect({
      serverAddress: env.emu.url,
      auth: {
        kind: 'delegated',
        tenantId: env.emu.tenantId,
        clientId: env.emu.clientId,
        authorityHost: env.authorityHost,
      },
    });
    await expect(client.whoAmI()).rejects.toMatchObject({
      kind: DataverseErrorKind.AUTH,
      message: expect.stringMatching(/No one has signed in yet/),
    });
  });
});
