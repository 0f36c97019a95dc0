import { readFileSync } from 'node:fs';
import type { AppConfig } from './app-config';

/** The PEM contents of `EXTRA_CA_CERTS`; throws an Error naming a file that cannot be used. */
export function readExtraCaCerts(config: Pick<AppConfig, 'EXTRA_CA_CERTS'>): string[] {
  return config.EXTRA_CA_CERTS.map((file) => {
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
  });
}
