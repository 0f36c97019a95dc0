import { resolveAuth, type AppRegistration } from './app-registration';

const INSTALLATION: AppRegistration = {
  clientId: '11111111-1111-1111-1111-111111111111',
  tenantId: 'contoso.onmicrosoft.com',
  clientSecret: 'installation-secret',
  authorityHost: 'https://login.example',
};

describe('resolveAuth: a connection’s own ids, else the installation’s app registration', () => {
  it('uses the installation’s registration when the connection sets no client id', () => {
    expect(resolveAuth({ kind: 'clientCredentials' }, INSTALLATION)).toEqual({
      auth: {
        kind: 'clientCredentials',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: INSTALLATION.clientId,
        clientSecret: 'installation-secret',
        authorityHost: 'https://login.example',
      },
      problems: [],
    });
  });

  it('keeps a connection’s own ids (they override), never mixing in the installation’s secret', () => {
    const own = {
      kind: 'clientCredentials' as const,
      tenantId: 'fabrikam.example',
      clientId: '22222222-2222-2222-2222-222222222222',
      clientSecret: 'own-secret',
    };
    expect(resolveAuth(own, INSTALLATION)).toEqual({
      auth: { ...own },
      problems: [],
    });
    expect(resolveAuth({ ...own, clientSecret: undefined }, INSTALLATION).problems).toEqual([
      { path: 'auth.clientSecret', message: 'Client secret is required.' },
    ]);
  });

  it('names the missing client id by its label when there is no registration at all', () => {
    expect(resolveAuth({ kind: 'delegated' }, null).problems).toEqual([
      {
        path: 'auth.clientId',
        message: expect.stringMatching(/^Application \(client\) id is required.*Settings/),
      },
    ]);
  });

  it('leaves the tenant out of a delegated sign-in (organizations) until one is learned', () => {
    const registration = { clientId: INSTALLATION.clientId };
    expect(resolveAuth({ kind: 'delegated' }, registration)).toEqual({
      auth: { kind: 'delegated', clientId: INSTALLATION.clientId },
      problems: [],
    });
    expect(
      resolveAuth({ kind: 'delegated', tokenCache: '{}' }, registration, 'tenant-learned'),
    ).toEqual({
      auth: {
        kind: 'delegated',
        clientId: INSTALLATION.clientId,
        tenantId: 'tenant-learned',
        tokenCache: '{}',
      },
      problems: [],
    });
    // A tenant the connection names itself wins over the learned one.
    expect(
      resolveAuth({ kind: 'delegated', tenantId: 'own.example' }, registration, 'tenant-learned'),
    ).toMatchObject({ auth: { tenantId: 'own.example' } });
  });

  it('needs a tenant and a secret for an application sign-in', () => {
    expect(
      resolveAuth({ kind: 'clientCredentials' }, { clientId: INSTALLATION.clientId }).problems,
    ).toEqual([
      { path: 'auth.tenantId', message: expect.stringMatching(/^Tenant id is required/) },
      { path: 'auth.clientSecret', message: expect.stringMatching(/Settings has none/) },
    ]);
  });

  it('sends the installation’s secret only to its own sign-in host', () => {
    expect(
      resolveAuth(
        { kind: 'clientCredentials', authorityHost: 'https://elsewhere.example' },
        INSTALLATION,
      ).problems,
    ).toEqual([{ path: 'auth.authorityHost', message: expect.stringMatching(/^Sign-in host/) }]);
    // A delegated sign-in sends no secret: its own host is fine.
    expect(
      resolveAuth({ kind: 'delegated', authorityHost: 'https://elsewhere.example' }, INSTALLATION),
    ).toMatchObject({ auth: { authorityHost: 'https://elsewhere.example' } });
  });
});
