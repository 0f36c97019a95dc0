import { ROLES, type Role } from './principal';

/** One entry of `OIDC_ROLE_MAP`: an Entra ID app role value, or a group's object id. */
export interface RoleMapping {
  kind: 'app-role' | 'group';
  /** The app role's value (`AudienceSync.Admin`) or the group's object id. */
  value: string;
  role: Role;
}

/** What a person's id_token says about them that the role map reads. */
export interface RoleClaims {
  roles?: unknown;
  groups?: unknown;
}

/** Most rights first: a person matched by several entries gets the strongest role. */
const STRENGTH: readonly Role[] = ['admin', 'editor', 'operator', 'viewer'];

/**
 * Parses `OIDC_ROLE_MAP`: comma-separated `<app role>=<role>` or `group:<object id>=<role>`
 * (`AudienceSync.Admin=admin,group:5b0e…=viewer`). Throws an Error naming the wrong entry.
 */
export function parseRoleMap(text: string): RoleMapping[] {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (entries.length === 0) throw new Error('must map at least one app role or group to a role');
  const seen = new Set<string>();
  return entries.map((entry) => {
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) {
      throw new Error(`entry "${entry}" must be <app role>=<role> or group:<object id>=<role>`);
    }
    const key = entry.slice(0, eq).trim();
    const role = entry.slice(eq + 1).trim();
    if (!(ROLES as readonly string[]).includes(role)) {
      throw new Error(`entry "${entry}" names the role "${role}"; roles are ${ROLES.join(', ')}`);
    }
    const group = /^group:/i.test(key);
    const value = group ? key.slice('group:'.length).trim() : key;
    if (value === '' || /\s/.test(value)) {
      throw new Error(`entry "${entry}" names no app role or group id`);
    }
    const id = `${group ? 'group' : 'role'}:${value.toLowerCase()}`;
    if (seen.has(id)) throw new Error(`entry "${entry}" maps ${key} a second time`);
    seen.add(id);
    return { kind: group ? 'group' : 'app-role', value, role: role as Role };
  });
}

/**
 * The Audience Sync role of a person: the strongest role any of their app roles or groups maps
 * to; null when none does (the person is refused). App role values compare exactly, as Entra ID
 * issues them; group object ids ignore case.
 */
export function roleFor(claims: RoleClaims, map: readonly RoleMapping[]): Role | null {
  const appRoles = strings(claims.roles);
  const groups = strings(claims.groups).map((g) => g.toLowerCase());
  const matched = map
    .filter((m) =>
      m.kind === 'app-role' ? appRoles.includes(m.value) : groups.includes(m.value.toLowerCase()),
    )
    .map((m) => m.role);
  return STRENGTH.find((role) => matched.includes(role)) ?? null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
