import type { Me } from '../api/types';
/**
 * How this browser tab is signed in: with the admin API token (kept in sessionStorage only:
 * gone when the tab or browser closes, other tabs do not see it), or as a person signed in with
 * Microsoft (an HTTP-only session cookie the page never sees, plus the session's CSRF token,
 * kept in memory and asked for again from GET /api/me after a reload).
 */
const KEY = 'audience-sync.token';

let csrfToken: string | null = null;

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
  csrfToken = null;
}

/** The CSRF token of a person's session (null when signed in with a token, or not at all). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/**
 * Asks the server who this tab is (the token, or else the session cookie): the answer, or null
 * when neither is accepted. Remembers a person's CSRF token.
 */
export async function whoAmI(): Promise<Me | null> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch('/api/me', { headers, credentials: 'same-origin' });
  if (!response.ok) return null;
  const me = (await response.json()) as Me;
  setCsrfToken(me.csrfToken ?? null);
  return me;
}

/** Ends the session: a person's on the server too (their cookie is cleared by the answer). */
export async function signOut(): Promise<void> {
  const csrf = csrfToken;
  clearToken();
  if (csrf === null) return;
  try {
    await fetch('/auth/sign-out', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf },
    });
  } catch {
    // Signed out in this tab anyway; the server's session then ends when idle.
  }
}

type Listener = (reason: string, person: boolean) => void;
const listeners = new Set<Listener>();

/** Called by the API client when the server refuses the token or the session (401). */
export function sessionExpired(reason: string): void {
  const person = csrfToken !== null;
  clearToken();
  for (const listener of listeners) listener(reason, person);
}

export function onSessionExpired(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
