import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.databaseKind).toBe('sqlite');
    expect(config.EXTRA_CA_CERTS).toEqual([]);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.AUTH_FAILURE_LIMIT).toBe(20);
    expect(config.TRUST_PROXY).toBeUndefined();
  });

  it('reads the failed-authentication limit and the proxies to trust', () => {
    expect(loadConfig({ AUTH_FAILURE_LIMIT: '5' }).AUTH_FAILURE_LIMIT).toBe(5);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, ::1' }).TRUST_PROXY).toEqual([
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
    for (const [name, value] of [
      ['AUTH_FAILURE_LIMIT', '0'],
      ['AUTH_FAILURE_LIMIT', 'many'],
      ['TRUST_PROXY', 'true'],
      ['TRUST_PROXY', '10.0.0.0/33'],
      ['TRUST_PROXY', '0'],
    ]) {
      expect(() => loadConfig({ [name]: value })).toThrow(
        new RegExp(`${name}: .*\\(got "${value}"\\)`),
      );
    }
  });

  it('reads the audit retention in days: 365 by default, at least 1', () => {
    expect(loadConfig({}).AUDIT_RETENTION_DAYS).toBe(365);
    expect(loadConfig({ AUDIT_RETENTION_DAYS: '30' }).AUDIT_RETENTION_DAYS).toBe(30);
    for (const value of ['0', '-1', 'a year', '1.5']) {
      expect(() => loadConfig({ AUDIT_RETENTION_DAYS: value })).toThrow(
        new RegExp(`AUDIT_RETENTION_DAYS: .*\\(got "${value}"\\)`),
      );
    }
  });

  it('keeps the member log 30 days unless told otherwise (0: no log); refuses other values', () => {
    expect(loadConfig({}).MEMBER_LOG_RETENTION_DAYS).toBe(30);
    expect(loadConfig({ MEMBER_LOG_RETENTION_DAYS: '7' }).MEMBER_LOG_RETENTION_DAYS).toBe(7);
    expect(loadConfig({ MEMBER_LOG_RETENTION_DAYS: '0' }).MEMBER_LOG_RETENTION_DAYS).toBe(0);
    for (const value of ['-1', '2.5', 'forever', '4000']) {
      expect(() => loadConfig({ MEMBER_LOG_RETENTION_DAYS: value })).toThrow(
        new RegExp(`MEMBER_LOG_RETENTION_DAYS: .*\\(got "${value}"\\)`),
      );
    }
  });

  it('parses numbers, lists and the database URL', () => {
    const config = loadConfig({
      PORT: '8080',
      ALLOWED_HOSTS: 'localhost:8443, *.example.test',
      DATABASE_URL: 'postgres://127.0.0.1:5432/test',
    });
    expect(config.PORT).toBe(8080);
    expect(config.ALLOWED_HOSTS).toEqual(['localhost:8443', '*.example.test']);
    expect(config.databaseKind).toBe('postgres');
  });

  it('names every wrong setting, without echoing secret values', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'abc', SECRET_KEY: 'not-a-key', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/PORT: .*integer.*\(got "abc"\)/);
    expect(message).toMatch(/LOG_LEVEL: /);
    expect(message).toMatch(/SECRET_KEY: must be 32 bytes/);
    expect(message).not.toContain('not-a-key');
  });
});

