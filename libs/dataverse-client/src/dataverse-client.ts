import {
  buildBatch,
  isChangeSet,
  parseBatchResponse,
  type BatchItem,
  type BatchPart,
} from './batch';
import { errorFromResponse } from './dataverse-error-parser';
import { DataverseError, DataverseErrorKind, isDataverseError } from './errors';
import { describeRequest, type HttpTransport } from './http-transport';
import { Limiter } from './limiter';
import type { ClientLogger } from './msal-configuration';
import {
  DEFAULT_RETRY,
  backoffDelay,
  parseRetryAfter,
  sleep,
  type RetryOptions,
} from './retry-policy';
import { checkServerLink } from './server-links';
import { emptyStats, type DataverseStats } from './stats';
import type { TokenProvider } from './token-provider';

export const API_VERSION = 'v9.2';

export interface DataverseClientOptions {
  /** Normalized organization URL (`https://org.crm.dynamics.com`). */
  serverAddress: string;
  tokens: TokenProvider;
  transport: HttpTransport;
  /** Upper bound on parallel requests whatever `x-ms-dop-hint` says. Default 16. */
  maxParallel?: number;
  /** Parallelism before the first `x-ms-dop-hint` arrives. Default 4. */
  initialParallel?: number;
  retry?: RetryOptions;
  logger?: ClientLogger;
  /** Clock and timer adapters (tests). */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** `Prefer` values (`odata.maxpagesize=5000`, `return=representation`). */
  prefer?: string[];
  signal?: AbortSignal;
  /**
   * Whether resending after a 5xx or a dropped connection is safe. Default: true for GET, PATCH,
   * PUT and DELETE, false for POST (mark idempotent actions explicitly).
   */
  idempotent?: boolean;
}

export interface DataverseResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A `$batch` part's answer with its error, if it failed. */
export interface BatchResult extends BatchPart {
  error?: DataverseError;
}

export interface WhoAmI {
  UserId: string;
  BusinessUnitId: string;
  OrganizationId: string;
}

interface Shared {
  limiter: Limiter;
  pausedUntil: number;
  dopHint: number | null;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * A thin Dataverse Web API client (v9.2): documented headers, typed errors, one token refresh on
 * 401, Retry-After obeyed on 429 without spending the retry budget (and paced for every request of
 * the client: a 429 pauses them all), bounded exponential back-off with jitter for 5xx and network
 * failures, parallelism from `x-ms-dop-hint` (capped), AbortSignal support, counters, `$batch`,
 * paging and change tracking.
 *
 * Hand-written rather than `dynamics-web-api`: that library keeps module-global HTTP agents (no
 * per-client CA or connection bound), does not expose response headers on success (no
 * `x-ms-dop-hint`, no `Retry-After` handling) and has no retry control.
 */
export class DataverseClient {
  readonly serverAddress: string;
  /** `https://org…/api/data/v9.2/` */
  readonly apiRoot: string;
  /** Counters of this client (a scoped client counts into its parent's too). */
  readonly stats: DataverseStats;

  private readonly options: DataverseClientOptions;
  private readonly retry: Required<RetryOptions>;
  private readonly shared: Shared;
  private readonly sinks: DataverseStats[];
  private readonly maxParallel: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(
    options: DataverseClientOptions,
    parent?: { shared: Shared; sinks: DataverseStats[] },
  ) {
    this.options = options;
    this.serverAddress = options.serverAddress.replace(/\/+$/, '');
    this.apiRoot = `${this.serverAddress}/api/data/${API_VERSION}/`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.maxParallel = Math.max(1, options.maxParallel ?? 16);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.stats = emptyStats();
    this.shared = parent?.shared ?? {
      limiter: new Limiter(Math.min(this.maxParallel, options.initialParallel ?? 4)),
      pausedUntil: 0,
      dopHint: null,
    };
    this.sinks = [this.stats, ...(parent?.sinks ?? [])];
  }

  /**
   * A client sharing this one's token, parallelism and throttling state but counting its own
   * requests as well (e.g. per exported segment).
   */
  scoped(): DataverseClient {
    return new DataverseClient(this.options, { shared: this.shared, sinks: this.sinks });
  }

