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
