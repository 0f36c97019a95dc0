import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API tokens carry 256 random bits, so a plain SHA-256 is a safe one-way store for them
 * (a slow password hash only matters for low-entropy secrets).
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function generateToken(): string {
  return `as_${randomBytes(32).toString('base64url')}`;
}
