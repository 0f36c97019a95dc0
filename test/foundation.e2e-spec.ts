import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { ADMIN_TOKEN_FILE } from '@platform/auth/admin-token.service';
import { SettingsService as SettingsServiceToken } from '@platform/settings/settings.service';
import { startTestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';
import { closeAll } from './support/close-all';

describe('foundation: health, API token, OpenAPI', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => closeAll(t));

  it('reports the database state on /health without a token', async () => {
    const res = await request(t.url).get('/health').expect(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database).toMatchObject({ status: 'up', type: testDatabaseKind() });
  });

  it('refuses /api routes without a token or with a wrong one', async () => {
    const missing = await request(t.url).get('/api/info').expect(401);
    expect(missing.body.message).toMatch(/Missing API token/);
    const wrong = await request(t.url)
      .get('/api/info')
      .set('Authorization', 'Bearer nope')
      .expect(401);
    expect(wrong.body.message).toBe('Invalid API token');
    const ok = await t.api().get('/api/info').expect(200);
    expect(ok.body.database).toBe(testDatabaseKind());
  });

  it('describes the API with OpenAPI', async () => {
    const res = await request(t.url).get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toContain('/api/info');
    await request(t.url).get('/api/docs').expect(200);
  });
});

describe('foundation: generated admin token', () => {
  it('is generated on first start, saved with mode 0600, stored hashed and kept across restarts', async () => {
    const first = await startTestApp({ env: { API_TOKEN: '' } });
    try {
      const file = join(first.dataDir, ADMIN_TOKEN_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(first.token).toMatch(/^as_[A-Za-z0-9_-]{43}$/);
      await first.api().get('/api/info').expect(200);
      const settings = await first.app.get(SettingsServiceToken).get<string>('auth.adminTokenHash');
      expect(settings).toMatch(/^[0-9a-f]{64}$/);
      expect(settings).not.toContain(first.token);
      await first.stop();

      const second = await startTestApp({
        env: { API_TOKEN: '' },
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      expect(readFileSync(file, 'utf8').trim()).toBe(first.token);
      await second.api().get('/api/info').expect(200);
      await second.stop();
    } finally {
      await first.close();
    }
  });
});
