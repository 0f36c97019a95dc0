import { retryDelayMs } from './delivery-backoff';
import { signature } from './webhook-sender';

describe('webhook signature', () => {
  it('is sha256=<hex> of HMAC-SHA256 of the raw body with the secret', () => {
    // The RFC 4231-style reference value of HMAC-SHA256("key", "The quick brown fox …").
    expect(signature('key', 'The quick brown fox jumps over the lazy dog')).toBe(
      'sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8',
    );
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base after each failed attempt, up to six hours', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 30_000)).toBe(6 * 3_600_000);
  });
});
