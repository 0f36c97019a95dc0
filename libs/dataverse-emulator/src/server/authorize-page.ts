import type { IncomingMessage, ServerResponse } from 'node:http';
import { AadError } from '../identity/aad-error';
import { parseScopes } from '../identity/scopes';
import type { TokenService, UserAccount } from '../identity/token-service';
import { readBody, send } from './http-util';

/** The parameters of an authorization request that the page carries from GET to POST. */
const CARRIED = [
  'client_id',
  'response_type',
  'redirect_uri',
  'scope',
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
  'response_mode',
  'prompt',
  'login_hint',
  'client-request-id',
] as const;

class PageError extends Error {}

/**
 * `/{tenant}/oauth2/v2.0/authorize`: the authorization-code flow's front channel. GET checks the
 * request and shows a page listing the tenant's users (a person clicks one to sign in as them,
 * no password: this is an emulator); POST issues a code and redirects to the client's
 * redirect URI with `code` and `state`, or `error=access_denied` when the person cancels.
 * Errors before the redirect URI is trusted (unknown client, bad redirect URI) are shown on the
 * page, as Entra ID does; later ones go back to the client as `error` and `error_description`.
 */
export async function handleAuthorize(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  tokens: TokenService,
): Promise<void> {
  const params =
    req.method === 'POST' ? new URLSearchParams(await readBody(req)) : url.searchParams;
  let redirectUri: URL;
  try {
    redirectUri = trustedRedirect(params, tokens);
  } catch (error) {
    if (!(error instanceof PageError)) throw error;
    page(res, 400, `<p class="error">${escape(error.message)}</p>`);
    return;
  }
  const back = (query: Record<string, string>) => {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(query)) target.searchParams.set(k, v);
    const state = params.get('state');
    if (state !== null) target.searchParams.set('state', state);
    send(res, 302, { Location: target.href, 'Cache-Control': 'no-store' });
  };
  const problem = requestProblem(params, tokens);
  if (problem) {
    back({ error: problem.error, error_description: problem.description });
    return;
  }
  if (req.method !== 'POST') {
    page(res, 200, userList(params, tokens.listUsers(), ''));
    return;
  }
  if (params.has('cancel')) {
    back({
      error: 'access_denied',
      error_description: 'AADSTS65004: User declined to consent to access the app.',
    });
    return;
  }
  const user = tokens.findUser(params.get('username') ?? '');
  if (!user) {
    page(res, 200, userList(params, tokens.listUsers(), 'Pick one of the listed users.'));
    return;
  }
  const code = tokens.issueAuthorizationCode({
    clientId: (params.get('client_id') ?? '').toLowerCase(),
    // The token request must repeat the redirect URI exactly as sent here.
    redirectUri: params.get('redirect_uri') ?? '',
    scope: params.get('scope') ?? '',
    user,
    ...(params.get('nonce') ? { nonce: params.get('nonce') ?? '' } : {}),
    ...(params.get('code_challenge') ? { codeChallenge: params.get('code_challenge') ?? '' } : {}),
  });
  back({ code, session_state: user.oid });
}

/** The client and its redirect URI: https, or http on a loopback host (as Entra ID allows). */
function trustedRedirect(params: URLSearchParams, tokens: TokenService): URL {
  const clientId = params.get('client_id');
  if (!clientId) throw new PageError("AADSTS900144: The request must contain 'client_id'.");
  if (!tokens.isClient(clientId)) {
    throw new PageError(
      `AADSTS700016: Application with identifier '${clientId}' was not found in the directory.`,
    );
  }
  const raw = params.get('redirect_uri');
  let uri: URL;
  try {
    uri = new URL(raw ?? '');
  } catch {
    throw new PageError("AADSTS900144: The request must contain a valid 'redirect_uri'.");
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(uri.hostname);
  if (uri.protocol !== 'https:' && !(uri.protocol === 'http:' && loopback)) {
    throw new PageError(
      `AADSTS50011: The redirect URI '${raw}' must use https (http only on localhost).`,
    );
  }
  if (uri.hash !== '')
    throw new PageError('AADSTS50011: The redirect URI must not have a fragment.');
  return uri;
}

function requestProblem(
  params: URLSearchParams,
  tokens: TokenService,
): { error: string; description: string } | null {
  if (params.get('response_type') !== 'code') {
    return {
      error: 'unsupported_response_type',
      description: `AADSTS700054: response_type '${params.get('response_type') ?? ''}' is not enabled for the application (the emulator issues codes only).`,
    };
  }
  const mode = params.get('response_mode');
  if (mode !== null && mode !== 'query') {
    return {
      error: 'invalid_request',
      description: `AADSTS900144: response_mode '${mode}' is not supported by the emulator (use query).`,
    };
  }
  const method = params.get('code_challenge_method');
  if (params.get('code_challenge') && method !== 'S256') {
    return {
      error: 'invalid_request',
      description: `AADSTS501491: Invalid code_challenge_method '${method ?? 'plain'}': only S256 is accepted.`,
    };
  }
  const scope = params.get('scope');
  if (!scope) {
    return {
      error: 'invalid_request',
      description: "AADSTS900144: The request body must contain the following parameter: 'scope'.",
    };
  }
  try {
    parseScopes(scope, tokens.orgUrl, tokens.directory.tenantId);
  } catch (error) {
    if (!(error instanceof AadError)) throw error;
    return { error: error.error, description: error.message };
  }
  return null;
}

function userList(params: URLSearchParams, users: UserAccount[], message: string): string {
  const hidden = CARRIED.filter((name) => params.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escape(params.get(name) ?? '')}">`)
    .join('');
  const buttons = users
    .map(
      (u) =>
        `<li><button type="submit" name="username" value="${escape(u.username)}">${escape(u.name)} <small>${escape(u.username)}</small></button></li>`,
    )
    .join('');
  return `<h1>Pick an account</h1>
${message ? `<p class="error">${escape(message)}</p>` : ''}
<form method="post">${hidden}<ul>${buttons}</ul>
<button type="submit" name="cancel" value="1">Cancel</button></form>`;
}

function page(res: ServerResponse, status: number, body: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Sign in (Dataverse emulator)</title></head><body>${body}</body></html>`;
  send(
    res,
    status,
    { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
    html,
  );
}

function escape(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
