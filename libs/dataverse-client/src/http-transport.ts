import { request, type Dispatcher } from 'undici';
import { DataverseError, DataverseErrorKind, canceledError } from './errors';
import type { HostAllowList } from './host-allow-list';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
}

const MAX_REDIRECTS = 3;

const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/**
 * One HTTPS exchange through the shared agent, for the Dataverse client and MSAL alike. Every URL
 * (and every redirect target) is checked against the allow-list before a connection is made;
 * redirects are followed only within the same origin. Transport failures become
 * {@link DataverseError}s: certificate problems are CONFIG (never retried), other network failures
 * TEMPORARY, an abort CANCELED.
 */
export class HttpTransport {
  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly allowList: HostAllowList,
  ) {}

  async send(req: HttpRequest): Promise<HttpResponse> {
    let url = req.url;
    let method = req.method;
    let body = req.body;
    for (let hop = 0; ; hop += 1) {
      const response = await this.once({ ...req, url, method, body });
      const location = response.headers.location as string | undefined;
      if (response.status < 300 || response.status >= 400 || location === undefined) {
        return response;
      }
      const next = new URL(location, url);
      const from = new URL(url);
      if (next.origin !== from.origin) {
        throw new DataverseError({
          kind: DataverseErrorKind.CONFIG,
          status: response.status,
          request: describeRequest(method, url),
          message: `${from.host} redirected to another host (${next.host}); redirects to other hosts are refused. Check the address.`,
        });
      }
      if (hop >= MAX_REDIRECTS) {
        throw new DataverseError({
          kind: DataverseErrorKind.PERMANENT,
          status: response.status,
          request: describeRequest(method, url),
          message: `${from.host} redirected more than ${MAX_REDIRECTS} times.`,
        });
      }
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method !== 'GET')
      ) {
        method = 'GET';
        body = undefined;
      }
      url = next.toString();
    }
  }

  private async once(req: HttpRequest): Promise<HttpResponse> {
    if (!this.allowList.allowsAny(req.url)) {
      throw new DataverseError({
        kind: DataverseErrorKind.CONFIG,
        request: describeRequest(req.method, req.url),
        message: `Refused to call ${safeOrigin(req.url)}: neither a Dynamics 365 organization nor an Entra ID sign-in host allowed by default or by ALLOWED_HOSTS.`,
      });
    }
    if (req.signal?.aborted) throw canceledError(describeRequest(req.method, req.url));
    try {
      const response = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal: req.signal,
        dispatcher: this.dispatcher,
      });
      const text = await response.body.text();
      return { status: response.statusCode, headers: flatten(response.headers), body: text };
    } catch (error) {
      throw transportError(error, req);
    }
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** `POST lists` — the method and the path without origin or query, for messages and logs. */
export function describeRequest(method: string, url: string): string {
  try {
    const parsed = new URL(url);
    const path = parsed.pathname.replace(/^\/api\/data\/v\d+\.\d+\//, '');
    return `${method} ${path}`;
  } catch {
    return method;
  }
}

function safeOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * Error codes along the cause chain. Duck-typed: errors raised inside Node (TLS, sockets) may come
 * from another realm (test runners), where `instanceof Error` is false.
 */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') codes.push(code);
    current = cause;
  }
  return codes;
}

function messageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

function transportError(error: unknown, req: HttpRequest): DataverseError {
  const where = describeRequest(req.method, req.url);
  const host = new URL(req.url).host;
  if (req.signal?.aborted) return canceledError(where);
  const codes = errorCodes(error);
  const reason = messageOf(error);
  const certificate = codes.find((code) => CERTIFICATE_CODES.has(code));
  if (certificate !== undefined) {
    return new DataverseError({
      kind: DataverseErrorKind.CONFIG,
      code: certificate,
      request: where,
      cause: error,
      message: `The certificate of ${host} is not trusted (${certificate}: ${reason}). If the server uses a private certificate authority, add its CA certificate to EXTRA_CA_CERTS.`,
    });
  }
  if (codes.includes('ENOTFOUND')) {
    return new DataverseError({
      kind: DataverseErrorKind.NOT_FOUND,
      code: 'ENOTFOUND',
      request: where,
      cause: error,
      message: `The host name ${new URL(req.url).hostname} does not exist (DNS lookup failed); check the address.`,
    });
  }
  const code = codes.length > 0 ? codes[0] : undefined;
  return new DataverseError({
    kind: DataverseErrorKind.TEMPORARY,
    code,
    request: where,
    cause: error,
    message: `Could not reach ${host} (${code !== undefined ? `${code}: ` : ''}${reason}).`,
  });
}
