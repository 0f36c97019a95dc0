import { createHash, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); playwright-core never downloads a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Messages the page logged as errors and uncaught exceptions (a test may assert there are none). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * Starts headless Chromium with a fresh profile and one page whose relative URLs resolve against
 * `baseURL` (the test app). A laptop-sized viewport: 1366×768.
 */
export async function launchBrowser(
  baseURL: string,
  options: { trustSpki?: string[] } = {},
): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: run "apt-get install -y chromium" (npm test installs it when run as root: scripts/ensure-chromium.sh)`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'audience-sync-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    // A server key to trust (the emulator's sign-in pages): only that key, every other check on.
    args: options.trustSpki?.length
      ? [...ARGS, `--ignore-certificate-errors-spki-list=${options.trustSpki.join(',')}`]
      : ARGS,
    baseURL,
    viewport: { width: 1366, height: 768 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The SPKI hash (base64 SHA-256 of the public key, as Chromium's
 * `--ignore-certificate-errors-spki-list` takes it) of the certificate an HTTPS server presents.
 */
export async function serverKeySpki(url: string, caPem: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port), ca: caPem });
  try {
    await once(socket, 'secureConnect');
    const der = new X509Certificate(socket.getPeerCertificate(true).raw).publicKey.export({
      type: 'spki',
      format: 'der',
    });
    return createHash('sha256').update(der).digest('base64');
  } finally {
    socket.destroy();
  }
}

/**
 * Where screenshots go when `UI_SCREENSHOTS` is set (`npm run screenshots` sets it to
 * docs/screenshots); undefined otherwise, so ordinary test runs leave the tree unchanged.
 */
export function screenshotDir(): string | undefined {
  const dir = process.env.UI_SCREENSHOTS;
  if (!dir) return undefined;
  const path = resolve(dir);
  mkdirSync(path, { recursive: true });
  return path;
}

/** Saves a full-page screenshot as `<name>.png` when screenshots were asked for. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = screenshotDir();
  if (!dir) return;
  // The viewport grows to the whole page first, so the sticky sidebar spans it as on a screen.
  const size = page.viewportSize() ?? { width: 1366, height: 768 };
  const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path: join(dir, `${name}.png`), animations: 'disabled' });
  await page.setViewportSize(size);
}

/** Signs in through the sign-in page with the admin token and waits for the overview. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/** A file for `setInputFiles`, made in memory. */
export function csvFile(
  name: string,
  lines: string[],
): { name: string; mimeType: string; buffer: Buffer } {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`, 'utf8') };
}

/**
 * Form controls on the page without an accessible name (no <label>, aria-label or
 * aria-labelledby), described by tag, type and id; empty when every control is labelled.
 */
export async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(`[...document.querySelectorAll('input, select, textarea')]
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.tagName.toLowerCase() + '[type=' + (el.type || '') + ']#' + el.id)`);
}
