import { isIP } from 'node:net';

const NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** TRUST_PROXY as Express takes it: a hop count as a number, else a list of entries. */
export function toTrustProxy({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A hop count of 1-10, or addresses, subnets (`10.0.0.0/8`) and Express's named ranges. */
export function isTrustProxy(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 10;
  return Array.isArray(value) && value.length > 0 && value.every(isProxyEntry);
}

function isProxyEntry(entry: unknown): boolean {
  if (typeof entry !== 'string') return false;
  if (NAMES.has(entry)) return true;
  const parts = entry.split('/');
  const family = isIP(parts[0]);
  if (family === 0 || parts.length > 2) return false;
  if (parts.length === 1) return true;
  return /^\d{1,3}$/.test(parts[1]) && Number(parts[1]) <= (family === 4 ? 32 : 128);
}
