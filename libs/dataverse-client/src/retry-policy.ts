import { canceledError } from './errors';

export interface RetryOptions {
  /** Retries after a 5xx / 408 or a network failure (not counting 429s). Default 5. */
  maxRetries?: number;
  /** First back-off step; doubles each retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Largest single back-off. Default 30 s. */
  maxDelayMs?: number;
  /**
   * Longest total time one request may spend waiting on 429 Retry-After answers before it fails as
   * TEMPORARY. Throttling is pacing, not failure, so this is generous. Default 15 minutes.
   */
  maxThrottleWaitMs?: number;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxRetries: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxThrottleWaitMs: 15 * 60_000,
};

/** Exponential back-off with "full jitter": uniform in [base, min(max, base·2^attempt)]. */
export function backoffDelay(
  attempt: number,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  const floor = Math.min(options.baseDelayMs, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}

/**
 * `Retry-After` in milliseconds: delta-seconds (Dataverse sends these, possibly fractional) or an
 * HTTP date. Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Some services send a TimeSpan (hh:mm:ss).
  const span = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text);
  if (span)
    return Math.round((Number(span[1]) * 3600 + Number(span[2]) * 60 + Number(span[3])) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** Sleeps `ms`, or rejects with CANCELED when the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(canceledError());
  if (ms <= 0) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(canceledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
