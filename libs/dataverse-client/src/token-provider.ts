import { canceledError } from './errors';

/** Hands out bearer tokens for one organization and credential. */
export interface TokenProvider {
  /** A valid token, from the cache while it is not close to expiry. */
  getToken(signal?: AbortSignal): Promise<string>;
  /**
   * A new token after the server refused `rejected` (401). Callers that saw the same rejected token
   * share one refresh; a token refreshed meanwhile by someone else is returned as is.
   */
  refreshToken(rejected: string, signal?: AbortSignal): Promise<string>;
}

export interface AcquiredToken {
  accessToken: string;
  /** Expiry in epoch milliseconds. */
  expiresAt: number;
}

/** Renew before expiry: 5 minutes ahead, or a fifth of the lifetime for short-lived tokens. */
const RENEW_AHEAD_MS = 5 * 60_000;

/**
 * The caching and single-flight part shared by the MSAL providers: one acquisition at a time, the
 * token reused until shortly before it expires, a forced refresh deduplicated per rejected token.
 */
export abstract class CachedTokenProvider implements TokenProvider {
  private current: { token: string; expiresAt: number; renewAt: number } | null = null;
  private pending: Promise<string> | null = null;

  protected constructor(protected readonly now: () => number) {}

  /** Gets a token from MSAL (its cache when `force` is false). */
  protected abstract acquire(force: boolean): Promise<AcquiredToken>;

  getToken(signal?: AbortSignal): Promise<string> {
    const current = this.current;
    if (current !== null && this.now() < current.renewAt) return Promise.resolve(current.token);
    return this.withSignal(this.start(false), signal);
  }

  refreshToken(rejected: string, signal?: AbortSignal): Promise<string> {
    const run = async (): Promise<string> => {
      if (this.pending !== null) {
        const shared = await this.pending.catch(() => null);
        if (shared !== null && shared !== rejected) return shared;
      }
      const current = this.current;
      if (current !== null && current.token !== rejected && this.now() < current.renewAt) {
        return current.token;
      }
      return this.start(true);
    };
    return this.withSignal(run(), signal);
  }

  /** Forgets the cached token (credentials replaced). */
  protected forget(): void {
    this.current = null;
  }

  private start(force: boolean): Promise<string> {
    if (this.pending !== null) return this.pending;
    const run = (async () => {
      try {
        let result = await this.acquire(force);
        if (!force && this.current !== null && result.accessToken === this.current.token) {
          // MSAL handed back the token we are renewing: ask past its cache.
          result = await this.acquire(true);
        }
        const now = this.now();
        const lifetime = Math.max(0, result.expiresAt - now);
        const ahead = Math.min(RENEW_AHEAD_MS, lifetime / 5);
        this.current = {
          token: result.accessToken,
          expiresAt: result.expiresAt,
          renewAt: result.expiresAt - ahead,
        };
        return result.accessToken;
      } finally {
        this.pending = null;
      }
    })();
    this.pending = run;
    return run;
  }

  private withSignal(promise: Promise<string>, signal?: AbortSignal): Promise<string> {
    if (signal === undefined) return promise;
    if (signal.aborted) return Promise.reject(canceledError());
    let onAbort: () => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        reject(canceledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return Promise.race([promise, aborted]).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  }
}
