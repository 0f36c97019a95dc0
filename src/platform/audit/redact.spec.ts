import { REDACTED, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('replaces the values of keys naming secrets, at any depth, and keeps the rest', () => {
    const input = {
      displayName: 'Sales',
      config: {
        apiKey: 'kept',
        auth: { clientId: 'id', clientSecret: 's3cret', refreshToken: 'rt' },
        servers: [{ url: 'https://x', password: 'pw' }],
      },
      secrets: { 'auth.clientSecret': 'set' },
      privateKey: 'pem',
      token: 'as_x',
      lastSecret: null,
    };
    expect(redactSecrets(input)).toEqual({
      displayName: 'Sales',
      config: {
        apiKey: 'kept',
        auth: { clientId: 'id', clientSecret: REDACTED, refreshToken: REDACTED },
        servers: [{ url: 'https://x', password: REDACTED }],
      },
      secrets: REDACTED,
      privateKey: REDACTED,
      token: REDACTED,
      lastSecret: null,
    });
    expect(input.config.auth.clientSecret).toBe('s3cret');
  });

  it('leaves plain values alone', () => {
    expect(redactSecrets('x')).toBe('x');
    expect(redactSecrets([1, null])).toEqual([1, null]);
  });
});
