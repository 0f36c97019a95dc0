import { getCsrfToken, getToken, sessionExpired } from '../auth/session';
import { ApiError, type ErrorDetail } from './errors';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Builds a query string from the defined values (`{ limit: 50, email: undefined }` → `?limit=50`). */
export function query(
  params: Record<string, string | number | boolean | undefined | null>,
): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Turns an error answer into an {@link ApiError} (and a refused token into a new sign-in). */
export function toApiError(status: number, body: unknown, statusText: string): ApiError {
  const record = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const message =
    typeof record.message === 'string' && record.message
      ? record.message
      : `${status} ${statusText || 'error'}`;
  const details = Array.isArray(record.details) ? (record.details as ErrorDetail[]) : [];
  if (status === 401) sessionExpired(message);
  return new ApiError(status, message, details, record);
}

/** Calls the API with the tab's token or the person's session cookie; resolves with the JSON answer (undefined for 204). */
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  // A person's session (the cookie) needs its CSRF token on every change.
  const csrf = getCsrfToken();
  if (!token && csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(
      0,
      `The server could not be reached (${error instanceof Error ? error.message : String(error)}). Check that Audience Sync is running.`,
    );
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = { message: text.slice(0, 300) };
    }
  }
  if (!response.ok) throw toApiError(response.status, parsed, response.statusText);
  return parsed as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T = void>(path: string) => api<T>('DELETE', path);
