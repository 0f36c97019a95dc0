import { DataverseError, ErrorCodes } from '../dataverse/dataverse-error';
import { prng } from '../util/prng';

/** Which side of the emulator a fault hits: the Dataverse Web API (default) or Entra ID. */
export type FaultTarget = 'dataverse' | 'identity';

export interface FailNextOptions {
  /** HTTP status to answer (default 503). */
  status?: number;
  /** Error code in the body (default: 0x80072322 for 429, 0x80040216 otherwise). */
  code?: string;
  message?: string;
  /** Retry-After seconds (sent with 429 and 503; default 1). */
  retryAfterSeconds?: number;
  /** Only requests whose endpoint contains this text (e.g. `AddListMembersList`). */
  endpoint?: string;
  target?: FaultTarget;
}

export interface FailureRateOptions {
  status?: number;
  code?: string;
  message?: string;
  seed?: number;
  endpoint?: string;
  target?: FaultTarget;
}

export interface LatencyOptions {
  /** Random extra 0…jitterMs on top of `ms`. */
  jitterMs?: number;
  endpoint?: string;
  target?: FaultTarget;
}

/** Links of a page (`@odata.nextLink`, `@odata.deltaLink`) the foreign-links fault rewrites. */
export type PageLink = 'nextLink' | 'deltaLink';

export interface ForeignLinksOptions {
  /** Which links point elsewhere (default both). */
  links?: PageLink[];
  endpoint?: string;
}

interface Scoped {
  endpoint?: string;
  target: FaultTarget;
}

interface FailNext extends Scoped {
  remaining: number;
  error: () => DataverseError;
}

export interface FaultDecision {
  drop: boolean;
  delayMs: number;
  error?: DataverseError;
}

export interface FaultsDescription {
  failNext: { remaining: number; status: number; endpoint?: string; target: FaultTarget }[];
  failureRate?: { rate: number; status: number; endpoint?: string; target: FaultTarget };
  latency?: { ms: number; jitterMs: number; endpoint?: string; target: FaultTarget };
  dropConnections: { remaining: number; endpoint?: string; target: FaultTarget }[];
  foreignLinks?: { origin: string; links: PageLink[]; endpoint?: string };
}

/** Injected failures: the next N fail, a failure rate, added latency, dropped connections. */
export class Faults {
  private failNextQueue: FailNext[] = [];
  private rate?: Scoped & {
    rate: number;
    status: number;
    random: () => number;
    error: () => DataverseError;
  };
  private latency?: Scoped & { ms: number; jitterMs: number; random: () => number };
  private drops: (Scoped & { remaining: number })[] = [];
  private foreign?: Scoped & { origin: string; links: PageLink[] };

