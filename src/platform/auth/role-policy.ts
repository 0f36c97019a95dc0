import type { Role } from './principal';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, editor: 2, admin: 3 };

/** Whether `role` includes what `least` may do. */
export function mayAct(role: Role, least: Role): boolean {
  return RANK[role] >= RANK[least];
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The least role for a route: its `@Allow` decision, else viewer for reads and admin for
 * anything else, so a route added without a decision fails closed for everyone but admins.
 */
export function leastRole(decision: Role | undefined, httpMethod: string): Role {
  return decision ?? (READS.has(httpMethod.toUpperCase()) ? 'viewer' : 'admin');
}
