import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { segmentWithMembers } from './support/audience-fixtures';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { closeAll } from './support/close-all';
import { exportNow } from './support/export-run-wait';
import {
  axeViolations,
  contrastRatio,
  engineerWords,
  overflowingCards,
  pageOverflow,
} from './support/page-checks';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Every page of the admin UI, with data on it, at a laptop width (1440 px) and a phone's
 * (390×844): no page wider than the screen, no card whose content spills out of it, no axe-core
 * violation, and the phone's navigation behind a menu button. With UI_SCREENSHOTS set, the
 * phone's overview is saved for the README.
 */
/** Every page of the UI; `:name` is filled with the id of what the set-up made. */
const PAGES = [
  '/',
  '/sources',
  '/sources/new',
  '/sources/new-dataverse',
  '/sources/:source',
  '/unification',
  '/customers',
  '/customers/:customer',
  '/segments',
  '/segments/new',
  '/segments/:segment',
  '/destinations',
  '/destinations/new/dynamics365-sales',
  '/destinations/new/file',
  '/destinations/:destination',
  '/destinations/:destination/edit',
  '/runs',
  '/runs/refresh/:refresh',
  '/runs/export/:export',
  '/schedule',
  '/settings',
  '/notifications',
  '/tokens',
  '/audit',
  '/no-such-page',
];

