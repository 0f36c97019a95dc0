import type { RequestHandler } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/** The page of the API documentation and its files (Swagger UI). */
const DOCS = /^\/api\/docs(\/|$)/;

/**
 * Content Security Policy of every answer: only our own scripts, styles, images and API, no
 * plugins, never in a frame. The admin UI is built to need nothing more (no inline scripts or
 * styles; React sets styles through the DOM, which CSP allows).
 */
const APP_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  objectSrc: ["'none'"],
};

/** Swagger UI's page carries inline <style> blocks and style attributes; its scripts are files. */
const DOCS_CSP = { ...APP_CSP, styleSrc: ["'self'", "'unsafe-inline'"] };

function options(directives: typeof APP_CSP): HelmetOptions {
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // HTTPS is the TLS-terminating proxy's business (README, "Exposing Audience Sync"): HSTS
    // from here would bind every subdomain of the host for a year, and is ignored over HTTP.
    strictTransportSecurity: false,
  };
}

/**
 * Security headers (helmet) on every answer: the API, its docs, the admin UI and /health.
 * Besides the CSP: X-Content-Type-Options: nosniff, X-Frame-Options: DENY,
 * Referrer-Policy: no-referrer, Cross-Origin-Opener/Resource-Policy: same-origin, and no
 * X-Powered-By.
 */
export function securityHeaders(): RequestHandler {
  const app = helmet(options(APP_CSP));
  const docs = helmet(options(DOCS_CSP));
  return (req, res, next) => {
    (DOCS.test(req.path) ? docs : app)(req, res, next);
  };
}
