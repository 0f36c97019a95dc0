import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { ExportRunView } from '@stages/destinations/export-run.view';
import { adminUiDir } from '@platform/ui/ui.module';
import { TestAudience, evaluate, type Person } from './support/audience-fixtures';
import { launchBrowser, signIn, type TestBrowser } from './support/browser';
import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';

async function waitForText(page: Page, testId: string, pattern: RegExp): Promise<string> {
  const locator = page.getByTestId(testId);
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout: 30_000 });
  return (await locator.first().textContent()) ?? '';
}

/**
 * Issue 16 in the admin UI: "Preview export" (the dry run) in the setup flow's last step and on
 * the destination page, and a wiped segment held by the removal limit, let go with Approve.
 */
describe('admin UI: preview an export, approve held removals', () => {
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let audience: TestAudience;
  let people: Person[];
  let segmentId: string;
  let destinationId: string;

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    t = await startTestApp();
    audience = new TestAudience(t);
    people = Array.from({ length: 30 }, (_, i) => ({
      id: `p${i}`,
      email: `p${i}@example.test`,
      groups: ['vip'],
    }));
    await audience.load(people);
    segmentId = await audience.segment('VIP', 'vip');
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'Files',
        config: { folder: 'ui-preview', fields: ['email'] },
      })
      .expect(201);
    destinationId = created.body.id as string;
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t));

  it('previews the export in the last step of the setup flow, writing nothing', async () => {
    await page.goto(`/destinations/${destinationId}/edit`);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByLabel(/VIP — 30 members/).check();
    // The removal limit is shown with its default; a bad value is refused beside its box.
    const percent = page.getByLabel('Hold above this share of a list (%)');
    expect(await percent.inputValue()).toBe('10');
    await percent.fill('150');
    await page.getByRole('button', { name: 'Preview export' }).click();
    await page.getByText('must be a number from 0 to 100, or null').first().waitFor();
    expect(await percent.getAttribute('aria-invalid')).toBe('true');
    await percent.fill('10');
    await page.getByRole('button', { name: 'Preview export' }).click();
    const row = page.getByTestId(`dry-run-${segmentId}`);
    await row.waitFor();
    expect(await row.getByTestId('to-add').textContent()).toBe('30');
    expect(await row.getByTestId('to-remove').textContent()).toBe('0');
    await row.getByText('ready', { exact: true }).waitFor();
    // The preview saved the choice of segments, and nothing was exported.
    const runs = await t.api().get(`/api/destinations/${destinationId}/runs`).expect(200);
    expect(runs.body.items).toEqual([]);
    // The skipped-members alert of notifications is set here too.
    await page.getByLabel('Alert when more than this share of members is skipped (%)').fill('25');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Destination saved').waitFor();
    const saved = await t.api().get(`/api/destinations/${destinationId}`).expect(200);
    expect(saved.body.skippedAlertPercent).toBe(25);
  });

  it('shows a wiped segment held on the destination page and lets it go with Approve', async () => {
    await page.getByRole('button', { name: 'Export now' }).click();
    expect(await waitForText(page, 'run-status', /succeeded|partial|failed/)).toContain(
      'succeeded',
    );

    // The source comes back without the group: the segment is empty.
    await audience.load(people.map((p) => ({ ...p, groups: [] })));
    await evaluate(t, segmentId);

    await page.goto(`/destinations/${destinationId}`);
    expect(await page.getByTestId('removal-limit').textContent()).toMatch(/10% of a list/);
    await page.getByRole('button', { name: 'Preview export' }).click();
    const row = page.getByTestId(`dry-run-${segmentId}`);
    await row.getByText('held', { exact: true }).waitFor();
    expect(await row.getByTestId('to-remove').textContent()).toBe('30');
    expect(await row.textContent()).toContain(
      'would remove 30 of 30 members (100%), over the limit of 10%',
    );

    await page.getByRole('button', { name: 'Export now' }).click();
    expect(await waitForText(page, 'run-status', /held|succeeded|failed/)).toContain('held');
    const held = page.getByTestId('held-segments');
    expect(await held.textContent()).toContain(
      'VIP: would remove 30 of 30 members (100%), over the limit of 10%',
    );
    const heldRunId = page.url().split('/').pop()!;

    // The destination page shows it too, with Approve.
    await page.goto(`/destinations/${destinationId}`);
    await page
      .getByTestId('held-segments')
      .getByRole('button', { name: 'Approve removals' })
      .click();
    expect(await waitForText(page, 'run-status', /succeeded|partial|failed/)).toContain(
      'succeeded',
    );
    expect(await page.getByTestId('members-exported').textContent()).toMatch(/30 removed/);
    expect(page.url()).not.toContain(heldRunId);

    const before = (await t.api().get(`/api/export-runs/${heldRunId}`).expect(200))
      .body as ExportRunView;
    expect(before.segments[0].hold?.approvedRunId).toBe(page.url().split('/').pop());
  });
});
