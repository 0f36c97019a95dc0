import {
  startEmulator,
  type Contact,
  type EmulatorHandle,
} from '@audience-sync/dataverse-emulator';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import {
  csvFile,
  launchBrowser,
  screenshot,
  unlabelledControls,
  type TestBrowser,
} from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

/**
 * A newcomer's path, all in the browser: from an empty data directory to a finished export of a
 * segment to Dynamics 365 Sales (the emulator, over HTTPS with real MSAL), and the list's member
 * count on the destinations page. With UI_SCREENSHOTS set (`npm run screenshots`), each main page
 * is saved for the README.
 */

/** 24 Sales contacts; the CRM file has 20 of them (by contact id) and 4 people not in Sales. */
function crmFile(contacts: Contact[]) {
  const rows = contacts.slice(0, 20).map((c, i) => {
    const city = i % 3 === 0 ? 'Lyon, Rhône' : 'Berlin';
    return `C${100 + i},${c.firstname ?? ''},${c.lastname ?? ''},${c.emailaddress1 ?? ''},"${city}",${c.contactid}`;
  });
  for (let i = 0; i < 4; i++) {
    rows.push(`N${i},New,Person${i},new${i}@example.org,Berlin,`);
  }
  return csvFile('crm-export.csv', [
    'Customer No,First Name,Last Name,E-mail,City,Sales Contact',
    ...rows,
  ]);
}

/** The web shop: spend per email, with the noise of another system (upper case, spaces). */
function shopFile(contacts: Contact[]) {
  const rows = contacts.slice(0, 12).map((c, i) => {
    const email =
      i % 2 === 0 ? ` ${(c.emailaddress1 ?? '').toUpperCase()}` : (c.emailaddress1 ?? '');
    return `${5000 + i},"${email}",${100 + i * 50}.5`;
  });
  rows.push('6000,new0@example.org,900');
  rows.push('6001,nobody@example.org,20');
  return csvFile('shop-customers.csv', ['Shop Id,Email,Total Spend', ...rows]);
}

async function waitForText(page: Page, testId: string, pattern: RegExp): Promise<string> {
  const locator = page.getByTestId(testId);
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout: 30_000 });
  return (await locator.first().textContent()) ?? '';
}