describe('admin UI: every page fits a laptop and a phone, and passes axe-core', () => {
  let emulator: EmulatorHandle;
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let ids: Record<string, string> = {};
  const at = (path: string) => path.replace(/:(\w+)/g, (_, name: string) => ids[name]);

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    emulator = await startEmulator({ contacts: 12, seed: 3, deviceCodeIntervalSeconds: 1 });
    t = await startTestApp({
      env: { EXTRA_CA_CERTS: emulator.caCertPath, ALLOWED_HOSTS: new URL(emulator.url).host },
    });
    const contacts = emulator.contacts.all().map((c) => c.contactid);
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Newsletter readers with a rather long segment name',
      contactIds: contacts.slice(0, 8),
      withoutContactId: 2,
    });
    const api = t.api();
    const source = (await api.get('/api/sources').expect(200)).body[0] as { id: string };
    const customer = (await api.get('/api/customers').expect(200)).body.items[0] as {
      customerId: string;
    };
    const destination = (
      await api
        .post('/api/destinations', {
          type: 'dynamics365-sales',
          displayName: 'Sales (EU)',
          config: {
            serverAddress: emulator.url,
            auth: {
              kind: 'delegated',
              tenantId: emulator.tenantId,
              clientId: emulator.clientId,
              authorityHost: new URL(emulator.authority).origin,
            },
          },
          contactIdField: 'contactId',
          segmentIds: [segmentId],
        })
        .expect(201)
    ).body as { id: string };
    const started = await api.post(`/api/destinations/${destination.id}/sign-in`).expect(200);
    emulator.identity.approveDeviceCode(
      started.body.userCode as string,
      'maria.fernandez-villanueva@contoso-marketing.example',
    );
    for (let i = 0; ; i++) {
      const d = await api.get(`/api/destinations/${destination.id}`).expect(200);
      if (d.body.signIn?.status === 'signed-in') break;
      if (i > 400) throw new Error(`no sign-in: ${JSON.stringify(d.body.signIn)}`);
      await sleep(25);
    }
    const exportRun = await exportNow(t, destination.id);
    const refresh = (await api.post('/api/refresh').expect(202)).body as { id: string };
    for (let i = 0; ; i++) {
      const run = await api.get(`/api/refresh/runs/${refresh.id}`).expect(200);
      if (!['queued', 'running'].includes(run.body.status as string)) break;
      if (i > 1200) throw new Error('the refresh did not end');
      await sleep(25);
    }
    ids = {
      source: source.id,
      customer: encodeURIComponent(customer.customerId),
      segment: segmentId,
      destination: destination.id,
      refresh: refresh.id,
      export: exportRun.id,
    };
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t, emulator));

  /** Opens a page and waits until its heading is there and nothing is still loading. */
  async function open(path: string): Promise<void> {
    await page.goto(path);
    await page.locator('main h1').first().waitFor();
    // A locator's wait, not waitForFunction with a string: the app's CSP forbids eval, and a
    // string predicate that has to poll is evaluated that way.
    await page.locator('.loading').first().waitFor({ state: 'detached' });
    await page.waitForLoadState('networkidle');
  }

  it.each(PAGES)(
    'at 1440 px, %s: no overflow of the page or a card, no axe violation, no engineer words',
    async (path) => {
      await page.setViewportSize({ width: 1440, height: 900 });
      await open(at(path));
      expect(await pageOverflow(page)).toBe(0);
      expect(await overflowingCards(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
      expect(await engineerWords(page)).toEqual([]);
    },
  );

  it('at 1440 px: one line per navigation entry, and a sidebar footer that can be read', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await open('/');
    const heights = await page
      .locator('nav[aria-label="Main"] a')
      .evaluateAll((links) => links.map((l) => l.getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(Math.min(...heights) * 1.5);
    // WCAG AA: 4.5:1 for text.
    expect(await contrastRatio(page, '.sidebar-footer .muted')).toBeGreaterThanOrEqual(4.5);
  });

  it('shows the signed-in account in full, and the encryption note once', async () => {
    await open('/destinations');
    await page.getByRole('link', { name: 'Sales (EU)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sales (EU)' }).waitFor();
    const account = page.getByText('maria.fernandez-villanueva@contoso-marketing.example');
    await account.first().waitFor();
    expect(await overflowingCards(page)).toEqual([]);
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByTestId('signed-in').waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/Stored encrypted\.?\s*Stored encrypted/);
  });

  it('says the sign-in host is needed outside Microsoft, and names it by its label when missing', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await open('/destinations/new/dynamics365-sales');
    await page.getByLabel(/^Display name/).fill('Sales (test)');
    await page.getByLabel(/^Server address/).fill(emulator.url);
    await page.getByLabel('Sales account (Sign in with a code)').check();
    const host = page.getByLabel(/^Sign-in host/);
    const hintIds = ((await host.getAttribute('aria-describedby')) ?? '').split(' ');
    const hints = await Promise.all(
      hintIds.filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(hints.join(' ')).toMatch(/Required for any other sign-in host/);
    await page.getByLabel(/^Tenant id/).fill(emulator.tenantId);
    await page.getByLabel(/^Public client application id/).fill(emulator.clientId);
    await page
      .getByLabel(/^Customer field for the Dynamics 365 contact id/)
      .selectOption('contactId');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    const text = (await summary.textContent()) ?? '';
    expect(text).toContain('Sign-in host is required');
    expect(text).not.toMatch(/auth\.\w+/);
  });

  it('at 390×844: the navigation opens with a menu button and closes on choosing a page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = page.getByRole('button', { name: 'Menu' });
    expect(await nav.isVisible()).toBe(false);
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Segments' }).click();
    await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
    // Choosing a page closes the menu again.
    expect(await nav.isVisible()).toBe(false);

    await open('/');
    await screenshot(page, 'phone-overview');
  });

  it.each(PAGES)(
    'at 390×844, %s: no wider than the phone, no card overflows, no axe violation',
    async (path) => {
      await page.setViewportSize({ width: 390, height: 844 });
      await open(at(path));
      expect(
        Number(await page.evaluate('document.scrollingElement.scrollWidth')),
      ).toBeLessThanOrEqual(390);
      expect(await overflowingCards(page)).toEqual([]);
      expect(await axeViolations(page)).toEqual([]);
    },
  );

  it('at 390 px a wide table scrolls inside its frame, which says so', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open('/runs');
    const wrap = page.locator('.table-wrap').first();
    const sizes = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
    expect(sizes.scroll).toBeGreaterThan(sizes.client);
    // The cue: the frame is marked as scrolling sideways (a shadow at its edge, and words for
    // screen readers), and it can be scrolled with the keyboard.
    expect(await wrap.getAttribute('data-scrolls')).toBe('right');
    expect(await wrap.getAttribute('tabindex')).toBe('0');
    await wrap.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await page.waitForFunction(
      (el) => el?.getAttribute('data-scrolls') === 'left',
      await wrap.elementHandle(),
    );
    expect(b.pageErrors.filter((e) => !/status of (400|401|404|409)/.test(e))).toEqual([]);
  });
});
