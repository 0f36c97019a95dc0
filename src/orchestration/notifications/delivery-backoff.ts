/** Attempts of one delivery before it is given up (`failed`). */
export const MAX_ATTEMPTS = 8;
/** The longest wait between two attempts. */
const MAX_DELAY_MS = 6 * 3_600_000;

/**
 * The wait after a failed attempt (1-based): `base`, then twice as long each time, at most six
 * hours. Written out rather than taken from a retry library (p-retry and the like): those wait
 * in memory, and a delivery must survive a restart, so the wait lives in the outbox row
 * (`next_attempt_at`) and is this one line of arithmetic.
 */
export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_DELAY_MS);
}
