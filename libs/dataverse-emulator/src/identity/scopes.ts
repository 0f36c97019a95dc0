import { Aad } from './aad-error';

const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

export interface ParsedScopes {
  /** Permissions asked of the org (".default", "user_impersonation"). */
  permissions: string[];
  oidc: Set<string>;
}

function normalizeResource(resource: string): string {
  return resource.replace(/\/+$/, '').toLowerCase();
}

/**
 * Splits a space-separated scope parameter into OpenID scopes and permissions on the org.
 * Every resource scope must name the org URL (`<org>/.default`, `<org>//.default` and
 * `<org>/user_impersonation` are accepted); anything else is an unknown resource principal.
 */
export function parseScopes(scope: string, orgUrl: string, tenant: string): ParsedScopes {
  const result: ParsedScopes = { permissions: [], oidc: new Set() };
  for (const item of scope.split(/\s+/).filter(Boolean)) {
    if (OIDC_SCOPES.has(item)) {
      result.oidc.add(item);
      continue;
    }
    const slash = item.lastIndexOf('/');
    if (slash < 0) throw Aad.invalidScope(item);
    const resource = item.slice(0, slash);
    if (normalizeResource(resource) !== normalizeResource(orgUrl)) {
      throw Aad.unknownResource(resource, tenant);
    }
    result.permissions.push(item.slice(slash + 1));
  }
  return result;
}
