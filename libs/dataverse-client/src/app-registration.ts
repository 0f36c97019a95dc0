import type { DataverseAuth } from './auth-settings';

/**
 * The installation's app registration: one Entra ID application that every connection without
 * ids of its own uses (set once by an admin, so a marketer's "Sign in" needs no ids).
 */
export interface AppRegistration {
  clientId: string;
  /** Absent: delegated sign-ins use `organizations` and learn the tenant from the account. */
  tenantId?: string;
  /** Needed only for application (client secret) connections. Secret. */
  clientSecret?: string;
  /** `https://host[:port]` of Entra ID; default: the server address's Microsoft cloud. */
  authorityHost?: string;
}

/** What one connection (a destination, a source) sets itself; every id may be absent. */
export interface OwnAuth {
  kind: DataverseAuth['kind'];
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  authorityHost?: string;
  tokenCache?: string;
}

/** A problem with a connection's sign-in, `path` relative to the connection (`auth.clientId`). */
export interface AuthProblem {
  path: string;
  message: string;
}

export type ResolvedAuth = { auth: DataverseAuth; problems: [] } | { problems: AuthProblem[] };

/**
 * The credential a connection uses. A connection that sets its own client id uses its own ids
 * only (so configurations made before the installation's registration keep working); one that
 * sets none uses the installation's. The tenant is the connection's own, else the registration's,
 * else (delegated) the one learned when the account signed in, else none (`organizations`).
 */
export function resolveAuth(
  own: OwnAuth,
  installation: AppRegistration | null | undefined,
  learnedTenantId?: string,
): ResolvedAuth {
  const ownClient = !!own.clientId;
  if (!ownClient && !installation) {
    return problem(
      'auth.clientId',
      'Application (client) id is required: enter it, or ask an admin to set the app registration in Settings.',
    );
  }
  const reg: AppRegistration = ownClient
    ? {
        clientId: own.clientId ?? '',
        ...(own.clientSecret ? { clientSecret: own.clientSecret } : {}),
        ...(own.authorityHost ? { authorityHost: own.authorityHost } : {}),
      }
    : (installation as AppRegistration);
  const tenantId =
    own.tenantId || (!ownClient ? installation?.tenantId : undefined) || learnedTenantId || '';
  const authorityHost = own.authorityHost || reg.authorityHost || '';
  const host = authorityHost ? { authorityHost } : {};
  if (own.kind === 'delegated') {
    return {
      auth: {
        kind: 'delegated',
        clientId: reg.clientId,
        ...(tenantId ? { tenantId } : {}),
        ...(own.tokenCache ? { tokenCache: own.tokenCache } : {}),
        ...host,
      },
      problems: [],
    };
  }
  const problems: AuthProblem[] = [];
  if (!tenantId) {
    problems.push({
      path: 'auth.tenantId',
      message: 'Tenant id is required for an application sign-in (client secret).',
    });
  }
  if (!reg.clientSecret) {
    problems.push({
      path: 'auth.clientSecret',
      message: ownClient
        ? 'Client secret is required.'
        : 'Client secret is required: the app registration in Settings has none; ask an admin to add it, or enter this connection’s own ids.',
    });
  }
  // The installation's secret goes only to the sign-in host it was entered for.
  if (
    !ownClient &&
    own.authorityHost &&
    own.authorityHost !== (installation?.authorityHost ?? '')
  ) {
    problems.push({
      path: 'auth.authorityHost',
      message:
        'Sign-in host differs from the one of the app registration in Settings, whose client secret is sent only there: leave it empty, or enter this connection’s own ids.',
    });
  }
  if (problems.length > 0) return { problems };
  return {
    auth: {
      kind: 'clientCredentials',
      tenantId,
      clientId: reg.clientId,
      clientSecret: reg.clientSecret ?? '',
      ...host,
    },
    problems: [],
  };
}

function problem(path: string, message: string): ResolvedAuth {
  return { problems: [{ path, message }] };
}
