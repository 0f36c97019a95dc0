import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { csvFile, launchBrowser, signIn, type TestBrowser } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

/** The text of the error shown beside a control (its aria-describedby error element). */
async function errorBeside(page: Page, label: string | RegExp): Promise<string> {
  const control = page.getByLabel(label);
  await page.waitForFunction(
    (el) => el?.getAttribute('aria-invalid') === 'true',
    await control.elementHandle(),
  );
  const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(' ');
  const errorId = ids.find((id) => id.endsWith('-error'));
  if (!errorId) throw new Error(`no error is attached to ${String(label)}`);
  return (await page.locator(`[id="${errorId}"]`).textContent()) ?? '';
}

describe('admin UI: bad input gets a clear message next to the field', () => {
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    t = await startTestApp();
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t));

  it('source: columns mapped to one field, a type that clashes with another source, rejected lines', async () => {
    // A first source defines `score` as a number.
    await t
      .api()
      .post('/api/sources', {
        name: 'crm',
        type: 'csv',
        primaryKey: 'id',
        mapping: { score: { column: 'Score', type: 'number' } },
      })
      .expect(201);

    await page.goto('/sources/new');
    await page
      .getByLabel('CSV file')
      .setInputFiles(
        csvFile('shop.csv', [
          'id,Email,Mail 2,Score',
          '1,a@example.com,a2@example.com,ten',
          '2,b@example.com,,12',
          '2,c@example.com,,13',
          ',d@example.com,,14',
        ]),
      );
    // Email is the column filled and unique in every row: the default key. This source keys on id.
    expect(await page.getByLabel(/^Primary key column/).inputValue()).toBe('Email');
    await page.getByLabel(/^Primary key column/).selectOption('id');
    await page.getByLabel('Customer field for column Mail 2').fill('email');
    await page.getByRole('button', { name: 'Create source and upload' }).click();
    expect(await errorBeside(page, 'Customer field for column Mail 2')).toContain(
      'both map to email',
    );

    // The server refuses `score` as text: it is a number in source crm.
    await page.getByLabel('Customer field for column Mail 2').fill('');
    await page.getByLabel('Type of column Score').selectOption('string');
    await page.getByRole('button', { name: 'Create source and upload' }).click();
    const clash = await errorBeside(page, 'Customer field for column Score');
    expect(clash).toMatch(/crm/);
    expect(clash).toMatch(/number/);
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();

    // Fixed, it is created and the upload reports the rejected lines by number.
    await page.getByLabel('Type of column Score').selectOption('number');
    await page.getByRole('button', { name: 'Create source and upload' }).click();
    await page.getByText('Upload finished').waitFor();
    expect(await page.getByTestId('rows-stored').textContent()).toBe('1');
    expect(await page.getByTestId('rows-rejected').textContent()).toBe('3');
    const rejected = page.getByRole('table').filter({ hasText: 'Problem' });
    const text = (await rejected.textContent()) ?? '';
    expect(text).toMatch(/2.*ten/);
    expect(text).toMatch(/4.*duplicate/i);
    expect(text).toMatch(/5.*(empty|primary key)/i);

    // The source page lists what was stored: the one good row, by its key.
    await page.getByRole('link', { name: 'Open the source' }).click();
    const records = page.getByRole('region', { name: 'Records' });
    await records.getByRole('cell', { name: 'b@example.com' }).waitFor();
    expect(await records.getByRole('row').count()).toBe(2);
    expect(await records.getByRole('cell', { name: '2', exact: true }).count()).toBe(1);

    // Editing the mapping is checked the same way: the clash is shown on its row.
    await page.getByRole('button', { name: 'Edit' }).click();
    const fields = page.getByLabel(/^Customer field of mapping \d+$/);
    const values = await fields.evaluateAll((inputs) =>
      inputs.map((input) => (input as unknown as { value: string }).value),
    );
    const n = values.indexOf('score') + 1;
    expect(n).toBeGreaterThan(0);
    await page.getByLabel(`Type of mapping ${n}`).selectOption('string');
    await page.getByRole('button', { name: 'Save source' }).click();
    expect(await errorBeside(page, `Customer field of mapping ${n}`)).toMatch(/crm/);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('form', { name: 'Edit source' }).waitFor({ state: 'detached' });
  });

  it('upload: a large file shows its progress while it is sent', async () => {
    const lines = ['id,Email,Points'];
    for (let i = 0; i < 20_000; i++) lines.push(`big${i},big${i}@example.com,${i % 50}`);
    await page.goto('/sources/new');
    await page.getByLabel('CSV file').setInputFiles(csvFile('big.csv', lines));
    await page.getByLabel(/^Name/).fill('big');
    // Slow the browser's uploads down so the progress can be seen (about 2 s for 600 kB).
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 300 * 1024,
    });
    try {
      await page.getByRole('button', { name: 'Create source and upload' }).click();
      const progress = page.getByRole('progressbar', { name: 'Bytes uploaded' });
      await progress.waitFor();
      expect(Number(await progress.getAttribute('max'))).toBeGreaterThan(500_000);
      await page
        .getByText(/of \d{3},\d{3}/)
        .first()
        .waitFor();
      await page.getByText('Upload finished').waitFor({ timeout: 30_000 });
    } finally {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await cdp.detach();
    }
    expect(await page.getByTestId('rows-stored').textContent()).toBe('20,000');
  });

  it('segment: an invalid rule is explained beside the condition, and the live count follows the fix', async () => {
    // Customers from the source uploaded above (one with score 12).
    await t.api().post('/api/unification/run').expect(200);
    await page.goto('/segments/new');
    await page.getByLabel(/^Name/).fill('High scores');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Field of condition 1').selectOption('score');
    await page.getByLabel('Operator of condition 1').selectOption('gte');
    await page.getByLabel('Value of condition 1').fill('lots');
    expect(await errorBeside(page, 'Value of condition 1')).toMatch(/must be a number/);
    await page.getByText('The rule has problems').waitFor();

    await page.getByLabel('Value of condition 1').fill('10');
    await page.getByTestId('preview-count').filter({ hasText: /^1$/ }).waitFor();
    expect(await page.getByLabel('Value of condition 1').getAttribute('aria-invalid')).toBeNull();
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByText('Segment created').waitFor();
  });

  it('unification: a fuzzy rule without an exact condition is refused next to the rule', async () => {
    await page.goto('/unification');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel('Match of rule 1 condition 1').selectOption('fuzzy');
    await page.getByRole('button', { name: 'Save unification rules' }).click();
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/Rule 1/);
    const rule = page.getByRole('group', { name: /^Rule 1/ });
    expect(await rule.getByRole('alert').first().textContent()).toMatch(/exact/i);
  });

  it('schedule: an invalid cron expression and time zone are named', async () => {
    await page.goto('/schedule');
    await page.getByLabel(/^When/).fill('every day');
    await page.getByLabel(/^Time zone/).fill('Mars/Olympus');
    await page.getByRole('button', { name: 'Save schedule' }).click();
    // In the form's words: not the cron library's "Unknown alias: eve".
    expect(await errorBeside(page, /^When/)).toMatch(/"every" is not a month or weekday name/);
    expect(await errorBeside(page, /^When/)).not.toMatch(/alias/i);
    expect(await errorBeside(page, /^Time zone/)).toMatch(/Mars\/Olympus|time zone/i);
    // The summary names each field by its label and links to it.
    const summary = page.getByRole('alert').filter({ hasText: 'There is a problem' });
    await summary.getByRole('link', { name: /^When \(cron expression\):/ }).click();
    expect(await page.evaluate('document.activeElement.id')).toBe('f-cron');
  });

  it('file destination: a folder outside the allowed ones is refused beside the field', async () => {
    await page.goto('/destinations');
    await page.getByRole('link', { name: 'Set up Files (CSV or NDJSON)' }).click();
    await page.getByLabel(/^Display name/).fill('Files');
    await page.getByLabel(/^Folder/).fill('/etc');
    await page.getByLabel('email (string)').check();
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await errorBeside(page, /^Folder/)).toMatch(/EXPORT_FOLDERS|outside|not allowed/i);
    // Nothing was saved.
    expect((await t.api().get('/api/destinations').expect(200)).body).toHaveLength(0);
  });
});
