import type { IncomingMessage, ServerResponse } from 'node:http';
import { AadError, Aad } from '../identity/aad-error';
import type { TokenService } from '../identity/token-service';
import type { Faults } from '../faults/faults';
import type { RequestStats } from '../protection/request-stats';
import { readBody, send, sendJson, sleep } from './http-util';

const NO_STORE = { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' };

/**
 * Entra ID endpoints: OpenID configuration, keys, instance discovery, token, device code, and a
 * small device-login page. Returns false when the path is not an identity path.
 */
export async function handleIdentity(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: { tokens: TokenService; faults: Faults; stats: RequestStats },
): Promise<boolean> {
  const segments = url.pathname.split('/').filter(Boolean);
  const path = segments.slice(1).join('/').toLowerCase();
  const { tokens } = deps;
  if (url.pathname === '/common/discovery/instance') {
    const host = new URL(tokens.orgUrl).host;
    sendJson(res, 200, {
      tenant_discovery_endpoint: `${tokens.authority}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
    return true;
  }
  if (url.pathname === '/devicelogin') {
    await deviceLoginPage(req, res, tokens);
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
  const endpoint = path.endsWith('token')
    ? 'POST /token'
    : path.endsWith('devicecode')
      ? 'POST /devicecode'
      : `GET /${path}`;
  const body = await readBody(req);
  const decision = deps.faults.decide('identity', endpoint);
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  if (decision.drop) {
    req.socket.destroy();
    return true;
  }
  if (decision.error) {
    deps.stats.record(endpoint, { status: decision.error.status, executionMs: 0 });
    sendJson(
      res,
      decision.error.status,
      { error: 'temporarily_unavailable', error_description: decision.error.message },
      decision.error.headers,
    );
    return true;
  }
  try {
    if (!tokens.isTenant(tenant)) throw Aad.tenantNotFound(tenant);
    if (path.endsWith('openid-configuration')) {
      sendJson(res, 200, tokens.openIdConfiguration());
      return true;
    }
    if (path.endsWith('keys')) {
      sendJson(res, 200, tokens.jwks());
      return true;
    }
    if (req.method !== 'POST') {
      sendJson(res, 405, {
        error: 'invalid_request',
        error_description: `AADSTS900561: The endpoint only accepts POST requests. Received a ${req.method ?? ''} request.`,
      });
      return true;
    }
    const form = new URLSearchParams(body);
    applyBasicAuth(req, form);
    const result = path.endsWith('devicecode') ? tokens.deviceCode(form) : await tokens.token(form);
    const grant = form.get('grant_type');
    deps.stats.record(
      grant ? `${endpoint} (${grant.replace('urn:ietf:params:oauth:grant-type:', '')})` : endpoint,
      { status: 200, executionMs: 0 },
    );
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
