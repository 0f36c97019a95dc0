import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN_TOKEN_FILE } from '@platform/auth/admin-token.service';
import { createApp } from '../../src/bootstrap/create-app';
import { loadConfig } from '@platform/config/app-config';
import { createTestDatabase, type TestDatabase } from './test-database';

export interface TestApp {
  app: INestApplication;
  /** Base URL of the listening server (http://127.0.0.1:<port>). */
  url: string;
  token: string;
  dataDir: string;
  /** A supertest agent bound to the server with the admin token set. */
  api(): ApiClient;
  /** Stops the server; keeps the data directory and database for a restart. */
  stop(): Promise<void>;
  /** Stops the server and removes its data directory and database. */
  close(): Promise<void>;
}

export interface ApiClient {
  get(path: string): request.Test;
  post(path: string, body?: object): request.Test;
  put(path: string, body?: object): request.Test;
  delete(path: string): request.Test;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse the data directory and database of an earlier app (a restart). */
  reuse?: { dataDir: string; database: TestDatabase };
}

/** Starts the real application on a free port over a fresh store (SQLite or PostgreSQL). */
export async function startTestApp(
  options: TestAppOptions = {},
): Promise<TestApp & { database: TestDatabase }> {
  const dataDir = options.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'audience-sync-test-'));
  const database = options.reuse?.database ?? (await createTestDatabase());
  // env.API_TOKEN === '' leaves the token unset: the app generates one into the data directory.
  const generated = options.env?.API_TOKEN === '';
  const config = loadConfig({
    DATA_DIR: dataDir,
    API_TOKEN: `test_${randomBytes(16).toString('hex')}`,
    LOG_LEVEL: 'warn',
    ...(database.url ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const token = generated
    ? readFileSync(join(dataDir, ADMIN_TOKEN_FILE), 'utf8').trim()
    : (config.API_TOKEN ?? '');
  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      await app.close();
    }
  };
  return {
    app,
    url,
    token,
    dataDir,
    database,
    api: () => apiClient(url, token),
    stop,
    close: async () => {
      await stop();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function apiClient(url: string, token: string): ApiClient {
  const auth = (t: request.Test) => t.set('Authorization', `Bearer ${token}`);
  const agent = request(url);
  return {
    get: (path) => auth(agent.get(path)),
    post: (path, body) => auth(agent.post(path)).send(body),
    put: (path, body) => auth(agent.put(path)).send(body),
    delete: (path) => auth(agent.delete(path)),
  };
}
