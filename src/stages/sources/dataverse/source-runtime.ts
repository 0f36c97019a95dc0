import { DataverseRuntime } from '@audience-sync/dataverse-client';
import { Logger } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import type { AppConfig } from '@platform/config/app-config';

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
    extraCaCertificates: config.EXTRA_CA_CERTS.map(readCertificate),
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

function readCertificate(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`EXTRA_CA_CERTS: cannot read ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`EXTRA_CA_CERTS: ${file} holds no PEM certificate`);
  }
  return pem;
}
