import type { CookieOptions, Request } from 'express';
import { parse } from 'cookie';

/** The session cookie of a person signed in to the admin UI. */
export const SESSION_COOKIE = 'audience_sync_session';
/** The short-lived cookie binding a sign-in's callback to the browser that started it. */
export const SIGN_IN_COOKIE = 'audience_sync_sign_in';

/**
 * HTTP-only (scripts never see it), SameSite=Lax (not sent on cross-site POSTs, sent on the
 * top-level redirect back from Entra ID), Secure whenever the request came over TLS — directly
 * or, with TRUST_PROXY, through a proxy that says so.
 */
export function cookieOptions(req: Request, extra: CookieOptions = {}): CookieOptions {
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/', ...extra };
}

/** A cookie of the request (Express parses none by itself). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  return parse(header)[name];
}
