import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { SecretBox } from './secret-box';
import { loadSecretKeys } from './secret-key-loader';

/**
 * Encryption of secrets at rest ({@link SecretBox}), for destinations and for sources with
 * remote credentials. The key is loaded once at start-up; a key that cannot be read stops
 * the start with a message naming the file or setting.
 */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const keys = loadSecretKeys(config);
        const logger = new Logger('Secrets');
        for (const warning of keys.warnings) logger.warn(warning);
        return new SecretBox(keys.current, keys.older);
      },
    },
  ],
  exports: [SecretBox],
})
export class SecretsModule {}
