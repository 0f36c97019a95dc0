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
