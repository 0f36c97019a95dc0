import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { TestAudience } from './support/audience-fixtures';
import { launchBrowser, signIn, unlabelledControls, type TestBrowser } from './support/browser';
import { exportNow } from './support/export-run-wait';
import { MEMORY_TYPE, registerMemoryDestination } from './support/memory-destination';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const contact = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** Issue 16 in the admin UI: a run's members by outcome, search, CSV; "Why (not) on the list". */
describe('admin UI: the members of an export run and why a customer is (not) on the list', () => {
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let runId: string;
  let destinationId: string;
  let segmentId: string;

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    t = await startTestApp();
    const target = registerMemoryDestination(t);
    const audience = new TestAudience(t);
    // p0..p5 in "ui"; p2 has no contact id; p4's contact is unknown to the target.
    await audience.load(
      Array.from({ length: 6 }, (_, i) => ({
        id: `p${i}`,
        contactId: i === 2 ? undefined : contact(i),
        email: `p${i}@example.test`,
        groups: ['ui'],
      })),
    );
    segmentId = await audience.segment('UI members', 'ui');
    target.known = new Set([0, 1, 3, 5].map(contact));
    const created = await t
      .api()
      .post('/api/destinations', {
        type: MEMORY_TYPE,
        displayName: 'Memory list',
        config: {
          auth: { kind: 'clientCredentials', clientId: randomUUID(), clientSecret: 'secret-1' },
        },
        contactIdField: 'contactId',
        segmentIds: [segmentId],
      })
      .expect(201);
    destinationId = created.body.id;
    runId = (await exportNow(t, destinationId)).id;
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t));

  const rows = () => page.getByTestId('run-members').locator('tbody tr');
  /** Waits until the members table shows `n` rows (the page's CSP allows no evaluated strings). */
  const rowCount = async (n: number) => {
    for (let i = 0; (await rows().count()) !== n; i++) {
      if (i > 300) throw new Error(`the members table never showed ${n} rows`);
      await sleep(50);
    }
  };

  it("lists a run's members by outcome, searches them and downloads them as CSV", async () => {
    await page.goto(`/runs/export/${runId}`);
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    await rows().first().waitFor();
    expect(await rows().count()).toBe(6);

    await page.getByRole('tab', { name: 'Skipped' }).click();
    await rowCount(2);
    const skipped = await rows().allTextContents();
    expect(skipped.join('\n')).toMatch(/has no contactId/);
    expect(skipped.join('\n')).toMatch(/not found in the target/);

    await page.getByRole('tab', { name: 'All' }).click();
    await page.getByLabel('Customer or contact id').fill(contact(3));
    await page.getByRole('button', { name: 'Search' }).click();
    await rowCount(1);
    expect(await rows().first().textContent()).toContain(contact(3));
    expect(await rows().first().textContent()).toContain('added');

    await page.getByLabel('Customer or contact id').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('tab', { name: 'Added' }).click();
    await rowCount(4);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trim().split(/\r\n/);
    expect(lines[0]).toBe('segmentId,customerId,contactId,outcome,reason');
    expect(lines).toHaveLength(5);
    expect(lines.slice(1).every((l) => l.includes(',added,'))).toBe(true);
    expect(await unlabelledControls(page)).toEqual([]);
    expect(b.pageErrors).toEqual([]);
  });

  it('shows on the customer page why the customer is (not) on each list', async () => {
    const log = await t.api().get(`/api/export-runs/${runId}/members?contactId=${contact(4)}`);
    const customerId = log.body.items[0].customerId as string;
    await page.goto(`/customers/${customerId}`);
    await page.getByRole('heading', { name: 'Why (not) on the list' }).waitFor();
    const why = page.getByTestId(`why-${destinationId}-${segmentId}`);
    await why.waitFor();
    expect(await why.textContent()).toMatch(
      new RegExp(`^Not on the list: contact ${contact(4)} was not found in "Memory list"`),
    );
    await page.getByRole('link', { name: 'skipped' }).click();
    await page.getByRole('heading', { name: 'Members' }).waitFor();
    expect(page.url()).toContain(`/runs/export/${runId}`);
  });
});
