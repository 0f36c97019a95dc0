/** Keys whose values the audit log never keeps (`clientSecret`, `password`, `refreshToken`, `secrets`). */
const SECRET_KEY = /secret|password|token|credential|private.?key/i;

export const REDACTED = '[redacted]';

/**
 * A deep copy of a JSON value with the value of every key that names a secret replaced by
 * `[redacted]` (null and absent values stay as they are: "not set" is no secret). The entities
 * given to the audit log are API views, which already leave secret values out (destination
 * configs through `withoutSecrets`); this is the second net for anything that reaches it.
 */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) && v !== null && v !== undefined ? REDACTED : redactSecrets(v);
  }
  return out;
}