  /** Parallel requests worth running now: `x-ms-dop-hint`, capped. */
  get parallelism(): number {
    return this.shared.limiter.limit;
  }

  /** The last `x-ms-dop-hint` received (null before any answer). */
  get dopHint(): number | null {
    return this.shared.dopHint;
  }

  /**
   * Absolute URL for a path relative to the Web API root. An absolute URL (a link Dataverse
   * answered) passes unchanged only when it stays on the organization: every request carries
   * the bearer token.
   */
  url(path: string): string {
    if (/^[a-z][a-z\d+.-]*:/i.test(path)) {
      return checkServerLink(path, this.serverAddress, { server: 'Dataverse', what: 'a link' });
    }
    return `${this.apiRoot}${path.replace(/^\/+/, '')}`;
  }

  get(path: string, options: RequestOptions = {}): Promise<DataverseResponse> {
    return this.request('GET', path, undefined, options);
  }

  async getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return parseJson(await this.get(path, options), `GET ${path}`) as T;
  }

  post(path: string, body: unknown, options: RequestOptions = {}): Promise<DataverseResponse> {
    return this.request('POST', path, body, options);
  }

  patch(path: string, body: unknown, options: RequestOptions = {}): Promise<DataverseResponse> {
    return this.request('PATCH', path, body, options);
  }

  delete(path: string, options: RequestOptions = {}): Promise<DataverseResponse> {
    return this.request('DELETE', path, undefined, options);
  }

  /**
   * `WhoAmI`: the connectivity check. A 404 or an answer that is not the Web API means the
   * address is not a Dataverse organization.
   */
  async whoAmI(signal?: AbortSignal): Promise<WhoAmI> {
    let response: DataverseResponse;
    try {
      response = await this.get('WhoAmI', { signal });
    } catch (error) {
      if (isDataverseError(error) && error.kind === DataverseErrorKind.NOT_FOUND) {
        throw notAnOrganization(this.serverAddress, error);
      }
      throw error;
    }
    let parsed: Partial<WhoAmI>;
    try {
      parsed = JSON.parse(response.body) as Partial<WhoAmI>;
    } catch (error) {
      throw notAnOrganization(this.serverAddress, error);
    }
    if (typeof parsed.UserId !== 'string') throw notAnOrganization(this.serverAddress, null);
    return parsed as WhoAmI;
  }

  /**
   * Runs `items` as one `$batch` (≤ 1,000 operations, Dataverse's limit) and answers each
   * operation's response in order, with `error` set on failed ones. With `continueOnError` the
   * other operations still run after a failure.
   */
  async batch(
    items: readonly BatchItem[],
    options: { continueOnError?: boolean; signal?: AbortSignal; idempotent?: boolean } = {},
  ): Promise<BatchResult[]> {
    const count = items.reduce((n, item) => n + (isChangeSet(item) ? item.changeSet.length : 1), 0);
    if (count > 1000)
      throw new RangeError(`a $batch holds at most 1,000 operations (got ${count})`);
    const apiPath = new URL(this.apiRoot).pathname;
    const { contentType, body } = buildBatch(items, apiPath);
    const writes = items.some((item) => isChangeSet(item) || item.method !== 'GET');
    const response = await this.send({
      method: 'POST',
      path: '$batch',
      rawBody: body,
      contentType,
      prefer: options.continueOnError ? ['odata.continue-on-error'] : [],
      signal: options.signal,
      idempotent: options.idempotent ?? !writes,
      write: writes,
      acceptStatus: (status, headers) =>
        status === 400 && (headers['content-type'] ?? '').startsWith('multipart/mixed'),
    });
    let parts: BatchPart[];
    try {
      parts = parseBatchResponse(response.headers['content-type'], response.body);
    } catch (error) {
      throw new DataverseError({
        kind: DataverseErrorKind.PERMANENT,
        status: response.status,
        request: 'POST $batch',
        cause: error,
        message: `Could not read the $batch answer: ${error instanceof Error ? error.message : String(error)}.`,
      });
    }
    return parts.map((part) =>
      part.status >= 400
        ? {
            ...part,
            error: errorFromResponse(part.status, part.headers, part.body, 'a $batch operation'),
          }
        : part,
    );
  }

