/** Counters per endpoint (`POST /AddListMembersList`, `POST /token`, …). */
export interface EndpointStats {
  count: number;
  /** Answered 429 by service protection. */
  throttled: number;
  /** Answered with another error status (4xx/5xx, injected faults included). */
  failed: number;
  /** Modeled execution time of the successful and failed requests, in ms. */
  executionMs: number;
  /** Operations of this endpoint inside $batch requests (also counted in `count`). */
  inBatch: number;
}

export interface StatsSnapshot {
  since: string;
  totals: EndpointStats;
  endpoints: Partial<Record<string, EndpointStats>>;
  /** Position in the request log (for `projection({ from })`). */
  logPosition: number;
}

const empty = (): EndpointStats => ({
  count: 0,
  throttled: 0,
  failed: 0,
  executionMs: 0,
  inBatch: 0,
});

/** Request statistics since the last reset. */
export class RequestStats {
  private endpoints = new Map<string, EndpointStats>();
  /** HTTP requests (not $batch parts), all endpoints. */
  private totals = empty();
  private since = new Date();

  record(
    endpoint: string,
    outcome: { status: number; executionMs: number; inBatch?: boolean },
  ): void {
    let stats = this.endpoints.get(endpoint);
    if (!stats) {
      stats = empty();
      this.endpoints.set(endpoint, stats);
    }
    stats.count += 1;
    if (outcome.status === 429) stats.throttled += 1;
    else if (outcome.status >= 400) stats.failed += 1;
    stats.executionMs += outcome.executionMs;
    if (outcome.inBatch) {
      stats.inBatch += 1;
      return;
    }
    this.totals.count += 1;
    if (outcome.status === 429) this.totals.throttled += 1;
    else if (outcome.status >= 400) this.totals.failed += 1;
    this.totals.executionMs += outcome.executionMs;
  }

  snapshot(logPosition: number): StatsSnapshot {
    const endpoints: Record<string, EndpointStats> = {};
    for (const [name, stats] of [...this.endpoints].sort(([a], [b]) => a.localeCompare(b))) {
      endpoints[name] = { ...stats, executionMs: round(stats.executionMs) };
    }
    const totals = { ...this.totals, executionMs: round(this.totals.executionMs) };
    return { since: this.since.toISOString(), totals, endpoints, logPosition };
  }

  reset(): void {
    this.endpoints = new Map();
    this.totals = empty();
    this.since = new Date();
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
