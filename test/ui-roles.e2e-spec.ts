import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { TestAudience } from './support/audience-fixtures';
import { launchBrowser, type TestBrowser } from './support/browser';
import { closeAll } from './support/close-all';
import { MEMORY_TYPE, registerMemoryDestination } from './support/memory-destination';
import { roleClient } from './support/role-tokens';
import { startTestApp, type TestApp } from './support/test-app';

/** Buttons and links that create, change, delete or run something. */
const ACTIONS =
  /^(Edit|Delete|Disable|Enable|Export now|Test connection|Refresh now|Evaluate now|Read now|Upload.*|Run unification now|Save.*|Create.*|New segment|New CSV source|New Dataverse source|Set up.*|Cancel run|Sign in to .*)$/;

async function signInAs(page: Page, token: string, role: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await page.getByTestId('signed-in-as').filter({ hasText: role }).waitFor();
}

/** The action controls the page shows once its heading is there. */
async function actionsOn(page: Page, path: string, heading: string | RegExp): Promise<string[]> {
  await page.goto(path);
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
  await page.getByTestId('signed-in-as').waitFor();
  const controls = page
    .getByRole('button', { name: ACTIONS })
    .or(page.getByRole('link', { name: ACTIONS }));
  return controls.allInnerTexts();
}

describe('admin UI: what a role may do', () => {
  let t: TestApp;
  let b: TestBrowser;
  let pages: [string, string | RegExp][];

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    t = await startTestApp();
    registerMemoryDestination(t);
    const audience = new TestAudience(t);
    await audience.load([{ id: 'a', email: 'a@example.test', groups: ['vip'] }]);
    const segment = await audience.segment('VIP', 'vip');
    const destination = await t
      .api()
      .post('/api/destinations', {
        type: MEMORY_TYPE,
        displayName: 'Sales',
        config: {
          apiKey: 'k',
          auth: {
            kind: 'clientCredentials',
            clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
            clientSecret: 's',
          },
        },
        contactIdField: 'contactId',
        segmentIds: [segment],
      })
      .expect(201);
    const sources = (await t.api().get('/api/sources').expect(200)).body as { id: string }[];
    pages = [
      ['/', 'Overview'],
      ['/sources', 'Sources'],
      [`/sources/${sources[0].id}`, /^Source /],
      ['/segments', 'Segments'],
      [`/segments/${segment}`, 'Segment VIP'],
      ['/destinations', /destinations/i],
      [`/destinations/${destination.body.id as string}`, 'Sales'],
      ['/runs', 'Runs'],
      ['/schedule', 'Schedule'],
      ['/unification', /Unification/],
    ];
    b = await launchBrowser(t.url);
  });
  afterAll(() => closeAll(b, t));

  it('shows a viewer token no control that changes anything, and no tokens or audit pages', async () => {
    const { token } = await roleClient(t, 'viewer', 'Vera');
    await signInAs(b.page, token, 'viewer');
    const nav = b.page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allInnerTexts()).not.toEqual(
      expect.arrayContaining(['API tokens']),
    );
    expect(await nav.getByRole('link', { name: /API tokens|Audit log/ }).count()).toBe(0);
    for (const [path, heading] of pages) {
      expect([path, await actionsOn(b.page, path, heading)]).toEqual([path, []]);
    }
    // Forms show what is set, and change nothing.
    await actionsOn(b.page, '/schedule', 'Schedule');
    expect(await b.page.getByLabel('When (cron expression)').isDisabled()).toBe(true);
    expect(await b.page.getByLabel('Refresh on a schedule').isDisabled()).toBe(true);
  });

  it('shows an operator the run controls only', async () => {
    const { token } = await roleClient(t, 'operator', 'Otto');
    await b.page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(b.page, token, 'operator');
    expect(await actionsOn(b.page, '/', 'Overview')).toEqual(['Refresh now']);
    const onDestination = await actionsOn(b.page, pages[6][0], 'Sales');
    expect(onDestination).toEqual(['Export now']);
    expect(await actionsOn(b.page, pages[4][0], 'Segment VIP')).toEqual(['Evaluate now']);
  });

  it('shows an admin every control, and the tokens page shows a new token once', async () => {
    await b.page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(b.page, t.token, 'admin');
    for (const [path, heading] of pages.filter(([p]) => p !== '/runs' && p !== '/unification')) {
      expect([path, (await actionsOn(b.page, path, heading)).length]).not.toEqual([path, 0]);
    }
    await actionsOn(b.page, '/schedule', 'Schedule');
    expect(await b.page.getByLabel('When (cron expression)').isDisabled()).toBe(false);
    const page = b.page;
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'API tokens' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor();
    await page.getByLabel('Name').fill('From the UI');
    await page.getByLabel('Role').selectOption('operator');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = (await page.getByTestId('new-token').innerText()).trim();
    expect(shown).toMatch(/^as_/);
    await page.getByRole('row', { name: /From the UI/ }).waitFor();
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByText(shown).count()).toBe(0);
    page.once('dialog', (dialog) => void dialog.accept());
    await page
      .getByRole('row', { name: /From the UI/ })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await page.getByRole('row', { name: /From the UI/ }).waitFor({ state: 'detached' });

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
    await page
      .getByRole('row', { name: /delete.*api-token/ })
      .first()
      .waitFor();
    await page.getByLabel('Entity').fill('destination');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByRole('row', { name: /create.*destination/ }).waitFor();
    expect(await page.getByRole('row', { name: /api-token/ }).count()).toBe(0);
  });
});
