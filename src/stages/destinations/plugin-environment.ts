import type { PluginEnvironment, PluginLogger } from '@audience-sync/exporter-contract';
import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AppConfig } from '@platform/config/app-config';
import { readExtraCaCerts } from '@platform/config/extra-ca-certs';

/** Folder under DATA_DIR that plugins get as their `dataDir` (file exports go there). */
export const EXPORTS_FOLDER = 'exports';

/** A plugin logger on Nest's logger (context `destination:<type>` or a job's). */
export function pluginLogger(context: string): PluginLogger {
  const logger = new Logger(context);
  return {
    log: (m) => {
      logger.log(m);
    },
    warn: (m) => {
      logger.warn(m);
    },
    error: (m) => {
      logger.error(m);
    },
    debug: (m) => {
      logger.debug(m);
    },
  };
}

/**
 * What the process offers every plugin: the extra CA certificates (read once; a file that
 * cannot be read stops the start with its name), the extra allowed hosts, `DATA_DIR/exports`
 * (created), the folders allowed for exports, a logger and the clock.
 */
export function createPluginEnvironment(
  config: Pick<AppConfig, 'DATA_DIR' | 'EXTRA_CA_CERTS' | 'ALLOWED_HOSTS' | 'EXPORT_FOLDERS'>,
  now: () => Date = () => new Date(),
): PluginEnvironment {
  const dataDir = join(resolve(config.DATA_DIR), EXPORTS_FOLDER);
  mkdirSync(dataDir, { recursive: true, mode: 0o750 });
  return {
    extraCaCertificates: readExtraCaCerts(config),
    allowedHosts: [...config.ALLOWED_HOSTS],
    dataDir,
    allowedFolders: config.EXPORT_FOLDERS.map((f) => resolve(f)),
    logger: pluginLogger('Destinations'),
    now,
  };
}
