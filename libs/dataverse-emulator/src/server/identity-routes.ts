import type { IncomingMessage, ServerResponse } from 'node:http';
import { AadError, Aad } from '../identity/aad-error';
import type { TokenService } from '../identity/token-service';
import type { DataverseError } from '../dataverse/dataverse-error';
import type { Faults } from '../faults/faults';
import type { RequestStats } from '../protection/request-stats';
import { handleAuthorize } from './authorize-page';
import { ABANDONED, type Delays } from './delays';
import { readBody, send, sendJson } from './http-util';

const NO_STORE = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

/**
 * Entra ID endpoints: OpenID configuration, keys, instance discovery, token, device code, and a
 * small device-login page. Returns false when the path is not an identity path.
 */
export async function handleIdentity(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: { tokens: TokenService; faults: Faults; stats: RequestStats; delays: Delays },
): Promise<boolean> {
  const segments = url.pathname.split('/').filter(Boolean);
  const path = segments.slice(1).join('/').toLowerCase();
  const { tokens } = deps;
  if (url.pathname === '/common/discovery/instance') {
    deps.stats.record(`${req.method ?? 'GET'} /common/discovery/instance`, {
      status: 200,
      executionMs: 0,
    });
    const host = new URL(tokens.orgUrl).host;
    sendJson(res, 200, {
      tenant_discovery_endpoint: `${tokens.authority}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
    return true;
  }
  if (url.pathname === '/devicelogin') {
    deps.stats.record(`${req.method ?? 'GET'} /devicelogin`, { status: 200, executionMs: 0 });
    await deviceLoginPage(req, res, tokens);
    return true;
  }
  if (segments.length === 4 && path === 'oauth2/v2.0/authorize') {
    if (!tokens.isTenant(segments[0])) return false;
    deps.stats.record(`${req.method ?? 'GET'} /authorize`, { status: 200, executionMs: 0 });
    await handleAuthorize(req, res, url, tokens);
    return true;
  }
  const known = [
    'v2.0/.well-known/openid-configuration',
    '.well-known/openid-configuration',
    'discovery/v2.0/keys',
    'discovery/keys',
    'oauth2/v2.0/token',
    'oauth2/v2.0/devicecode',
  ];
  if (segments.length < 2 || !known.includes(path)) return false;
  const tenant = segments[0];
  const body = await readBody(req);
  const form = new URLSearchParams(body);
  const endpoint = identityEndpoint(req.method ?? 'GET', path, form);
  const decision = deps.faults.decide('identity', endpoint);
  if (decision.delayMs > 0 && !(await deps.delays.wait(decision.delayMs, req.socket))) {
    deps.stats.record(endpoint, { status: ABANDONED, executionMs: 0 });
    return true;
  }
  if (decision.drop) {
    deps.stats.record(endpoint, { status: DROPPED, executionMs: 0 });
    req.socket.destroy();
    return true;
  }
  if (decision.error) {
    const error = injectedAadError(decision.error);
    deps.stats.record(endpoint, { status: error.status, executionMs: 0 });
    sendJson(
      res,
      error.status,
      error.body(url.searchParams.get('client-request-id') ?? undefined),
      { ...NO_STORE, ...decision.error.headers },
    );
    return true;
  }
  try {
    if (!tokens.isTenant(tenant)) throw Aad.tenantNotFound(tenant);
    if (path.endsWith('openid-configuration')) {
      deps.stats.record(endpoint, { status: 200, executionMs: 0 });
      sendJson(res, 200, tokens.openIdConfiguration(tenant));
      return true;
    }
    if (path.endsWith('keys')) {
      deps.stats.record(endpoint, { status: 200, executionMs: 0 });
      sendJson(res, 200, tokens.jwks());
      return true;
    }
    if (req.method !== 'POST') throw Aad.postOnly(req.method ?? '');
    applyBasicAuth(req, form);
    const result = path.endsWith('devicecode') ? tokens.deviceCode(form) : await tokens.token(form);
    deps.stats.record(endpoint, { status: 200, executionMs: 0 });
    sendJson(res, 200, result, NO_STORE);
  } catch (error) {
    if (!(error instanceof AadError)) throw error;
    deps.stats.record(endpoint, { status: error.status, executionMs: 0 });
    sendJson(
      res,
      error.status,
      error.body(url.searchParams.get('client-request-id') ?? undefined),
      NO_STORE,
    );
  }
  return true;
}

/** The statistics status of a request whose connection the dropConnections fault closed. */
const DROPPED = 599;

/**
 * The statistics key of an identity request. Token requests are counted per grant
 * (`POST /token (client_credentials)`, `… (device_code)`, `… (refresh_token)`), whether Entra ID
 * grants or refuses them, so a test can count "one client-credentials request" around a
 * refusal; a request without a (sensible) grant_type is `POST /token`.
 */
function identityEndpoint(method: string, path: string, form: URLSearchParams): string {
  if (path.endsWith('token')) {
    const grant = (form.get('grant_type') ?? '').replace('urn:ietf:params:oauth:grant-type:', '');
    return /^[\w.:-]{1,64}$/.test(grant) ? `${method} /token (${grant})` : `${method} /token`;
  }
  if (path.endsWith('devicecode')) return `${method} /devicecode`;
  return `${method} /${path}`;
}

/**
 * An injected fault as Entra ID answers errors (the AADSTS JSON shape): `temporarily_unavailable`
 * for 429 and 5xx, `invalid_request` otherwise; the AADSTS number is the fault's numeric `code`,
 * else 90024 (RequestBudgetExceededError, "A transient error has occurred").
 */
function injectedAadError(fault: DataverseError): AadError {
  const transient = fault.status === 429 || fault.status >= 500;
  return new AadError(
    fault.status,
    transient ? 'temporarily_unavailable' : 'invalid_request',
    /^\d{1,9}$/.test(fault.code) ? Number(fault.code) : 90024,
    fault.message,
  );
}

/** client_secret_basic: `Authorization: Basic base64(client_id:client_secret)`. */
function applyBasicAuth(req: IncomingMessage, form: URLSearchParams): void {
  const header = req.headers.authorization;
  const match = header ? /^Basic\s+(\S+)$/i.exec(header) : null;
  if (!match) return;
  const [id, secret] = Buffer.from(match[1], 'base64').toString().split(':') as [
    string,
    string | undefined,
  ];
  if (!form.has('client_id')) form.set('client_id', decodeURIComponent(id));
  if (!form.has('client_secret') && secret !== undefined)
    form.set('client_secret', decodeURIComponent(secret));
}

/** A page a person can use instead of the admin API: enter the code and a user name. */
async function deviceLoginPage(
  req: IncomingMessage,
  res: ServerResponse,
  tokens: TokenService,
): Promise<void> {
  let message = '';
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    try {
      const done = tokens.approveDeviceCode(
        form.get('code') ?? '',
        form.get('username') || undefined,
      );
      message = `Signed in as ${done.username}. You can close this page.`;
    } catch (error) {
      message = (error as Error).message;
    }
  }
  const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Device sign-in (emulator)</title></head>
<body><h1>Sign in (Dataverse emulator)</h1><p>${escape(message)}</p>
<form method="post"><label>Code <input name="code" autofocus></label>
<label>User <input name="username" placeholder="admin@emulator.onmicrosoft.com"></label>
<button type="submit">Sign in</button></form></body></html>`;
  send(res, 200, { 'Content-Type': 'text/html; charset=utf-8' }, html);
}
