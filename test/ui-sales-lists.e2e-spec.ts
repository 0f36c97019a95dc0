import { DataverseRuntime, clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { segmentWithMembers } from './support/audience-fixtures';
import { launchBrowser, signIn, type TestBrowser } from './support/browser';
import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 18: the Sales list of each segment is named in the set-up flow (default: the segment's
 * name), or an existing static list is picked, and the export keeps exactly those lists — end to
 * end through the browser, the API, the database and the Dataverse emulator over HTTPS.
 */
describe('admin UI: choosing the Sales list of each segment', () => {
  let emu: EmulatorHandle;
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let contacts: string[];
  let existingList: string;

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    emu = await startEmulator({ contacts: 40 });
    contacts = emu.contacts.all(0, 40).map((c) => c.contactid);
    t = await startTestApp({
      env: { ALLOWED_HOSTS: new URL(emu.url).host, EXTRA_CA_CERTS: emu.caCertPath },
    });
    // A list kept by hand in Sales, holding one contact of the segment and one other.
    const runtime = new DataverseRuntime({
      allowedHosts: [new URL(emu.url).host],
      extraCaCertificates: [emu.caCertPem],
    });
    try {
      const sales = runtime.connect({ serverAddress: emu.url, auth: clientCredentialsAuth(emu) });
      await sales.post('lists', {
        listname: 'Newsletter (Sales)',
        createdfromcode: 2,
        type: false,
      });
      existingList = emu.lists.all().find((l) => l.listname === 'Newsletter (Sales)')!.listid;
      await sales.post(
        'AddListMembersList',
        {
          List: { listid: existingList, '@odata.type': 'Microsoft.Dynamics.CRM.list' },
          Members: [contacts[5], contacts[30]].map((contactid) => ({
            contactid,
            '@odata.type': 'Microsoft.Dynamics.CRM.contact',
          })),
        },
        { idempotent: true },
      );
    } finally {
      await runtime.close();
    }
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t, emu));

  it('names one list, picks an existing one for the other, and the export keeps exactly those', async () => {
    const spring = await segmentWithMembers(t, {
      name: 'Spring buyers',
      contactIds: contacts.slice(0, 5),
    });
    const news = await segmentWithMembers(t, {
      name: 'Newsletter',
      contactIds: contacts.slice(5, 10),
    });
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Sales',
        config: { serverAddress: emu.url, auth: clientCredentialsAuth(emu) },
        contactIdField: 'contactId',
        segmentIds: [],
        enabled: false,
      })
      .expect(201);
    const id = created.body.id as string;

    // The lists the target offers: the active static contact lists.
    const targets = await t.api().get(`/api/destinations/${id}/targets`).expect(200);
    expect(targets.body).toEqual([{ id: existingList, name: 'Newsletter (Sales)', members: 2 }]);

    await page.goto(`/destinations/${id}/edit`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('heading', { name: 'Step 2: choose the segments' }).waitFor();
    await page.getByLabel(/^Spring buyers — /).check();
    await page.getByLabel(/^Newsletter — /).check();
    // The name defaults to the segment's (shown as the placeholder); this one is given.
    const name = page.getByLabel(/^Sales list name for Spring buyers/);
    expect(await name.getAttribute('placeholder')).toBe('Spring buyers');
    await name.fill('Spring 2026');
    await page
      .getByLabel(/^Existing static list for Newsletter/)
      .selectOption({ label: 'Newsletter (Sales) (2 members)' });
    // With an existing list chosen, no name is asked for it.
    expect(await page.getByLabel(/^Sales list name for Newsletter/).count()).toBe(0);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Sales' }).waitFor();
    await page.getByText('as the list “Spring 2026”').waitFor();
    await page.getByText('to the existing list').waitFor();

    const saved = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(saved.body.config.lists).toEqual({
      [spring.segmentId]: { name: 'Spring 2026' },
      [news.segmentId]: { listId: existingList },
    });
    expect(saved.body.secrets['auth.clientSecret']).toBe('set');

    await page.getByRole('button', { name: 'Export now' }).click();
    await page.getByRole('heading', { name: 'Export run of Sales' }).waitFor();
    await page
      .getByTestId('run-status')
      .filter({ hasText: /succeeded|partial|failed/ })
      .waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('run-status').textContent()).toContain('succeeded');

    const lists = emu.lists.all();
    expect(lists.map((l) => l.listname).sort()).toEqual(['Newsletter (Sales)', 'Spring 2026']);
    const springList = lists.find((l) => l.listname === 'Spring 2026')!;
    expect(new Set(emu.lists.members(springList.listid))).toEqual(new Set(contacts.slice(0, 5)));
    // Mirror: the existing list now holds the segment; the contact added by hand there is removed.
    expect(new Set(emu.lists.members(existingList))).toEqual(new Set(contacts.slice(5, 10)));
    expect(b.pageErrors).toEqual([]);
  });
});
