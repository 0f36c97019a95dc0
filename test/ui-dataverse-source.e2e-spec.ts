import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { launchBrowser, signIn, unlabelledControls, type TestBrowser } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

/** The contact ids of Sales come in as a source: created, fixed and read from the browser. */
describe('admin UI: a Dynamics 365 contacts source', () => {
  let emulator: EmulatorHandle;
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    emulator = await startEmulator({ contacts: 30, seed: 11 });
    t = await startTestApp({
      env: { EXTRA_CA_CERTS: emulator.caCertPath, ALLOWED_HOSTS: new URL(emulator.url).host },
    });
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t, emulator));

  it('says why the first read failed, takes a new secret, then reads every contact and later only the changes', async () => {
    await page.getByRole('link', { name: 'Sources', exact: true }).click();
    await page.getByRole('link', { name: 'New Dynamics 365 contacts source' }).click();
    expect(await unlabelledControls(page)).toEqual([]);
    // The usual contact mapping is offered.
    expect(await page.getByLabel('Column of mapping 1').inputValue()).toBe('contactid');
    expect(await page.getByLabel('Customer field of mapping 1').inputValue()).toBe('contactId');

    const address = page.getByLabel(/^Server address/);
    await address.fill('contoso.crm.dynamics.com');
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    await address.fill(emulator.url);
    await page.getByLabel(/^Tenant id/).fill(emulator.tenantId);
    await page.getByLabel(/^Application \(client\) id/).fill(emulator.clientId);
    await page.getByLabel(/^Client secret/).fill('a-wrong-secret');
    await page.getByLabel(/^Sign-in host/).fill(emulator.url);
    await page.getByRole('button', { name: 'Create source and read the contacts' }).click();
    const failure = page.getByRole('alert').filter({ hasText: 'The first read failed' });
    await failure.waitFor({ timeout: 30_000 });
    expect(await failure.textContent()).toMatch(/secret/i);

    await page.getByRole('link', { name: 'Open the source' }).click();
    await page.getByText('stored (encrypted, never shown)').waitFor();
    await page.getByRole('button', { name: 'Edit' }).click();
    await page.getByText('A value is stored').waitFor();
    await page.getByLabel(/^Client secret/).fill(emulator.clientSecret);
    await page.getByRole('button', { name: 'Save source' }).click();
    await page.getByRole('form', { name: 'Edit source' }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Read now' }).click();
    await page.getByText('Read finished').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('read-mode').first().textContent()).toMatch(/full read/);
    expect(await page.getByTestId('rows-stored').first().textContent()).toBe('30');
    await page.getByTestId('record-count').filter({ hasText: /^30$/ }).waitFor();
    const first = emulator.contacts.all()[0];
    await page
      .getByRole('region', { name: 'Records' })
      .getByRole('cell', { name: first.contactid, exact: true })
      .first()
      .waitFor();

    emulator.contacts.delete(first.contactid);
    await page.getByRole('button', { name: 'Read now' }).click();
    await page
      .getByTestId('read-mode')
      .filter({ hasText: /only the changes/ })
      .first()
      .waitFor({
        timeout: 30_000,
      });
    await page.getByTestId('record-count').filter({ hasText: /^29$/ }).waitFor();
  });
});
