import { Logger, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app.module';
import { AppErrorFilter } from '@platform/errors/app-error.filter';
import { JsonBodyGuard } from '@platform/http/json-body.guard';
import { UntrustedInputPipe } from '@platform/http/untrusted-input.pipe';
import { createValidationPipe } from '@platform/http/validation.pipe';
import type { AppConfig } from '@platform/config/app-config';
import { prepareDataDir } from './data-dir';
import { setupOpenApi } from './openapi';
import { securityHeaders } from './security-headers';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];

/** Builds the configured application (not yet listening). Used by main, the CLI and tests. */
export async function createApp(config: AppConfig): Promise<INestApplication> {
  const dataDirWarnings = prepareDataDir(config);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment -- Nest types its options as a class; a literal is its documented use
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger: LEVELS.slice(0, LEVELS.indexOf(config.LOG_LEVEL) + 1),
    bodyParser: false, // Nest's default adds a form parser; the API takes JSON only
  });
  const logger = new Logger('DataDir');
  for (const warning of dataDirWarnings) logger.warn(warning);
  app.disable('x-powered-by');
  if (config.TRUST_PROXY !== undefined) app.set('trust proxy', config.TRUST_PROXY);
  app.use(securityHeaders());
  app.useBodyParser('json', { limit: '5mb' });
  app.useGlobalGuards(new JsonBodyGuard(app.get(Reflector)));
  // The browser side of people signing in answers redirects, outside the JSON API.
  app.setGlobalPrefix('api', {
    exclude: ['health', 'auth/sign-in', 'auth/callback', 'auth/sign-out'],
  });
  app.useGlobalPipes(new UntrustedInputPipe(), createValidationPipe());
  app.useGlobalFilters(new AppErrorFilter());
  app.enableShutdownHooks();
  setupOpenApi(app);
  return app;
}