  /**
   * Reads a collection page by page (`Prefer: odata.maxpagesize`, following `@odata.nextLink`
   * unchanged). With `trackChanges` the last page carries the delta link for the next read; a
   * delta link passed as `path` reads the changes since (rows of `$deletedEntity` are deletions).
   */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the row shape it expects
  async *pages<T = Record<string, unknown>>(
    path: string,
    options: { maxPageSize?: number; trackChanges?: boolean; signal?: AbortSignal } = {},
  ): AsyncGenerator<{ rows: T[]; deltaLink?: string }> {
    const prefer = [`odata.maxpagesize=${options.maxPageSize ?? 5000}`];
    if (options.trackChanges) prefer.push('odata.track-changes');
    let next: string | undefined = path;
    while (next !== undefined) {
      const page: ODataPage<T> = await this.getJson<ODataPage<T>>(next, {
        prefer,
        signal: options.signal,
      });
      // Checked as they arrive: a delta link is kept for the next read, so a foreign one fails
      // this read rather than being stored.
      const nextLink = this.link(page['@odata.nextLink'], '@odata.nextLink');
      const deltaLink = this.link(page['@odata.deltaLink'], '@odata.deltaLink');
      yield {
        rows: page.value ?? [],
        ...(deltaLink !== undefined ? { deltaLink } : {}),
      };
      next = nextLink;
    }
  }

  async request(
    method: Method,
    path: string,
    body: unknown,
    options: RequestOptions = {},
  ): Promise<DataverseResponse> {
    return this.send({
      method,
      path,
      rawBody: body === undefined ? undefined : JSON.stringify(body),
      contentType: body === undefined ? undefined : 'application/json',
      prefer: options.prefer ?? [],
      headers: options.headers,
      signal: options.signal,
      idempotent: options.idempotent ?? method !== 'POST',
      write: method !== 'GET',
    });
  }

