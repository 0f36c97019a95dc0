import { DataverseError, ErrorCodes } from '../dataverse/dataverse-error';
import type { ServiceProtectionLimits } from '../options';

/** One identity's sliding window: start times and modeled costs of admitted requests. */
class Window {
  times: number[] = [];
  costs: number[] = [];
  head = 0;
  /** Entries sliced off the front so far (absolute index = dropped + array index). */
  dropped = 0;
  executionMs = 0;
  inFlight = 0;

  get count(): number {
    return this.times.length - this.head;
  }

  evict(before: number): void {
    while (this.head < this.times.length && this.times[this.head] <= before) {
      this.executionMs -= this.costs[this.head];
      this.head += 1;
    }
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.costs = this.costs.slice(this.head);
      this.dropped += this.head;
      this.head = 0;
    }
    if (this.count === 0) this.executionMs = 0;
  }
}

export interface Admission {
  window: Window;
  slot: number;
  /** Remaining requests and execution ms in the window (the debug headers). */
  remaining: { requests: number; executionMs: number };
}

/**
 * Dataverse service protection per caller: requests and combined execution time over a sliding
 * window, and requests in progress. A request is refused (429 + Retry-After) when a limit is
 * already reached as it arrives, so the request that crosses a limit still runs, as documented
 * ("may be exceeded briefly"). Refused requests do not count.
 */
export class ServiceProtection {
  private readonly windows = new Map<string, Window>();

  constructor(public limits: ServiceProtectionLimits) {}

  admit(identity: string, now = Date.now()): Admission {
    let window = this.windows.get(identity);
    if (!window) {
      window = new Window();
      this.windows.set(identity, window);
    }
    const span = this.limits.windowSeconds * 1000;
    window.evict(now - span);
    if (window.inFlight >= this.limits.maxConcurrent) {
      throw tooMany(
        ErrorCodes.concurrentRequests,
        `Number of concurrent requests exceeded the limit of ${this.limits.maxConcurrent}.`,
        1,
      );
    }
    if (window.count >= this.limits.maxRequests) {
      const oldest = window.times[window.times.length - this.limits.maxRequests];
      throw tooMany(
        ErrorCodes.tooManyRequests,
        `Number of requests exceeded the limit of ${this.limits.maxRequests} over time window of ${this.limits.windowSeconds} seconds.`,
        seconds(oldest + span - now),
      );
    }
    if (window.executionMs >= this.limits.maxExecutionMs) {
      // The window falls under the limit once enough of its oldest cost has left it.
      let excess = window.executionMs - this.limits.maxExecutionMs;
      let i = window.head;
      while (excess >= 0 && i < window.times.length) {
        excess -= window.costs[i];
        i += 1;
      }
      throw tooMany(
        ErrorCodes.executionTime,
        `Combined execution time of incoming requests exceeded limit of ${this.limits.maxExecutionMs.toLocaleString('en-US')} milliseconds over time window of ${this.limits.windowSeconds} seconds. Decrease number of concurrent requests or reduce the duration of requests and try again later.`,
        seconds(window.times[i - 1] + span - now),
      );
    }
    window.inFlight += 1;
    window.times.push(now);
    window.costs.push(0);
    return {
      window,
      slot: window.dropped + window.times.length - 1,
      remaining: {
        requests: this.limits.maxRequests - window.count,
        executionMs: Math.max(0, Math.round(this.limits.maxExecutionMs - window.executionMs)),
      },
    };
  }

  /** Ends an admitted request, adding its modeled cost to the window. */
  complete(admission: Admission, costMs: number): void {
    const { window } = admission;
    window.inFlight -= 1;
    const slot = admission.slot - window.dropped;
    if (slot >= window.head && slot < window.costs.length) {
      window.costs[slot] = costMs;
      window.executionMs += costMs;
    }
  }

  /** Forgets every window (reset). */
  clear(): void {
    this.windows.clear();
  }
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

function tooMany(code: string, message: string, retryAfter: number): DataverseError {
  return new DataverseError(429, code, message, { 'Retry-After': String(retryAfter) });
}
