import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATA_DIR).toBe('./data');
    expect(config.databaseKind).toBe('sqlite');
    expect(config.EXTRA_CA_CERTS).toEqual([]);
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