  private async send(req: {
    method: Method;
    path: string;
    rawBody?: string;
    contentType?: string;
    prefer: string[];
    headers?: Record<string, string>;
    signal?: AbortSignal;
    idempotent: boolean;
    write: boolean;
    acceptStatus?: (status: number, headers: Record<string, string>) => boolean;
  }): Promise<DataverseResponse> {
    const url = this.url(req.path);
    const where = describeRequest(req.method, url);
    let attempt = 0;
    let throttledFor = 0;
    let refreshed = false;
    let token = await this.options.tokens.getToken(req.signal);
    for (;;) {
      const headers: Record<string, string> = {
        Accept: 'application/json',
        'OData-MaxVersion': '4.0',
        'OData-Version': '4.0',
        'If-None-Match': 'null',
        ...req.headers,
        Authorization: `Bearer ${token}`,
      };
      if (req.contentType !== undefined) headers['Content-Type'] = req.contentType;
      if (req.prefer.length > 0) headers.Prefer = req.prefer.join(',');
      let response: DataverseResponse;
      await this.shared.limiter.acquire(req.signal);
      try {
        // A 429 pauses every request of this client until its Retry-After has passed.
        await this.waitForPause(req.signal);
        this.count(req.write ? 'writes' : 'reads');
        response = await this.options.transport.send({
          method: req.method,
          url,
          headers,
          body: req.rawBody,
          signal: req.signal,
        });
      } catch (error) {
        const failure = isDataverseError(error)
          ? error
          : new DataverseError({
              kind: DataverseErrorKind.TEMPORARY,
              message: String(error),
              request: where,
              cause: error,
            });
        const neverSent = failure.code === 'ECONNREFUSED';
        if (
          failure.kind === DataverseErrorKind.TEMPORARY &&
          (req.idempotent || neverSent) &&
          attempt < this.retry.maxRetries
        ) {
          attempt += 1;
          this.count('retries');
          const delay = backoffDelay(attempt, this.retry, this.random);
          this.options.logger?.debug(
            `${where}: ${failure.message} Retry ${attempt} in ${delay} ms.`,
          );
          await this.sleep(delay, req.signal);
          continue;
        }
        throw failure;
      } finally {
        this.shared.limiter.release();
      }
      this.noteDopHint(response.headers['x-ms-dop-hint']);
      const { status } = response;
      if ((status >= 200 && status < 300) || req.acceptStatus?.(status, response.headers)) {
        return response;
      }
      if (status === 429) {
        this.count('throttled');
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.now());
        const wait = Math.max(
          1000,
          retryAfter ?? backoffDelay(attempt + 1, this.retry, this.random),
        );
        if (throttledFor + wait > this.retry.maxThrottleWaitMs) {
          const error = errorFromResponse(status, response.headers, response.body, where);
          throw new DataverseError({
            kind: DataverseErrorKind.TEMPORARY,
            status,
            code: error.code,
            request: where,
            message: `Dataverse kept throttling ${where} beyond ${Math.round(this.retry.maxThrottleWaitMs / 1000)} s of waiting (${error.message}). Try again later.`,
          });
        }
        throttledFor += wait;
        this.count('throttledWaitMs', wait);
        this.shared.pausedUntil = Math.max(this.shared.pausedUntil, this.now() + wait);
        this.options.logger?.debug(`${where}: throttled (429); waiting ${wait} ms as told.`);
        continue;
      }
      if (status === 401 && !refreshed) {
        refreshed = true;
        this.count('tokenRefreshes');
        token = await this.options.tokens.refreshToken(token, req.signal);
        continue;
      }
      const error = errorFromResponse(status, response.headers, response.body, where);
      if (
        error.kind === DataverseErrorKind.TEMPORARY &&
        req.idempotent &&
        attempt < this.retry.maxRetries
      ) {
        attempt += 1;
        this.count('retries');
        const retryAfter = parseRetryAfter(response.headers['retry-after'], this.now());
        const delay = Math.min(
          this.retry.maxDelayMs,
          retryAfter ?? backoffDelay(attempt, this.retry, this.random),
        );
        this.options.logger?.debug(`${where}: ${status}; retry ${attempt} in ${delay} ms.`);
        await this.sleep(delay, req.signal);
        continue;
      }
      throw error;
    }
  }

  private async waitForPause(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const wait = this.shared.pausedUntil - this.now();
      if (wait <= 0) return;
      await this.sleep(wait, signal);
    }
  }

  private noteDopHint(value: string | undefined): void {
    if (value === undefined) return;
    const hint = Number.parseInt(value, 10);
    if (!Number.isFinite(hint) || hint < 1) return;
    this.shared.dopHint = hint;
    const limit = Math.min(hint, this.maxParallel);
    if (limit !== this.shared.limiter.limit) this.shared.limiter.limit = limit;
  }

  private count(key: keyof DataverseStats, amount = 1): void {
    for (const sink of this.sinks) {
      sink[key] += amount;
      if (key === 'reads' || key === 'writes') sink.requests += amount;
    }
  }

  /** A link of a page, checked to stay on the organization (undefined when absent). */
  private link(value: unknown, name: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      throw new DataverseError({
        kind: DataverseErrorKind.PERMANENT,
        message: `Dataverse answered an ${name} that is not a string; refused.`,
      });
    }
    return checkServerLink(value, this.serverAddress, { server: 'Dataverse', what: `an ${name}` });
  }
}

interface ODataPage<T> {
  value?: T[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

function parseJson(response: DataverseResponse, where: string): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch (error) {
    throw new DataverseError({
      kind: DataverseErrorKind.PERMANENT,
      status: response.status,
      request: where,
      cause: error,
      message: `${where} answered ${response.status} without JSON; is the server address a Dataverse organization?`,
    });
  }
}

function notAnOrganization(serverAddress: string, cause: unknown): DataverseError {
  return new DataverseError({
    kind: DataverseErrorKind.NOT_FOUND,
    request: 'GET WhoAmI',
    cause,
    message: `${serverAddress} does not answer as a Dataverse organization (WhoAmI not found). Check the server address: it is the organization URL, e.g. https://contoso.crm.dynamics.com.`,
  });
}
