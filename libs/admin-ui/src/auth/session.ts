/**
 * The API token of this browser tab. It lives in sessionStorage only: it is gone when the tab or
 * browser closes, and other tabs do not see it.
 */
const KEY = 'audience-sync.token';

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

type Listener = (reason: string) => void;
const listeners = new Set<Listener>();

/** Called by the API client when the server refuses the stored token (401). */
export function sessionExpired(reason: string): void {
  clearToken();
  for (const listener of listeners) listener(reason);
}

export function onSessionExpired(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