describe('loadConfig: sign-in for people', () => {
  const complete = {
    OIDC_AUTHORITY: 'https://login.microsoftonline.com/contoso.onmicrosoft.com',
    OIDC_CLIENT_ID: '11111111-2222-3333-4444-555555555555',
    OIDC_CLIENT_SECRET: 'the-client-secret',
    OIDC_ROLE_MAP: 'AudienceSync.Admin=admin,group:5b0e7c3a-2f41-4d8e-9a6b-7c1d2e3f4a5b=viewer',
  };

  it('is off by default, with a 30-minute idle timeout', () => {
    const config = loadConfig({});
    expect(config.peopleSignIn).toBe(false);
    expect(config.SESSION_IDLE_MINUTES).toBe(30);
  });

  it('reads the authority, client, role map, idle timeout and public URL', () => {
    const config = loadConfig({
      ...complete,
      SESSION_IDLE_MINUTES: '5',
      PUBLIC_URL: 'https://audience.example.com',
    });
    expect(config.peopleSignIn).toBe(true);
    expect(config.OIDC_ROLE_MAP).toEqual([
      { kind: 'app-role', value: 'AudienceSync.Admin', role: 'admin' },
      { kind: 'group', value: '5b0e7c3a-2f41-4d8e-9a6b-7c1d2e3f4a5b', role: 'viewer' },
    ]);
    expect(config.SESSION_IDLE_MINUTES).toBe(5);
    expect(config.PUBLIC_URL).toBe('https://audience.example.com');
    const emulator = loadConfig({
      ...complete,
      OIDC_AUTHORITY: 'https://127.0.0.1:8443/organizations',
      ALLOWED_HOSTS: '127.0.0.1:8443',
    });
    expect(emulator.OIDC_AUTHORITY).toBe('https://127.0.0.1:8443/organizations');
  });

  it('requires every OIDC_ setting once one is set, never echoing the secret', () => {
    let error: unknown;
    try {
      loadConfig({ OIDC_CLIENT_SECRET: 'the-client-secret' });
    } catch (e) {
      error = e;
    }
    const message = (error as ConfigError).message;
    expect(message).toMatch(/OIDC_AUTHORITY: is required for sign-in with Entra ID/);
    expect(message).toMatch(/OIDC_CLIENT_ID: is required/);
    expect(message).toMatch(/OIDC_ROLE_MAP: is required/);
    expect(message).not.toContain('the-client-secret');
  });

  it('names a wrong authority, role map, idle timeout or public URL', () => {
    expect(() => loadConfig({ ...complete, OIDC_AUTHORITY: 'https://evil.example.com/x' })).toThrow(
      /OIDC_AUTHORITY: evil.example.com is not an Entra ID sign-in host.*ALLOWED_HOSTS/,
    );
    expect(() =>
      loadConfig({ ...complete, OIDC_AUTHORITY: 'http://login.microsoftonline.com/x' }),
    ).toThrow(/OIDC_AUTHORITY must use https/);
    expect(() =>
      loadConfig({ ...complete, OIDC_AUTHORITY: 'https://login.microsoftonline.com/a/b' }),
    ).toThrow(/OIDC_AUTHORITY: must be https:\/\/host\[:port\]\/<tenant/);
    expect(() => loadConfig({ ...complete, OIDC_ROLE_MAP: 'AudienceSync.Admin=owner' })).toThrow(
      /OIDC_ROLE_MAP: entry "AudienceSync.Admin=owner" names the role "owner"/,
    );
    expect(() => loadConfig({ SESSION_IDLE_MINUTES: '0' })).toThrow(/SESSION_IDLE_MINUTES: /);
    expect(() => loadConfig({ PUBLIC_URL: 'https://a.example.com/app' })).toThrow(
      /PUBLIC_URL: must be http\(s\):\/\/host\[:port\] without a path/,
    );
  });
});

describe('loadConfig: notifications', () => {
  it('reads the webhook allow-list, the retry delay and the SMTP server', () => {
    const config = loadConfig({
      NOTIFY_ALLOWED_HOSTS: '127.0.0.1, hooks.local, ::1',
      NOTIFY_RETRY_BASE_MS: '250',
      SMTP_URL: 'smtp://user:pw@mail.example.test:2525',
    });
    expect(config.NOTIFY_ALLOWED_HOSTS).toEqual(['127.0.0.1', 'hooks.local', '::1']);
    expect(config.NOTIFY_RETRY_BASE_MS).toBe(250);
    expect(config.SMTP_URL).toBe('smtp://user:pw@mail.example.test:2525');
    expect(loadConfig({}).NOTIFY_ALLOWED_HOSTS).toEqual([]);
  });

  it('refuses a malformed allow-list or SMTP URL, without echoing the SMTP URL', () => {
    expect(() => loadConfig({ NOTIFY_ALLOWED_HOSTS: 'https://hooks.local/x' })).toThrow(
      /NOTIFY_ALLOWED_HOSTS: must list host names or IP addresses/,
    );
    expect(() => loadConfig({ NOTIFY_RETRY_BASE_MS: '1' })).toThrow(/NOTIFY_RETRY_BASE_MS: /);
    let message = '';
    try {
      loadConfig({ SMTP_URL: 'http://user:hunter2@mail.example.test' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(message).not.toContain('hunter2');
  });
});
