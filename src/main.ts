import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './bootstrap/create-app';
import { ConfigError, loadConfig } from '@platform/config/app-config';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  await app.listen(config.PORT, config.HOST);
  new Logger('Audience Sync').log(
    `Listening on ${await app.getUrl()} (API under /api, docs at /api/docs)`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Audience Sync failed to start:', error);
  }
  process.exit(1);
});
