/**
 * Whether two configured addresses name the same origin (scheme, host and port): case, a
 * trailing slash or an explicit default port make no difference. Values that are not URLs
 * compare as trimmed text; absent, null and empty are the same (no value).
 */
export function sameOrigin(a: unknown, b: unknown): boolean {
  return originKey(a) === originKey(b);
}

function originKey(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  if (text === '') return '';
  try {
    const url = new URL(text);
    return url.origin === 'null' ? text : url.origin;
  } catch {
    return text;
  }
}
