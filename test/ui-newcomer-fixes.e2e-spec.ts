import { existsSync } from 'node:fs';
import type { Page, Response } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { csvFile, launchBrowser, signIn, type TestBrowser } from './support/browser';
import { closeAll } from './support/close-all';
import {
  registerMemoryDestination,
  MEMORY_TYPE,
  type MemoryTarget,
} from './support/memory-destination';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Issue 18: what misled a newcomer walking the admin UI, each fixed and checked in the browser.
 * People p0..p19: p0..p9 in group vip, p10..p19 in gold; every second one (p0, p2 … p18) has a
 * Sales contact id, so 5 of each group carry one.
 */
const contact = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const PEOPLE = Array.from({ length: 20 }, (_, i) => i);
const peopleFile = () =>
  csvFile('people.csv', [
    'contactid,Email,Name,Group',
    ...PEOPLE.map(
      (i) =>
        `${i % 2 === 0 ? contact(i) : ''},p${i}@example.com,Person ${i},${i < 10 ? 'vip' : 'gold'}`,
    ),
  ]);

/** The text of the element with this test id once it matches. */
async function textOf(page: Page, testId: string, pattern: RegExp): Promise<string> {
  const locator = page.getByTestId(testId);
  await locator.filter({ hasText: pattern }).first().waitFor({ timeout: 30_000 });
  return (await locator.first().textContent()) ?? '';
}

