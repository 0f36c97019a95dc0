/** Counters of one client (or one scope of it: a segment's export). */
export interface DataverseStats {
  /** HTTP requests sent to Dataverse (each attempt; a `$batch` is one). */
  requests: number;
  /** Requests that changed nothing server-side by design (GET). */
  reads: number;
  /** Requests that may write (POST, PATCH, PUT, DELETE, `$batch` with writes). */
  writes: number;
  /** 429 answers (each paced by Retry-After, none counted as a failure). */
  throttled: number;
  /** Time spent waiting on Retry-After, in milliseconds. */
  throttledWaitMs: number;
  /** Retries after 5xx or network failures. */
  retries: number;
  /** Token refreshes forced by a 401. */
  tokenRefreshes: number;
}

export function emptyStats(): DataverseStats {
  return {
    requests: 0,
    reads: 0,
    writes: 0,
    throttled: 0,
    throttledWaitMs: 0,
    retries: 0,
    tokenRefreshes: 0,
  };
}
