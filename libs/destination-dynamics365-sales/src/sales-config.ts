import {
  resolveAuth,
  type DataverseConnectionSettings,
  type OwnAuth,
  type ResolvedAuth,
} from '@audience-sync/dataverse-client';
import {
  DestinationError,
  DestinationErrorCode,
  type DestinationConfig,
  type InstallationAppRegistration,
  type SignedInAccount,
} from '@audience-sync/exporter-contract';

/** What besides the configuration decides the credential. */
export interface AuthContext {
  appRegistration?: InstallationAppRegistration | null;
  account?: SignedInAccount;
}

/**
 * The connection settings of a destination's (schema-validated) configuration: its own ids, else
 * the installation's app registration, and the tenant learned at sign-in. Throws a CONFIG
 * DestinationError naming the field by its label when something needed is missing.
 */
export function connectionSettings(
  config: DestinationConfig,
  context: AuthContext = {},
): DataverseConnectionSettings {
  const serverAddress = config.serverAddress;
  if (typeof serverAddress !== 'string' || serverAddress === '') {
    throw new DestinationError(DestinationErrorCode.CONFIG, 'Server address is required.');
  }
  const resolved = resolveAuth(ownAuth(config), context.appRegistration, context.account?.tenantId);
  if (!('auth' in resolved)) {
    throw new DestinationError(
      DestinationErrorCode.CONFIG,
      resolved.problems.map((p) => p.message).join(' '),
    );
  }
  return { serverAddress, auth: resolved.auth };
}

/** The credential in effect before any sign-in, or the problems (paths such as `auth.clientId`). */
export function effectiveAuth(
  config: DestinationConfig,
  appRegistration: InstallationAppRegistration | null | undefined,
): ResolvedAuth {
  return resolveAuth(ownAuth(config), appRegistration);
}

/** The sign-in settings the configuration sets itself (absent ones left out). */
function ownAuth(config: DestinationConfig): OwnAuth {
  const auth = config.auth as Record<string, unknown> | undefined;
  if (!auth || typeof auth !== 'object') {
    throw new DestinationError(DestinationErrorCode.CONFIG, 'Sign-in is required.');
  }
  if (auth.kind !== 'clientCredentials' && auth.kind !== 'delegated') {
    throw new DestinationError(
      DestinationErrorCode.CONFIG,
      'Sign-in must be an application (client secret) or a Sales account.',
    );
  }
  const own: OwnAuth = { kind: auth.kind };
  for (const name of [
    'tenantId',
    'clientId',
    'clientSecret',
    'authorityHost',
    'tokenCache',
  ] as const) {
    const value = auth[name];
    if (typeof value === 'string' && value !== '') own[name] = value;
  }
  return own;
}
