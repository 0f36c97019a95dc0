import express from 'express';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createUiHandler } from './ui-handler';

/** An Express app with the UI handler and stand-ins for the API routes and Nest's 404. */
function appFor(dir: string) {
  const app = express();
  app.get('/api/info', (_req, res) => {
    res.json({ api: true });
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(createUiHandler(dir));
  app.use((_req, res) => {
    res.status(404).json({ statusCode: 404 });
  });
  return app;
}

describe('createUiHandler', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ui-handler-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe('with a built UI', () => {
    beforeEach(() => {
      writeFileSync(join(dir, 'index.html'), '<!doctype html><title>UI</title><div id="root">');
      mkdirSync(join(dir, 'assets'));
      writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    });

    it('serves index.html at / and at every page path, uncached', async () => {
      for (const path of ['/', '/destinations', '/destinations/42/edit', '/runs?x=1']) {
        const res = await request(appFor(dir)).get(path).set('Accept', 'text/html').expect(200);
        expect(res.text).toContain('<div id="root">');
        expect(res.headers['cache-control']).toBe('no-cache');
      }
    });

    it('never serves source maps', async () => {
      writeFileSync(join(dir, 'assets', 'index-abc123.js.map'), '{"sources":["src/App.tsx"]}');
      for (const path of ['/assets/index-abc123.js.map', '/assets/INDEX-ABC123.JS.MAP']) {
        const res = await request(appFor(dir)).get(path).expect(404);
        expect(res.body).toEqual({ statusCode: 404 });
      }
    });

    it('serves hashed assets with a long cache', async () => {
      const res = await request(appFor(dir)).get('/assets/index-abc123.js').expect(200);
      expect(res.text).toBe('console.log(1)');
      expect(res.headers['cache-control']).toContain('immutable');
      expect(res.headers['content-type']).toMatch(/javascript/);
    });

    it('answers 404 for a missing file instead of the page', async () => {
      await request(appFor(dir)).get('/assets/missing-000.js').expect(404);
      await request(appFor(dir)).get('/favicon.ico').expect(404);
    });

    it('never shadows /api or /health, even for unknown API paths', async () => {
      const app = appFor(dir);
      expect((await request(app).get('/api/info').expect(200)).body).toEqual({ api: true });
      expect((await request(app).get('/health').expect(200)).body).toEqual({ status: 'ok' });
      const unknown = await request(app)
        .get('/api/nothing-here')
        .set('Accept', 'text/html')
        .expect(404);
      expect(unknown.body).toEqual({ statusCode: 404 });
      await request(app).get('/health/deep').set('Accept', 'text/html').expect(404);
    });

    it('leaves other methods and JSON requests to the app', async () => {
      const app = appFor(dir);
      await request(app).post('/destinations').set('Accept', 'text/html').expect(404);
      await request(app).get('/destinations').set('Accept', 'application/json').expect(404);
    });
  });

  describe('without a built UI', () => {
    it('answers page requests with a page that says how to build it', async () => {
      const res = await request(appFor(dir)).get('/').set('Accept', 'text/html').expect(503);
      expect(res.text).toContain('The admin UI has not been built');
      expect(res.text).toContain('npm run build');
      // Its one inline style is allowed by its hash, nothing else.
      const style = /<style>([^<]*)<\/style>/.exec(res.text)?.[1] ?? '';
      const hash = createHash('sha256').update(style).digest('base64');
      expect(res.headers['content-security-policy']).toContain(`style-src 'sha256-${hash}'`);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      await request(appFor(dir)).get('/api/info').expect(200);
    });
  });
});
