import { REAL_LIMITS, type ServiceProtectionLimits } from '../options';

/** Dataverse requests as they were admitted: caller, arrival time, modeled cost. */
export class RequestLog {
  private readonly identities = new Map<string, number>();
  private identity: number[] = [];
  private start: number[] = [];
  private cost: number[] = [];

  get length(): number {
    return this.cost.length;
  }

  record(identity: string, startMs: number, costMs: number): void {
    let id = this.identities.get(identity);
    if (id === undefined) {
      id = this.identities.size;
      this.identities.set(identity, id);
    }
    this.identity.push(id);
    this.start.push(startMs);
    this.cost.push(costMs);
  }

  clear(): void {
    this.identity = [];
    this.start = [];
    this.cost = [];
  }

  /** Costs per identity for entries [from, to), in arrival order. */
  costsByIdentity(from: number, to: number): number[][] {
    const groups = new Map<number, number[]>();
    for (let i = Math.max(0, from); i < Math.min(to, this.cost.length); i += 1) {
      let group = groups.get(this.identity[i]);
      if (!group) {
        group = [];
        groups.set(this.identity[i], group);
      }
      group.push(this.cost[i]);
    }
    return [...groups.values()];
  }
}

export interface Projection {
  /** Requests (a $batch is one) and their combined modeled execution time. */
  requests: number;
  executionMs: number;
  identities: number;
  limits: ServiceProtectionLimits;
  /** Least wall time the requests need under the limits, in seconds (all three at once). */
  minimumSeconds: number;
  /** The least time each limit alone would impose, in seconds. */
  byLimit: { requests: number; executionTime: number; concurrency: number };
  /** The limit that sets the minimum. */
  bindingLimit: 'requests' | 'executionTime' | 'concurrency';
}

/**
 * The least wall time a recorded sequence of requests needs under service-protection limits
 * (default: the real ones). Each caller is simulated on its own (limits are per caller) sending
 * its requests in the recorded order as early as the limits allow: a request may start when
 * fewer than maxRequests started in the last window, the window's combined cost is under
 * maxExecutionMs, and fewer than maxConcurrent are running (each runs for its modeled cost).
 */
export function project(
  log: RequestLog,
  from = 0,
  to = log.length,
  limits: ServiceProtectionLimits = REAL_LIMITS,
): Projection {
  const groups = log.costsByIdentity(from, to);
  const all = simulateAll(groups, limits);
  const infinite = Number.POSITIVE_INFINITY;
  const byLimit = {
    requests: simulateAll(groups, { ...limits, maxExecutionMs: infinite, maxConcurrent: infinite }),
    executionTime: simulateAll(groups, {
      ...limits,
      maxRequests: infinite,
      maxConcurrent: infinite,
    }),
    concurrency: simulateAll(groups, {
      ...limits,
      maxRequests: infinite,
      maxExecutionMs: infinite,
    }),
  };
  const bindingLimit = (Object.keys(byLimit) as (keyof typeof byLimit)[]).reduce((a, b) =>
    byLimit[b] > byLimit[a] ? b : a,
  );
  return {
    requests: groups.reduce((n, g) => n + g.length, 0),
    executionMs: Math.round(groups.reduce((n, g) => n + g.reduce((s, c) => s + c, 0), 0)),
    identities: groups.length,
    limits,
    minimumSeconds: round(all),
    byLimit: {
      requests: round(byLimit.requests),
      executionTime: round(byLimit.executionTime),
      concurrency: round(byLimit.concurrency),
    },
    bindingLimit,
  };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}

function simulateAll(groups: number[][], limits: ServiceProtectionLimits): number {
  return groups.reduce((max, costs) => Math.max(max, simulate(costs, limits)), 0);
}

/** Seconds from the first start to the last finish for one caller. */
function simulate(costs: number[], limits: ServiceProtectionLimits): number {
  const span = limits.windowSeconds * 1000;
  const starts: number[] = [];
  const prefix: number[] = [0]; // prefix[k] = sum of costs[0..k-1]
  const running = new MinHeap();
  let t = 0;
  let end = 0;
  for (let k = 0; k < costs.length; k += 1) {
    // Requests: the (maxRequests)-th most recent start must have left the window.
    if (k >= limits.maxRequests) t = Math.max(t, starts[k - limits.maxRequests] + span);
    // Execution time: the window must hold less than maxExecutionMs of cost, i.e. with j the
    // first request still inside, prefix[k] - prefix[j] < max; the request before j leaves at
    // starts[j-1] + span.
    if (prefix[k] >= limits.maxExecutionMs) {
      const j = firstIndex(prefix, k, prefix[k] - limits.maxExecutionMs);
      t = Math.max(t, starts[j - 1] + span);
    }
    // Concurrency: wait for a running request to finish.
    while (running.size > 0 && running.peek() <= t) running.pop();
    while (running.size >= limits.maxConcurrent) t = Math.max(t, running.pop());
    starts.push(t);
    prefix.push(prefix[k] + costs[k]);
    running.push(t + costs[k]);
    end = Math.max(end, t + costs[k]);
  }
  return end / 1000;
}

/** Smallest j in [1, k] with prefix[j] > threshold (prefix is non-decreasing). */
function firstIndex(prefix: number[], k: number, threshold: number): number {
  let lo = 1;
  let hi = k;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (prefix[mid] > threshold) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

class MinHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): number {
    return this.items[0];
  }

  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent] <= a[i]) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }

  pop(): number {
    const a = this.items;
    const top = a[0];
    const last = a.pop() as number;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l] < a[m]) m = l;
        if (r < a.length && a[r] < a[m]) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