describe('admin UI: a newcomer goes from an empty data directory to an export in Sales', () => {
  let emulator: EmulatorHandle;
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let contacts: Contact[];

  /** Keeps a screenshot of the page (when asked for) and checks every control is labelled. */
  const look = async (name: string) => {
    await screenshot(page, name);
    expect(await unlabelledControls(page)).toEqual([]);
  };

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    emulator = await startEmulator({ contacts: 24, seed: 7, deviceCodeIntervalSeconds: 1 });
    contacts = emulator.contacts.all();
    t = await startTestApp({
      env: {
        EXTRA_CA_CERTS: emulator.caCertPath,
        ALLOWED_HOSTS: new URL(emulator.url).host,
      },
    });
    b = await launchBrowser(t.url);
    page = b.page;
  });
  afterAll(() => closeAll(b, t, emulator));

  it('signs in and creates two CSV sources, mapping columns read from each file', async () => {
    await page.goto('/');
    await page.waitForURL('**/sign-in');
    await look('sign-in');
    await page.getByLabel('API token').fill(t.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await look('overview');

    await page.getByRole('link', { name: 'Sources', exact: true }).click();
    await page.getByText('No sources yet').waitFor();
    await page.getByRole('link', { name: 'New CSV source' }).click();
    await page.getByLabel('CSV file').setInputFiles(crmFile(contacts));
    // The header was read in the browser: fields are suggested from the column names.
    expect(await page.getByLabel('Customer field for column E-mail').inputValue()).toBe('email');
    expect(await page.getByLabel('Customer field for column First Name').inputValue()).toBe(
      'firstName',
    );
    expect(await page.getByLabel(/^Primary key column/).inputValue()).toBe('Customer No');
    expect(await page.getByLabel(/^Name/).inputValue()).toBe('crm-export');
    await page.getByLabel(/^Name/).fill('crm');
    await page.getByLabel('Customer field for column Sales Contact').fill('contactId');
    await look('source-new');
    await page.getByRole('button', { name: 'Create source and upload' }).click();
    await page.getByText('Upload finished').waitFor();
    expect(await page.getByTestId('rows-stored').textContent()).toBe('24');
    expect(await page.getByTestId('rows-rejected').textContent()).toBe('0');

    await page.getByRole('link', { name: 'All sources' }).click();
    await page.getByRole('link', { name: 'New CSV source' }).click();
    await page.getByLabel('CSV file').setInputFiles(shopFile(contacts));
    await page.getByLabel(/^Name/).fill('shop');
    expect(await page.getByLabel('Type of column Total Spend').inputValue()).toBe('number');
    await page.getByLabel('Customer field for column Total Spend').fill('spend');
    await page.getByRole('button', { name: 'Create source and upload' }).click();
    await page.getByText('Upload finished').waitFor();
    expect(await page.getByTestId('rows-stored').textContent()).toBe('14');

    await page.getByRole('link', { name: 'All sources' }).click();
    await page.getByRole('link', { name: 'shop' }).waitFor();
    await look('sources');
  });

  it('sets a match rule on email, unifies, and finds a customer with identities from both sources', async () => {
    await page.getByRole('link', { name: 'Unification', exact: true }).click();
    await page.getByRole('button', { name: 'Add rule' }).click();
    // The suggested rule: email, normalized as an email address.
    expect(await page.getByLabel('Field of rule 1 condition 1').inputValue()).toBe('email');
    await page.getByRole('button', { name: 'Save unification rules' }).click();
    await page.getByText('Configuration saved').waitFor();
    await page.getByRole('button', { name: 'Run unification now' }).click();
    const figures = await waitForText(page, 'unification-figures', /customers/);
    // 24 CRM records + 14 shop records; 13 shop records share an email with the CRM.
    expect(figures).toContain('38 source records');
    expect(figures).toContain('25 customers');
    await look('unification');

    await page.getByRole('link', { name: 'Customers', exact: true }).click();
    await page
      .getByLabel('Search by email, name or customer ID')
      .fill(contacts[0].emailaddress1 ?? '');
    await page.getByRole('button', { name: 'Search' }).click();
    // The search has taken effect (before, the unfiltered list's rows were still there), then
    // its rows have come.
    await page.getByRole('button', { name: 'Clear' }).waitFor();
    await page.getByRole('row').nth(1).waitFor();
    expect(await page.getByRole('row').count()).toBe(2);
    await look('customers');
    await page.getByRole('row').nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: 'Identities (2)' }).waitFor();
    expect(await page.getByRole('link', { name: 'crm' }).count()).toBe(1);
    expect(await page.getByRole('link', { name: 'shop' }).count()).toBe(1);
    await look('customer');
  });

  it('builds a segment with the rule builder, with a live count', async () => {
    await page.getByRole('link', { name: 'Segments', exact: true }).click();
    await page.getByRole('link', { name: 'New segment' }).click();
    await page.getByLabel(/^Name/).fill('Big spenders');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Field of condition 1').selectOption('spend');
    await page.getByLabel('Operator of condition 1').selectOption('gte');
    await page.getByLabel('Value of condition 1').fill('300');
    // Spend 300.5 … 650.5 for shop rows 4–11 (8 contacts), and new0 with 900 (no contact id).
    expect(await waitForText(page, 'preview-count', /^9$/)).toBe('9');
    await look('segment');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByText('Segment created').waitFor();
    await page.getByRole('button', { name: 'Evaluate now' }).click();
    expect(await waitForText(page, 'segment-size', /^9$/)).toBe('9');
  });

  it('sets up Dynamics 365 Sales through the flow: server address, sign-in with a code, contact id, segments', async () => {
    await page.getByRole('link', { name: 'Export destinations' }).click();
    await page.getByText('No destinations yet').waitFor();
    await page.getByRole('link', { name: 'Set up Dynamics 365 Sales' }).click();
    await page.getByRole('heading', { name: 'Set up Dynamics 365 Sales' }).waitFor();

    await page.getByLabel(/^Display name/).fill('Sales (EU)');
    // The server address is checked as it is typed.
    const address = page.getByLabel(/^Server address/);
    await address.fill('contoso.crm4.dynamics.com');
    await page.getByText('Enter a full address').waitFor();
    expect(await address.getAttribute('aria-invalid')).toBe('true');
    await address.fill(emulator.url);
    expect(await address.getAttribute('aria-invalid')).toBeNull();

    await page.getByLabel('Sales account (Sign in with a code)').check();
    await page.getByLabel(/^Tenant id/).fill(emulator.tenantId);
    await page.getByLabel(/^Public client application id/).fill(emulator.clientId);
    await page.getByLabel(/^Sign-in host/).fill(emulator.url);
    await page
      .getByLabel(/^Customer field for the Dynamics 365 contact id/)
      .selectOption('contactId');
    // No box asks for the token cache: sign-in sets it.
    expect(await page.getByLabel(/token|Sign-in \(kept/i).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const code = (await page.getByTestId('device-code').textContent()) ?? '';
    expect(code).toMatch(/\S{6,}/);
    expect(await page.getByRole('link', { name: /devicelogin|device/ }).count()).toBe(1);
    await look('destination-sign-in');
    emulator.identity.approveDeviceCode(code.trim(), 'maria@contoso.example');
    await page.getByTestId('signed-in').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('signed-in').textContent()).toContain('maria@contoso.example');

    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByTestId('connection-test').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('connection-test').textContent()).toContain('Connection works');
    await look('destination-setup');

    await page.getByRole('button', { name: 'Next' }).click();
    const segment = page.getByLabel(/Big spenders — 9 members/);
    await segment.check();
    expect(await page.getByLabel(/^Mirror/).isChecked()).toBe(true);
    await look('destination-segments');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saving does not export').waitFor();
  });

  it('exports now, follows the run, and sees the members in the list and on the destinations page', async () => {
    await page.getByRole('button', { name: 'Export now' }).click();
    await page.getByRole('heading', { name: /Export run of Sales \(EU\)/ }).waitFor();
    expect(await waitForText(page, 'run-status', /succeeded|partial|failed/)).toContain(
      'succeeded',
    );
    // 9 members: 8 exported, 1 without a contact id.
    expect(await page.getByTestId('members-exported').textContent()).toBe('8 added, 0 removed');
    expect(await page.getByTestId('members-in-target').textContent()).toBe(
      '8 of 9 members (skipped 1, failed 0)',
    );
    await look('export-run');

    const lists = emulator.lists.all();
    expect(lists).toHaveLength(1);
    expect(lists[0].listname).toBe('Big spenders');
    const expected = contacts.slice(4, 12).map((c) => c.contactid);
    expect([...emulator.lists.members(lists[0].listid)].sort()).toEqual([...expected].sort());

    await page.getByRole('link', { name: 'Export destinations' }).click();
    const row = page.getByRole('row', { name: /Sales \(EU\)/ });
    await row.getByText('succeeded').waitFor();
    await row.locator('[data-testid^="members-exported-"]').filter({ hasText: /^8$/ }).waitFor();
    await look('destinations');
  });

  it('refreshes the whole pipeline from the Runs page and sees every stage', async () => {
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await page.getByRole('heading', { name: 'Refresh run' }).waitFor();
    expect(await waitForText(page, 'run-status', /succeeded|partial|failed/)).toContain(
      'succeeded',
    );
    await page.getByRole('heading', { name: 'Exports of this refresh' }).waitFor();
    await look('refresh-run');
    // The unchanged export made no change in Sales.
    expect(emulator.lists.all()).toHaveLength(1);

    // The Runs page lists both exports of the destination: "Export now" and the refresh's.
    await page.getByRole('link', { name: 'All runs' }).click();
    const exports = page.getByRole('table', { name: 'Export runs' });
    await exports.getByRole('row').nth(2).waitFor();
    expect(await exports.getByRole('row').count()).toBe(3);
    expect(await exports.getByRole('link', { name: 'Sales (EU)' }).count()).toBe(2);
    expect(await exports.getByText('refresh', { exact: true }).count()).toBe(1);

    await page.getByRole('link', { name: 'Schedule' }).click();
    await page.getByRole('heading', { name: 'Schedule' }).waitFor();
    await look('schedule');
    expect(b.pageErrors.filter((e) => !/status of (400|401|409)/.test(e))).toEqual([]);
  });

  it('refuses a server address outside the allowed hosts, next to the field', async () => {
    await page.goto('/destinations/new/dynamics365-sales');
    await page.getByLabel(/^Display name/).fill('Somewhere else');
    await page.getByLabel(/^Server address/).fill('https://intranet.corp.example');
    await page.getByLabel(/^Tenant id/).fill(emulator.tenantId);
    await page.getByLabel(/^Application \(client\) id/).fill(emulator.clientId);
    await page.getByLabel(/^Client secret/).fill('not-the-secret');
    await page
      .getByLabel(/^Customer field for the Dynamics 365 contact id/)
      .selectOption('contactId');
    await page.getByRole('button', { name: 'Next' }).click();
    const address = page.getByLabel(/^Server address/);
    await page.waitForFunction(
      (el) => el?.getAttribute('aria-invalid') === 'true',
      await address.elementHandle(),
    );
    const describedBy = (await address.getAttribute('aria-describedby')) ?? '';
    const errorId = describedBy.split(' ').find((id) => id.endsWith('-error')) ?? '';
    expect(await page.locator(`[id="${errorId}"]`).textContent()).toMatch(
      /intranet\.corp\.example/,
    );
    const destinations = (await t.api().get('/api/destinations').expect(200)).body;
    expect(destinations).toHaveLength(1);
  });

  it('shows a slow export live and cancels it', async () => {
    emulator.faults.addLatency(1500);
    try {
      await page.getByRole('link', { name: 'Export destinations' }).click();
      await page.getByRole('link', { name: 'Sales (EU)' }).click();
      await page.getByLabel(/re-checks everything/).check();
      await page.getByRole('button', { name: 'Export now' }).click();
      await waitForText(page, 'run-status', /running/);
      await page.getByText('(updates live)').waitFor();
      await page.getByRole('button', { name: 'Cancel run' }).click();
      expect(await waitForText(page, 'run-status', /canceled|succeeded|failed/)).toContain(
        'canceled',
      );
      expect(await page.getByRole('button', { name: 'Cancel run' }).count()).toBe(0);
    } finally {
      emulator.faults.addLatency(0);
    }
  });

  it('edits, disables and deletes the destination; the list stays in Sales', async () => {
    await page.getByRole('link', { name: 'Export destinations' }).click();
    await page.getByRole('link', { name: 'Sales (EU)' }).click();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('heading', { name: 'Edit Sales (EU)' }).waitFor();
    // The stored sign-in is kept: no secret has to be typed again.
    await page.getByTestId('signed-in').waitFor();
    await page.getByLabel(/^Display name/).fill('Sales (Europe)');
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await page.getByRole('checkbox', { name: /Big spenders/ }).isChecked()).toBe(true);
    await page.getByLabel(/^Additive/).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Destination saved.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Sales (Europe)' }).waitFor();
    await page.getByText('members are added, never removed').waitFor();

    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    await page.getByRole('link', { name: 'All destinations' }).click();
    await page
      .getByRole('row', { name: /Sales \(Europe\)/ })
      .getByText('disabled')
      .waitFor();

    await page.getByRole('link', { name: 'Sales (Europe)' }).click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText('No destinations yet').waitFor();
    expect(emulator.lists.all()).toHaveLength(1);
    expect(emulator.lists.members(emulator.lists.all()[0].listid)).toHaveLength(8);
  });
});
