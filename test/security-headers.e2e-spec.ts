import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { adminUiDir } from '@platform/ui/ui.module';
import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';

/** The headers every answer carries, whatever its status. */
function expectSecurityHeaders(res: request.Response, label: string): void {
  const h = res.headers;
  expect([label, h['x-powered-by']]).toEqual([label, undefined]);
  expect([label, h['x-content-type-options']]).toEqual([label, 'nosniff']);
  expect([label, h['x-frame-options']]).toEqual([label, 'DENY']);
  expect([label, h['content-security-policy']]).toEqual([
    label,
    expect.stringContaining("frame-ancestors 'none'"),
  ]);
  expect([label, h['strict-transport-security']]).toEqual([label, undefined]);
}

describe('security headers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => closeAll(t));

  it('are on API answers, errors included, and on /health', async () => {
    const answers: [string, request.Response][] = [
      ['info', await t.api().get('/api/info').expect(200)],
      ['no token', await request(t.url).get('/api/info').expect(401)],
      ['not found', await t.api().get('/api/segments/nope').expect(404)],
      ['bad JSON', await t.api().post('/api/segments').type('json').send('{').expect(400)],
      ['health', await request(t.url).get('/health').expect(200)],
    ];
    for (const [label, res] of answers) expectSecurityHeaders(res, label);
    const csp = answers[0][1].headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
  });

  it('are on the API docs, whose page may use inline styles but no inline scripts', async () => {
    const page = await request(t.url).get('/api/docs').expect(200);
    expectSecurityHeaders(page, 'docs');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("script-src 'self';");
    // Every script of the page is a file of our own (the CSP allows no other).
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<\s]/);
    expectSecurityHeaders(await request(t.url).get('/api/docs-json').expect(200), 'docs-json');
  });

  it('are on the admin UI pages, and its source maps are not served', async () => {
    const page = await request(t.url).get('/segments').set('Accept', 'text/html');
    expect([200, 503]).toContain(page.status); // 503: the UI is not built here
    expectSecurityHeaders(page, 'UI page');
    const assets = join(adminUiDir(), 'assets');
    const maps = existsSync(assets) ? readdirSync(assets).filter((f) => f.endsWith('.map')) : [];
    for (const file of [...maps, 'index-00000000.js.map']) {
      await request(t.url).get(`/assets/${file}`).expect(404);
    }
  });
});
