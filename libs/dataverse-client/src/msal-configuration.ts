import { LogLevel, type Configuration, type ICachePlugin } from '@azure/msal-node';
import type { MsalNetworkClient } from './msal-network-client';

export interface ClientLogger {
  debug(message: string): void;
  warn(message: string): void;
}

/**
 * MSAL configuration for an authority `https://<host>/<tenant>/`. The authority host is always
 * listed in `knownAuthorities`, so MSAL never calls Microsoft's instance-discovery service: for the
 * Microsoft hosts it then uses its built-in endpoint metadata, for any other allowed host (the
 * emulator, a sovereign proxy) it reads `<authority>v2.0/.well-known/openid-configuration` from that
 * host through our network client. One code path for a real tenant and the emulator.
 */
export function msalConfiguration(options: {
  clientId: string;
  authority: string;
  clientSecret?: string;
  networkClient: MsalNetworkClient;
  cachePlugin?: ICachePlugin;
  logger?: ClientLogger;
}): Configuration {
  const host = new URL(options.authority).host;
  const logger = options.logger;
  return {
    auth: {
      clientId: options.clientId,
      authority: options.authority,
      knownAuthorities: [host],
      ...(options.clientSecret !== undefined ? { clientSecret: options.clientSecret } : {}),
    },
    ...(options.cachePlugin ? { cache: { cachePlugin: options.cachePlugin } } : {}),
    system: {
      networkClient: options.networkClient,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (level, message) => {
          if (!logger) return;
          if (level <= LogLevel.Warning) logger.warn(`MSAL: ${message}`);
          else logger.debug(`MSAL: ${message}`);
        },
      },
    },
  };
}
