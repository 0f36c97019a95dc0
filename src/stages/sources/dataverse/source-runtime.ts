import { DataverseRuntime } from '@audience-sync/dataverse-client';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@platform/config/app-config';
import { readExtraCaCerts } from '@platform/config/extra-ca-certs';

/**
 * The Dataverse runtime of the sources: the same client code as the Dynamics 365 Sales
 * destination (allow-list, HTTPS with the extra CAs, one MSAL client per credential, retries and
 * throttling), configured from the same settings (`ALLOWED_HOSTS`, `EXTRA_CA_CERTS`).
 */
export function createSourceRuntime(
  config: Pick<AppConfig, 'ALLOWED_HOSTS' | 'EXTRA_CA_CERTS'>,
): DataverseRuntime {
  const logger = new Logger('Sources:dataverse');
  return new DataverseRuntime({
    allowedHosts: config.ALLOWED_HOSTS,
    extraCaCertificates: readExtraCaCerts(config),
    logger: {
      debug: (m) => {
        logger.debug(m);
      },
      warn: (m) => {
        logger.warn(m);
      },
    },
  });
}
