import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import serveStatic from 'serve-static';

/**
 * Paths the UI never answers: the API, its docs, the health check and the sign-in redirects
 * stay the app's own.
 */
const RESERVED = /^\/(api|health|auth)(\/|$)/;

const NOT_BUILT_STYLE = `body{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;line-height:1.5}
code{background:#eef1f6;padding:0.1rem 0.3rem}`;

/** The app's CSP (security-headers.ts) allows no inline style; this page's own one is let in. */
const NOT_BUILT_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(NOT_BUILT_STYLE).digest('base64')}'`,
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Audience Sync: admin UI not built</title>
<style>${NOT_BUILT_STYLE}</style></head>
<body><h1>The admin UI has not been built</h1>
<p>Audience Sync is running, but the files of its web interface are missing
(<code>libs/admin-ui/dist</code>). Build them with</p>
<pre><code>npm run build</code></pre>
<p>(or <code>npm start</code>, which builds first), then reload this page.</p>
<p>The REST API works without it: it is under <a href="/api/docs">/api</a>, described at
<a href="/api/docs">/api/docs</a>; the health check is at <a href="/health">/health</a>.</p>
</body></html>`;

/** Source maps of the build are not served: they would publish the UI's whole source. */
const SOURCE_MAP = /\.map$/i;

function wantsPage(req: Request): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (RESERVED.test(req.path)) return false;
  // A path whose last segment has an extension is a file (a missing asset gets a 404, not the page).
  const last = req.path.slice(req.path.lastIndexOf('/') + 1);
  if (last.includes('.')) return false;
  return req.accepts(['html', 'json']) === 'html';
}

/**
 * Serves the built admin UI from `dir`: its files (not source maps), and `index.html` for every
 * other page path (the UI routes in the browser), never for `/api` or `/health`. Without a build
 * it answers page requests with a page that says how to build it. The security headers of its
 * answers are the app's (bootstrap/security-headers.ts).
 *
 * Hand-written around serve-static (the file server Express itself uses) rather than
 * @nestjs/serve-static, because that module answers missing assets with index.html and has no
 * "not built" page; the difference is these thirty lines.
 */
export function createUiHandler(dir: string): RequestHandler {
  const index = join(dir, 'index.html');
  const files = serveStatic(dir, {
    index: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      // Vite puts content hashes in the names of everything under assets/.
      if (/[\\/]assets[\\/]/.test(path)) {
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
      }
    },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (
      RESERVED.test(req.path) ||
      SOURCE_MAP.test(req.path) ||
      (req.method !== 'GET' && req.method !== 'HEAD')
    ) {
      next();
      return;
    }
    const built = existsSync(index);
    const fallback = () => {
      if (!wantsPage(req)) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      if (!built) {
        res.setHeader('Content-Security-Policy', NOT_BUILT_CSP);
        res.status(503).type('html').send(NOT_BUILT_PAGE);
        return;
      }
      res.sendFile(index, (error?: Error) => {
        if (error && !res.headersSent) next(error);
      });
    };
    if (!built) {
      fallback();
      return;
    }
    files(req, res, fallback);
  };
}
