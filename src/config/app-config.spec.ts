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
