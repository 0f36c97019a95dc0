import type { DataverseAuth, DataverseConnectionSettings } from '@audience-sync/dataverse-client';
import {
  DestinationError,
  DestinationErrorCode,
  type DestinationConfig,
} from '@audience-sync/exporter-contract';

/**
 * The connection settings of a destination's (schema-validated) configuration. Throws a CONFIG
 * DestinationError naming the field when something needed is missing, so a configuration saved
 * by an older version or edited by hand fails clearly.
 */
export function connectionSettings(config: DestinationConfig): DataverseConnectionSettings {
  const serverAddress = config.serverAddress;
  if (typeof serverAddress !== 'string' || serverAddress === '') throw missing('serverAddress');
  const auth = config.auth as Record<string, unknown> | undefined;
  if (!auth || typeof auth !== 'object') throw missing('auth');
  const text = (name: string, required = true): string | undefined => {
    const value = auth[name];
    if (typeof value === 'string' && value !== '') return value;
    if (required) throw missing(`auth.${name}`);
    return undefined;
  };
  const authorityHost = text('authorityHost', false);
  let settings: DataverseAuth;
  switch (auth.kind) {
    case 'clientCredentials':
      settings = {
        kind: 'clientCredentials',
        tenantId: text('tenantId') ?? '',
        clientId: text('clientId') ?? '',
        clientSecret: text('clientSecret') ?? '',
        ...(authorityHost ? { authorityHost } : {}),
      };
      break;
    case 'delegated': {
      const tokenCache = text('tokenCache', false);
      settings = {
        kind: 'delegated',
        tenantId: text('tenantId') ?? '',
        clientId: text('clientId') ?? '',
        ...(tokenCache ? { tokenCache } : {}),
        ...(authorityHost ? { authorityHost } : {}),
      };
      break;
    }
    default:
      throw new DestinationError(
        DestinationErrorCode.CONFIG,
        'auth.kind must be "clientCredentials" or "delegated".',
      );
  }
  return { serverAddress, auth: settings };
}

function missing(path: string): DestinationError {
  return new DestinationError(DestinationErrorCode.CONFIG, `${path} is required.`);
}
