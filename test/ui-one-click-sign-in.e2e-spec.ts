import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { segmentWithMembers } from './support/audience-fixtures';
import { launchBrowser, signIn, type TestBrowser } from './support/browser';
import { closeAll } from './support/close-all';
import { exportNow } from './support/export-run-wait';
import { axeViolations, pageOverflow } from './support/page-checks';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 18 item 4 in the browser: an admin enters the app registration once in Settings; a
 * marketer then sets up Dynamics 365 Sales with one "Sign in" (no ids), signing in at
 * `organizations` against the emulator's Entra ID, and the export works.
 */
describe('admin UI: the app registration in Settings and one-click sign-in', () => {
  let emulator: EmulatorHandle;
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let contacts: string[];

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    emulator = await startEmulator({ contacts: 12, seed: 4, deviceCodeIntervalSeconds: 1 });
    t = await startTestApp({
      env: { EXTRA_CA_CERTS: emulator.caCertPath, ALLOWED_HOSTS: new URL(emulator.url).host },
    });
    contacts = emulator.contacts.all().map((c) => c.contactid);
    await segmentWithMembers(t, { name: 'Spring campaign', contactIds: contacts.slice(0, 6) });
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t, emulator));

  async function open(path: string): Promise<void> {
    await page.goto(path);
    await page.locator('main h1').first().waitFor();
    await page.locator('.loading').first().waitFor({ state: 'detached' });
    await page.waitForLoadState('networkidle');
  }

  /** axe-core at 1440 px, and no sideways scrolling at 390 px. */
  async function checkPage(): Promise<void> {
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await pageOverflow(page)).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  it('offers the first destination’s ids as the installation’s registration (admin)', async () => {
    await open('/destinations/new/dynamics365-sales');
    // No registration yet: the ids are asked for, and an admin may keep them for everyone.
    await page.getByLabel('Sales account (Sign in with a code)').check();
    await page.getByLabel(/^Display name/).fill('Sales (first)');
    await page.getByLabel(/^Server address/).fill(emulator.url);
    await page.getByLabel(/^Public client application id/).fill(emulator.clientId);
    await page.getByLabel(/^Sign-in host/).fill(new URL(emulator.authority).origin);
    await page
      .getByLabel(/^Customer field for the Dynamics 365 contact id/)
      .selectOption('contactId');
    await page.getByLabel(/^Use these ids for every destination and source/).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Step 2: choose the segments' }).waitFor();
    const registration = await t.api().get('/api/settings/app-registration').expect(200);
    expect(registration.body).toMatchObject({
      configured: true,
      clientId: emulator.clientId.toLowerCase(),
      tenantId: null,
      authorityHost: new URL(emulator.authority).origin,
    });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Set-up canceled').waitFor();
  });

  it('shows the registration in Settings; the secret is write-only', async () => {
    await open('/settings');
    expect(await page.getByLabel(/^Application \(client\) id/).inputValue()).toBe(
      emulator.clientId.toLowerCase(),
    );
    await page.getByLabel(/^Client secret/).fill('a-secret-for-application-sign-ins');
    await page.getByRole('button', { name: 'Save app registration' }).click();
    await page.getByText('App registration saved').waitFor();
    expect(await page.getByLabel(/^Client secret/).inputValue()).toBe('');
    await page.getByText('A secret is stored encrypted').waitFor();
    expect(await page.content()).not.toContain('a-secret-for-application-sign-ins');
    await checkPage();
  });

  it('sets up Sales with one "Sign in": no ids, the tenant learned, the export works', async () => {
    await open('/destinations/new/dynamics365-sales');
    for (const label of [
      /^Tenant id/,
      /^Public client application id/,
      /^Application \(client\) id/,
      /^Sign-in host/,
      'Application (client secret)',
    ]) {
      expect(await page.getByLabel(label).count()).toBe(0);
    }
    const disclosure = page.getByRole('button', { name: 'Use a different app registration' });
    expect(await disclosure.getAttribute('aria-expanded')).toBe('false');
    await checkPage();

    await page.getByLabel(/^Display name/).fill('Sales (one click)');
    await page.getByLabel(/^Server address/).fill(emulator.url);
    await page
      .getByLabel(/^Customer field for the Dynamics 365 contact id/)
      .selectOption('contactId');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const code = ((await page.getByTestId('device-code').textContent()) ?? '').trim();
    expect(code).toMatch(/\S{6,}/);
    emulator.identity.approveDeviceCode(code, 'marketer@contoso.example');
    await page.getByTestId('signed-in').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('signed-in').textContent()).toContain('marketer@contoso.example');
    await checkPage();

    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel(/Spring campaign/).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saving does not export').waitFor();

    const list = (await t.api().get('/api/destinations').expect(200)).body as Array<{
      id: string;
      displayName: string;
      config: { auth: Record<string, unknown> };
      signIn: { user: { tenantId?: string } };
    }>;
    const saved = list.find((d) => d.displayName === 'Sales (one click)');
    expect(saved?.config.auth).toEqual({ kind: 'delegated' });
    expect(saved?.signIn.user.tenantId).toBe(emulator.tenantId);
    const run = await exportNow(t, saved?.id ?? '');
    expect(run.status).toBe('succeeded');
    expect(new Set(emulator.lists.members(run.segments[0].target!.id))).toEqual(
      new Set(contacts.slice(0, 6)),
    );
  });

  it('keeps the ids behind "Use a different app registration", for a destination and a source', async () => {
    await open('/destinations/new/dynamics365-sales');
    await page.getByRole('button', { name: 'Use a different app registration' }).click();
    await page.getByLabel(/^Tenant id/).waitFor();
    expect(
      await page
        .getByRole('button', { name: 'Use the app registration in Settings' })
        .getAttribute('aria-expanded'),
    ).toBe('true');
    await page.getByRole('button', { name: 'Use the app registration in Settings' }).click();
    expect(await page.getByLabel(/^Tenant id/).count()).toBe(0);

    await open('/sources/new-dataverse');
    expect(await page.getByLabel(/^Tenant id/).count()).toBe(0);
    expect(await page.getByLabel(/^Client secret/).count()).toBe(0);
    await checkPage();
    await page.getByRole('button', { name: 'Use a different app registration' }).click();
    await page.getByLabel(/^Tenant id/).waitFor();
    expect(b.pageErrors).toEqual([]);
  });
});
