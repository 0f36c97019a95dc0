import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { adminUiDir } from '@platform/ui/ui.module';
import { launchBrowser, screenshot, signIn, type TestBrowser } from './support/browser';
import { WebhookListener } from './support/notification-receivers';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const SECRET = 'browser-test-secret-0123456789';

describe('admin UI: the Notifications page', () => {
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;
  let hook: WebhookListener;

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    hook = await new WebhookListener().start();
    t = await startTestApp({
      env: { NOTIFY_ALLOWED_HOSTS: '127.0.0.1', NOTIFY_RETRY_BASE_MS: '300' },
    });
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t, hook));

  it('creates a webhook channel, refuses a private address beside the field, sends a test and shows deliveries', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Notifications' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    await page.getByText('No channels yet').waitFor();

    await page.getByLabel('Name').fill('Ops hook');
    await page.getByLabel('Webhook URL').fill('https://10.0.0.5/hook');
    await page.getByLabel('Signing secret').fill(SECRET);
    await page.getByLabel(/An export works again after a failure/).check();
    await page.getByRole('button', { name: 'Create channel' }).click();
    const urlError = page.locator('#f-url-error');
    await urlError.waitFor();
    expect(await urlError.textContent()).toMatch(
      /10\.0\.0\.5 is a loopback, private or link-local address/,
    );

    await page.getByLabel('Webhook URL').fill(`${hook.url}/ui`);
    await page.getByRole('button', { name: 'Create channel' }).click();
    await page.getByText('Channel "Ops hook" created.').waitFor();
    const row = page.getByRole('row', { name: /Ops hook/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('run.failed, run.partial, run.recovered');
    expect(await row.textContent()).toContain('secret set');
    expect(await page.content()).not.toContain(SECRET);

    await page.getByRole('button', { name: 'Send a test message to Ops hook' }).click();
    await page.getByText('Test message delivered.').waitFor();
    const deliveries = page.getByRole('region', { name: 'Deliveries of Ops hook' });
    await deliveries.getByRole('cell', { name: 'delivered' }).first().waitFor();
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0];
    expect(got.headers['x-audience-sync-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`,
    );

    // A refused delivery shows its error, then the retry lands.
    hook.answerNext(500);
    await page.getByRole('button', { name: 'Send a test message to Ops hook' }).click();
    await page.getByText(/The test message was not delivered: the webhook answered 500/).waitFor();
    const rows = deliveries.locator('tbody tr');
    // The panel refreshes itself while a delivery is pending.
    for (let i = 0; i < 200; i++) {
      const texts = await rows.allTextContents();
      if (texts.length === 2 && texts.every((x) => x.includes('delivered'))) break;
      await page.waitForTimeout(50);
    }
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toMatch(/test.*delivered2200/);
    await screenshot(page, 'notifications');
    // The one error logged is the browser's note of the refused (400) request above.
    expect(b.pageErrors).toEqual([expect.stringMatching(/status of 400/)]);
  });
});
