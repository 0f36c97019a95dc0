import { CLOUDS } from './clouds';
import { DataverseError, DataverseErrorKind } from './errors';
import type { HostAllowList } from './host-allow-list';

/** Application sign-in (an application user in the organization). */
export interface ClientCredentialsAuth {
  kind: 'clientCredentials';
  /** Directory (tenant) id or a verified domain (`contoso.onmicrosoft.com`). */
  tenantId: string;
  /** Application (client) id. */
  clientId: string;
  clientSecret: string;
  /** `https://host[:port]` of Entra ID; default: the sign-in host of the server address's cloud. */
  authorityHost?: string;
}

/**
 * Client-credentials settings from an app registration's facts and its full MSAL authority URL
 * (`https://host[:port]/<tenant>`, as the Dataverse emulator and other Entra ID hosts print it).
 */
export function clientCredentialsAuth(app: {
  authority: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}): ClientCredentialsAuth {
  return {
    kind: 'clientCredentials',
    tenantId: app.tenantId,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorityHost: new URL(app.authority).origin,
  };
}

/** Delegated sign-in of a person (device code), kept alive with the refresh token in `tokenCache`. */
export interface DelegatedAuth {
  kind: 'delegated';
  /** Absent: the `organizations` authority; the tenant is then the signing-in account's. */
  tenantId?: string;
  /** Public client application id (the app registration allowing public client flows). */
  clientId: string;
  /** MSAL's serialized token cache (refresh token inside) saved after sign-in. Secret. */
  tokenCache?: string;
  authorityHost?: string;
}

export type DataverseAuth = ClientCredentialsAuth | DelegatedAuth;

const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;

/**
 * The normalized organization URL (`https://host[:port]`, no path) or a CONFIG error naming what
 * is wrong. Paths are refused rather than stripped: an address with a path (`/main.aspx?…`) is
 * usually a copied app link, and saying so beats guessing.
 */
export function normalizeServerAddress(value: string, allowList: HostAllowList): string {
  const url = allowList.check(value, 'dataverse', 'serverAddress');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    throw new DataverseError({
      kind: DataverseErrorKind.CONFIG,
      message: `serverAddress must be the organization URL without a path or query (e.g. ${url.origin}), not ${url.origin}${url.pathname}${url.search ? '?…' : ''}.`,
    });
  }
  return url.origin;
}

/** The authority segment for work or school accounts of any tenant (Entra ID's multi-tenant sign-in). */
export const ORGANIZATIONS = 'organizations';

/** `https://<host>/<tenant>/`: the MSAL authority for these settings (no tenant: `organizations`). */
export function authorityFor(
  auth: { tenantId?: string; authorityHost?: string },
  serverAddress: string,
  allowList: HostAllowList,
): string {
  const tenantId = auth.tenantId ?? ORGANIZATIONS;
  if (!TENANT.test(tenantId)) {
    throw new DataverseError({
      kind: DataverseErrorKind.CONFIG,
      message: `Tenant id "${tenantId}" is not a tenant id (a GUID) or domain name.`,
    });
  }
  let origin: string;
  if (auth.authorityHost !== undefined && auth.authorityHost !== '') {
    const url = allowList.check(auth.authorityHost, 'authority', 'Sign-in host');
    if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
      throw new DataverseError({
        kind: DataverseErrorKind.CONFIG,
        message: `Sign-in host must be https://host[:port] without a path (the tenant goes in Tenant id).`,
      });
    }
    origin = url.origin;
  } else {
    const host = new URL(serverAddress).hostname;
    const cloud = CLOUDS.find((c) =>
      c.dataverse.some((pattern) => host.endsWith(pattern.slice(1))),
    );
    if (!cloud) {
      throw new DataverseError({
        kind: DataverseErrorKind.CONFIG,
        message: `Sign-in host is required: ${host} is not in a Microsoft cloud, so where to sign in cannot be derived from it. Enter the https:// address of your sign-in host.`,
      });
    }
    origin = `https://${cloud.authorityHost}`;
  }
  return `${origin}/${tenantId}/`;
}

/** Scopes for the organization: `.default` for applications, `user_impersonation` for people. */
export function scopesFor(kind: DataverseAuth['kind'], serverAddress: string): string[] {
  return kind === 'clientCredentials'
    ? [`${serverAddress}/.default`]
    : [`${serverAddress}/user_impersonation`, 'offline_access'];
}
