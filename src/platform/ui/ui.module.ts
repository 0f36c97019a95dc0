import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Application } from 'express';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createUiHandler } from './ui-handler';

/** Where the built admin UI lives: `dist/` of the `@audience-sync/admin-ui` workspace package. */
export function adminUiDir(): string {
  try {
    return join(dirname(require.resolve('@audience-sync/admin-ui/package.json')), 'dist');
  } catch {
    // Not linked (an install without workspaces): where it is in the repository.
    return resolve(process.cwd(), 'libs', 'admin-ui', 'dist');
  }
}

/**
 * Serves the admin web UI at `/` (libs/admin-ui, built by `npm run build`). Registered on the
 * Express instance when modules initialise, which is after Nest has registered its routes and
 * before its 404 handler: `/api/*` and `/health` always reach the API.
 */
@Module({})
export class UiModule implements OnModuleInit {
  private readonly logger = new Logger('AdminUI');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as typeof this.adapterHost.httpAdapter | undefined;
    if (!adapter) return; // an application context without HTTP (the CLI)
    const dir = adminUiDir();
    if (!existsSync(join(dir, 'index.html'))) {
      this.logger.warn(`The admin UI is not built (${dir} is missing): run "npm run build"`);
    }
    adapter.getInstance<Application>().use(createUiHandler(dir));
  }
}