  failNext(count: number, options: FailNextOptions = {}): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError('failNext count must be an integer ≥ 1');
    checkOptions(options, ['retryAfterSeconds']);
    const status = options.status ?? 503;
    checkStatus(status);
    this.failNextQueue.push({
      remaining: count,
      endpoint: options.endpoint,
      target: options.target ?? 'dataverse',
      error: () =>
        injected(
          status,
          options.target ?? 'dataverse',
          options.code,
          options.message,
          options.retryAfterSeconds,
        ),
    });
  }

  failureRate(rate: number, options: FailureRateOptions = {}): void {
    if (!(rate >= 0 && rate <= 1)) throw new RangeError('failure rate must be between 0 and 1');
    checkOptions(options, ['seed']);
    const status = options.status ?? 503;
    checkStatus(status);
    this.rate =
      rate === 0
        ? undefined
        : {
            rate,
            status,
            endpoint: options.endpoint,
            target: options.target ?? 'dataverse',
            random: prng(options.seed ?? 1),
            error: () =>
              injected(status, options.target ?? 'dataverse', options.code, options.message),
          };
  }

  addLatency(ms: number, options: LatencyOptions = {}): void {
    if (!(ms >= 0)) throw new RangeError('latency must be ≥ 0 ms');
    checkOptions(options, ['jitterMs']);
    this.latency =
      ms === 0 && !options.jitterMs
        ? undefined
        : {
            ms,
            jitterMs: options.jitterMs ?? 0,
            endpoint: options.endpoint,
            target: options.target ?? 'dataverse',
            random: prng(7),
          };
  }

  dropConnections(count: number, options: { endpoint?: string; target?: FaultTarget } = {}): void {
    if (!Number.isInteger(count) || count < 1)
      throw new RangeError('dropConnections count must be an integer ≥ 1');
    checkOptions(options);
    this.drops.push({
      remaining: count,
      endpoint: options.endpoint,
      target: options.target ?? 'dataverse',
    });
  }

  /**
   * A hostile or broken server: the page links of Dataverse answers point to `origin` (another
   * host) instead of the org, with the same path and query. A client must refuse to follow them
   * (its bearer token would go to that host).
   */
  foreignLinks(origin: string, options: ForeignLinksOptions = {}): void {
    checkOptions(options);
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new RangeError(
        `foreign-links origin must be a URL such as https://other:8443, got '${origin}'`,
      );
    }
    // Checked as unknown: the admin API passes JSON as it came.
    const links: unknown = options.links ?? ['nextLink', 'deltaLink'];
    if (!Array.isArray(links) || links.some((l) => l !== 'nextLink' && l !== 'deltaLink')) {
      throw new RangeError(`fault option 'links' must list 'nextLink' and/or 'deltaLink'`);
    }
    this.foreign = {
      origin: parsed.origin,
      links: [...(links as PageLink[])],
      endpoint: options.endpoint,
      target: 'dataverse',
    };
  }

  get hasForeignLinks(): boolean {
    return this.foreign !== undefined;
  }

  /** The body of a Dataverse answer, its page links moved to the foreign origin when set. */
  rewriteLinks(endpoint: string, ownOrigin: string, body: string): string {
    const foreign = this.foreign;
    if (!foreign) return body;
    if (foreign.endpoint && !endpoint.toLowerCase().includes(foreign.endpoint.toLowerCase())) {
      return body;
    }
    let out = body;
    for (const link of foreign.links) {
      out = out.split(`"@odata.${link}":"${ownOrigin}`).join(`"@odata.${link}":"${foreign.origin}`);
    }
    return out;
  }

  clear(): void {
    this.failNextQueue = [];
    this.rate = undefined;
    this.latency = undefined;
    this.drops = [];
    this.foreign = undefined;
  }

  describe(): FaultsDescription {
    return {
      failNext: this.failNextQueue.map((f) => ({
        remaining: f.remaining,
        status: f.error().status,
        endpoint: f.endpoint,
        target: f.target,
      })),
      failureRate: this.rate && {
        rate: this.rate.rate,
        status: this.rate.status,
        endpoint: this.rate.endpoint,
        target: this.rate.target,
      },
      latency: this.latency && {
        ms: this.latency.ms,
        jitterMs: this.latency.jitterMs,
        endpoint: this.latency.endpoint,
        target: this.latency.target,
      },
      dropConnections: this.drops.map(({ remaining, endpoint, target }) => ({
        remaining,
        endpoint,
        target,
      })),
      foreignLinks: this.foreign && {
        origin: this.foreign.origin,
        links: [...this.foreign.links],
        endpoint: this.foreign.endpoint,
      },
    };
  }

  /** What happens to a request to `endpoint` on `target`; consumes one-shot faults. */
  decide(target: FaultTarget, endpoint: string): FaultDecision {
    const applies = (s: Scoped) =>
      s.target === target &&
      (!s.endpoint || endpoint.toLowerCase().includes(s.endpoint.toLowerCase()));
    const decision: FaultDecision = { drop: false, delayMs: 0 };
    if (this.latency && applies(this.latency)) {
      decision.delayMs =
        this.latency.ms + Math.round(this.latency.random() * this.latency.jitterMs);
    }
    const drop = this.drops.find(applies);
    if (drop) {
      drop.remaining -= 1;
      if (drop.remaining === 0) this.drops.splice(this.drops.indexOf(drop), 1);
      decision.drop = true;
      return decision;
    }
    const fail = this.failNextQueue.find(applies);
    if (fail) {
      fail.remaining -= 1;
      if (fail.remaining === 0) this.failNextQueue.splice(this.failNextQueue.indexOf(fail), 1);
      decision.error = fail.error();
      return decision;
    }
    if (this.rate && applies(this.rate) && this.rate.random() < this.rate.rate)
      decision.error = this.rate.error();
    return decision;
  }
}

/**
 * Checks the options of a fault as it is set (from the handle or the admin API's JSON), so a
 * wrong type is refused at once instead of failing requests later.
 */
function checkOptions(options: object, numbers: string[] = []): void {
  const o = options as Record<string, unknown>;
  for (const key of ['endpoint', 'code', 'message']) {
    if (o[key] !== undefined && typeof o[key] !== 'string')
      throw new RangeError(`fault option '${key}' must be a string`);
  }
  if (o.target !== undefined && o.target !== 'dataverse' && o.target !== 'identity')
    throw new RangeError(`fault option 'target' must be 'dataverse' or 'identity'`);
  for (const key of numbers) {
    const value = o[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      throw new RangeError(`fault option '${key}' must be a number ≥ 0`);
  }
}

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new RangeError(`fault status must be an HTTP error status (400-599), got ${status}`);
  }
}

/**
 * The error of an injected failure. On the identity side the server answers it in the AADSTS
 * shape (see identity-routes.ts): `code` is then an AADSTS number, the message its description.
 */
function injected(
  status: number,
  target: FaultTarget,
  code?: string,
  message?: string,
  retryAfter?: number,
): DataverseError {
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503) headers['Retry-After'] = String(retryAfter ?? 1);
  if (target === 'identity') {
    return new DataverseError(
      status,
      code ?? '90024',
      message ??
        `A transient error has occurred. Try again. (fault injected by the emulator, HTTP ${status})`,
      headers,
    );
  }
  if (status === 429) {
    return new DataverseError(
      status,
      code ?? ErrorCodes.tooManyRequests,
      message ?? 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
      headers,
    );
  }
  return new DataverseError(
    status,
    code ?? ErrorCodes.unexpected,
    message ?? `An unexpected error occurred (fault injected by the emulator, HTTP ${status}).`,
    headers,
  );
}