describe('admin UI: the newcomer fixes of issue 18', () => {
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let target: MemoryTarget;
  /** Every API answer of 400 or more the page received, as "status METHOD path". */
  const failures: string[] = [];

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    t = await startTestApp();
    target = registerMemoryDestination(t);
    b = await launchBrowser(t.url);
    page = b.page;
    page.on('response', (response: Response) => {
      const url = new URL(response.url());
      if (url.pathname.startsWith('/api/') && response.status() >= 400) {
        failures.push(`${response.status()} ${response.request().method()} ${url.pathname}`);
      }
    });
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t));

  it('CSV source: the key comes from the data, rejected rows warn and group, the edit form has dropdowns, upload from the source page', async () => {
    await page.goto('/sources/new');
    await page.getByLabel('CSV file').setInputFiles(peopleFile());
    // contactid is empty in half the rows: the filled, unique Email column is the default key.
    expect(await page.getByLabel(/^Primary key column/).inputValue()).toBe('Email');

    // Taking the sparse column anyway rejects half the rows: a warning with counts, one line per message.
    await page.getByLabel(/^Primary key column/).selectOption('contactid');
    await page.getByRole('button', { name: 'Create source and upload' }).click();
    await page.getByText('Upload finished').waitFor();
    const warning = page.getByTestId('rejected-warning');
    expect(await warning.textContent()).toMatch(/^10 of 20 rows were rejected \(50 %\)/);
    expect(await warning.getAttribute('class')).toContain('notice-warn');
    const rejected = page.getByRole('table').filter({ hasText: 'Problem' });
    expect(await rejected.getByRole('row').count()).toBe(2); // the header and one group
    expect(await rejected.getByRole('row').nth(1).textContent()).toMatch(
      /^lines 3, 5, 7, 9, 11 … \(10 lines\)empty primary key \(column "contactid"\)$/,
    );
    // The "created" banner is not a green success above that.
    expect(await page.locator('.notice-ok').count()).toBe(0);

    // The edit form offers the source's columns in dropdowns, as the creation form does.
    await page.getByRole('link', { name: 'Open the source' }).click();
    await page.getByRole('button', { name: 'Edit' }).click();
    const key = page.getByRole('combobox', { name: /^Primary key column/ });
    expect(await key.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(
      await page
        .getByRole('combobox', { name: 'Column of mapping 1' })
        .evaluate((el) => el.tagName),
    ).toBe('SELECT');
    await key.selectOption('Email');
    await page.getByRole('button', { name: 'Save source' }).click();
    await page.getByRole('form', { name: 'Edit source' }).waitFor({ state: 'detached' });

    // A new file without opening Edit: the button leads to the upload on the page.
    await page.getByRole('button', { name: 'Upload a new file' }).click();
    expect(await page.evaluate('document.activeElement.type')).toBe('file');
    await page.getByLabel('CSV file').setInputFiles(peopleFile());
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText('Upload finished').waitFor();
    const upload = page.getByRole('region', { name: 'Upload a file' });
    expect(await upload.getByTestId('rows-stored').textContent()).toBe('20');
    expect(await upload.getByTestId('rejected-warning').count()).toBe(0);
  });

  it('unification: unsaved rules are marked, a run refuses them until saved, leaving asks first', async () => {
    await page.goto('/unification');
    await page.getByRole('heading', { level: 1, name: 'Unification' }).waitFor();
    expect(await page.getByText('Unsaved changes.').count()).toBe(0);
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByText('Unsaved changes.').waitFor();

    // Run now would use the saved rules: it does not run, and offers to save first.
    await page.getByRole('button', { name: 'Run unification now' }).click();
    await page.getByRole('button', { name: 'Save and run' }).waitFor();
    expect((await t.api().get('/api/unification/status').expect(200)).body.lastRun).toBeNull();

    // Leaving asks; staying keeps the changes.
    const questions: string[] = [];
    page.once('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('link', { name: 'Segments', exact: true }).click();
    expect(questions).toEqual([expect.stringMatching(/unsaved changes/i)]);
    expect(new URL(page.url()).pathname).toBe('/unification');

    await page.getByRole('button', { name: 'Save and run' }).click();
    await page.getByText('Unification finished:').waitFor({ timeout: 30_000 });
    expect(await page.getByText('Unsaved changes.').count()).toBe(0);
    const saved = await t.api().get('/api/unification').expect(200);
    expect(saved.body.rules).toHaveLength(1);
    // Saved: leaving asks nothing.
    await page.getByRole('link', { name: 'Segments', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Segments' }).waitFor();
  });

  it('segment: no preview while a value is blank, the count says who has a Sales contact id, a new segment is evaluated', async () => {
    await page.goto('/segments/new');
    await page.getByLabel(/^Name/).fill('VIP');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Field of condition 1').selectOption('group');
    await page.getByText('Fill in every condition to count').waitFor();
    await page.getByLabel('Value of condition 1').fill('vip');
    expect(await textOf(page, 'preview-count', /^10$/)).toBe('10');
    // No destination yet: the field named like a contact id (contactId) is counted.
    expect(await textOf(page, 'preview-with-key', /5 of them/)).toMatch(
      /^5 of them have a Sales contact id \(field contactId\); 5 without one would be skipped/,
    );
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByText('Segment created with 10 members').waitFor();
    expect(await page.getByTestId('segment-size').textContent()).toBe('10');
    // No preview was refused while the condition was incomplete.
    expect(failures.filter((f) => f.includes('/api/segments/preview'))).toEqual([]);
  });

  it('set-up: focus moves to step 2, Cancel removes the draft, no segment needs a confirmation, nothing to export is a warning', async () => {
    const before = failures.length;
    const setUp = async () => {
      await page.goto('/destinations');
      await page.getByRole('link', { name: 'Set up Files (CSV or NDJSON)' }).click();
      await page.getByLabel(/^Display name/).fill('Files');
      await page.getByLabel(/^Folder/).fill('newcomer');
      await page.getByLabel('email (string)').check();
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByRole('heading', { name: 'Step 2: choose the segments' }).waitFor();
    };
    await setUp();
    expect(await page.evaluate('document.activeElement.textContent')).toBe(
      'Step 2: choose the segments',
    );
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.type')).toBe('checkbox');

    // Cancel after Next: the draft saved by Next goes.
    expect((await t.api().get('/api/destinations').expect(200)).body).toHaveLength(1);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByText('Set-up canceled: nothing was kept.').waitFor();
    expect((await t.api().get('/api/destinations').expect(200)).body).toHaveLength(0);

    // Save with no segment asks first.
    await setUp();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const confirm = page.locator('.notice-warn').filter({ hasText: 'No segment is chosen' });
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(/choose one or more segments/i);
    await page.getByRole('button', { name: 'Save without segments' }).click();
    await page.getByRole('heading', { level: 1, name: 'Files' }).waitFor();

    // Export now of nothing: a warning, no run, no green success.
    await page.getByRole('button', { name: 'Export now' }).click();
    const nothing = page.locator('.notice-warn').filter({ hasText: 'Nothing to export' });
    await nothing.waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/destinations\//);
    const [files] = (await t.api().get('/api/destinations').expect(200)).body as { id: string }[];
    expect(
      (await t.api().get(`/api/destinations/${files.id}/runs`).expect(200)).body.items,
    ).toEqual([]);

    // Deleted, it is not asked for again (no 404).
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { level: 1, name: 'Export destinations' }).waitFor();
    await page.getByText('No destinations yet').waitFor();
    expect(failures.slice(before)).toEqual([`409 POST /api/destinations/${files.id}/runs`]);
  });

  it('run record: waiting segments by name, progress in words, who started it, members exported as added', async () => {
    const segments = (await t.api().get('/api/segments').expect(200)).body as {
      id: string;
      name: string;
    }[];
    const vip = segments.find((s) => s.name === 'VIP')!.id;
    const gold = await t
      .api()
      .post('/api/segments', {
        name: 'Gold',
        rule: { all: [{ field: 'group', op: 'eq', value: 'gold' }] },
      })
      .expect(201);
    const created = await t
      .api()
      .post('/api/destinations', {
        type: MEMORY_TYPE,
        displayName: 'Memory',
        config: {
          apiKey: 'api-key-value-1',
          auth: {
            kind: 'clientCredentials',
            clientId: '6f1c2c43-2d1e-4e55-9a43-2a8a40f0c0de',
            clientSecret: 'client-secret-value-1',
          },
        },
        contactIdField: 'contactId',
        segmentIds: [vip, gold.body.id],
      })
      .expect(201);

    const gate = target.hold();
    await page.goto(`/destinations/${created.body.id}`);
    await page.getByRole('button', { name: 'Export now' }).click();
    await page.getByRole('heading', { name: 'Export run of Memory' }).waitFor();
    await gate.reached;
    expect(await textOf(page, 'run-trigger', /Export now/)).toBe('Export now (you)');
    await page.getByText('0 of 2 segments').waitFor();
    const goldRow = page.getByTestId(`segment-${gold.body.id as string}`);
    await goldRow.getByText('waiting: not started yet').waitFor();
    expect(await goldRow.getByRole('rowheader').textContent()).toMatch(/^Gold/);

    // The cancel must reach the server before the held batch goes on, or the run may finish.
    await Promise.all([
      page.waitForResponse((r) => /\/cancel$/.test(r.url()) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Cancel run' }).click(),
    ]);
    gate.release();
    expect(await textOf(page, 'run-status', /canceled/)).toContain('canceled');
    expect(await goldRow.getByRole('rowheader').textContent()).toMatch(/^Gold/);
    await goldRow.getByText('not started', { exact: true }).waitFor();
    expect(await page.getByText('deleted segment').count()).toBe(0);

    // Two more: the first lands the rest, the second changes nothing and says 0 added.
    for (let i = 0; i < 2; i++) {
      await page.getByRole('link', { name: 'Back to the destination' }).click();
      await page.getByRole('button', { name: 'Export now' }).click();
      expect(await textOf(page, 'run-status', /succeeded|partial|failed/)).toContain('succeeded');
    }
    expect(await page.getByTestId('members-exported').textContent()).toBe('0 added, 0 removed');
    expect(await page.getByTestId('members-in-target').textContent()).toBe(
      '10 of 20 members (skipped 10, failed 0)',
    );
    const runs = (await t.api().get(`/api/destinations/${created.body.id}/runs`).expect(200)).body
      .items as { trigger: string }[];
    expect(runs.map((r) => r.trigger)).toEqual(['ui', 'ui', 'ui']);
    expect(b.pageErrors.filter((e) => !/status of 409/.test(e))).toEqual([]);
  });
});
