import {
  secretPaths,
  type ConfigSchema,
  type DestinationPlugin,
} from '@audience-sync/exporter-contract';
import { existsSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { PluginRegistry } from '@stages/destinations/plugin-registry';
import { adminUiDir } from '@platform/ui/ui.module';
import { launchBrowser, signIn, unlabelledControls, type TestBrowser } from './support/browser';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

/**
 * A destination type the admin UI has never seen, registered the way any plugin is: the "Set up"
 * form must come from its configuration schema alone (strings, formats, enums with labels,
 * numbers with bounds, booleans, customer-field lists, free lists, nested objects, `oneOf`
 * variants and secrets).
 */
const SCHEMA: ConfigSchema = {
  type: 'object',
  properties: {
    url: {
      type: 'string',
      format: 'uri',
      title: 'Endpoint URL',
      description: 'Where members are posted.',
      'x-placeholder': 'https://hooks.example.com/audience',
      'x-order': 1,
    },
    method: {
      type: 'string',
      title: 'HTTP method',
      enum: ['POST', 'PUT'],
      'x-enum-labels': ['POST (create)', 'PUT (replace)'],
      default: 'POST',
      'x-order': 2,
    },
    batchSize: {
      type: 'integer',
      title: 'Members per request',
      minimum: 1,
      maximum: 1000,
      default: 100,
      'x-order': 3,
    },
    fields: {
      type: 'array',
      title: 'Customer fields sent',
      items: { type: 'string' },
      minItems: 1,
      'x-customer-fields': true,
      'x-order': 4,
    },
    tags: { type: 'array', title: 'Tags', items: { type: 'string' }, 'x-order': 5 },
    signing: {
      type: 'object',
      title: 'Request signing',
      'x-order': 6,
      properties: { kind: { type: 'string', enum: ['none', 'hmac'], default: 'none' } },
      required: ['kind'],
      oneOf: [
        {
          type: 'object',
          title: 'No signature',
          properties: { kind: { const: 'none' } },
          additionalProperties: false,
        },
        {
          type: 'object',
          title: 'HMAC signature',
          description: 'Each request carries an X-Signature header.',
          properties: {
            kind: { const: 'hmac' },
            secret: { type: 'string', title: 'Signing secret', minLength: 8, 'x-secret': true },
          },
          required: ['kind', 'secret'],
          additionalProperties: false,
        },
      ],
    },
    dryRun: { type: 'boolean', title: 'Dry run (log only)', 'x-order': 7 },
  },
  required: ['url', 'fields', 'signing'],
  additionalProperties: false,
};

const webhook: DestinationPlugin = {
  description: {
    type: 'webhook-test',
    displayName: 'Webhook (test)',
    description: 'Posts members to an HTTPS endpoint (a test type unknown to the UI).',
    configSchema: SCHEMA,
    secretFields: secretPaths(SCHEMA),
    syncModes: ['mirror'],
    defaultSyncMode: 'mirror',
    memberKey: null,
    exportStyle: 'snapshot',
  },
  validateConfig: () => [],
  testConnection: () => Promise.resolve({ ok: true, message: 'Reached the endpoint.' }),
  exportSegment: () => Promise.reject(new Error('not used by this test')),
};

async function invalidMessage(page: Page, label: RegExp): Promise<string> {
  const control = page.getByLabel(label);
  await page.waitForFunction(
    (el) => el?.getAttribute('aria-invalid') === 'true',
    await control.elementHandle(),
  );
  const id = ((await control.getAttribute('aria-describedby')) ?? '')
    .split(' ')
    .find((x) => x.endsWith('-error'));
  return (await page.locator(`[id="${id ?? ''}"]`).textContent()) ?? '';
}

describe('admin UI: the setup form of a new destination type comes from its schema', () => {
  let t: TestApp;
  let b: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(`${adminUiDir()}/index.html`)) {
      throw new Error('The admin UI is not built: run "npm run build" first (npm test does it)');
    }
    t = await startTestApp();
    t.app.get(PluginRegistry).register(() => webhook);
    await t
      .api()
      .post('/api/sources', {
        name: 'crm',
        type: 'csv',
        primaryKey: 'id',
        mapping: { email: 'Email', firstName: 'First' },
      })
      .expect(201);
    b = await launchBrowser(t.url);
    page = b.page;
    await signIn(page, t.token);
  });
  afterAll(() => closeAll(b, t));

  it('renders, checks and saves every kind of property, and keeps the secret out of answers', async () => {
    await page.goto('/destinations');
    await page.getByRole('link', { name: 'Set up Webhook (test)' }).click();
    await page.getByLabel(/^Display name/).fill('Hook');

    // Defaults from the schema; labels from titles and enum labels.
    expect(await page.getByLabel(/^HTTP method/).inputValue()).toBe('POST');
    expect(
      await page
        .getByLabel(/^HTTP method/)
        .locator('option:checked')
        .textContent(),
    ).toBe('POST (create)');
    expect(await page.getByLabel(/^Members per request/).inputValue()).toBe('100');
    expect(await page.getByLabel(/^Endpoint URL/).getAttribute('placeholder')).toBe(
      'https://hooks.example.com/audience',
    );
    expect(await page.getByLabel('Signing secret').count()).toBe(0);
    expect(await unlabelledControls(page)).toEqual([]);

    // Checked as typed: format and bounds.
    await page.getByLabel(/^Endpoint URL/).fill('hooks.example.com');
    expect(await invalidMessage(page, /^Endpoint URL/)).toMatch(/full address/);
    await page.getByLabel(/^Members per request/).fill('5000');
    expect(await invalidMessage(page, /^Members per request/)).toMatch(/1000 or less/);

    // Required values are asked for on Next; nothing is saved while they are missing.
    await page.getByLabel(/^Endpoint URL/).fill('https://hooks.example.com/audience');
    await page.getByLabel(/^Members per request/).fill('250');
    await page.getByLabel('HMAC signature').check();
    await page.getByRole('button', { name: 'Next' }).click();
    expect(await invalidMessage(page, /^Signing secret/)).toMatch(/Enter a value/);
    await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
    expect((await t.api().get('/api/destinations').expect(200)).body).toHaveLength(0);

    // The server's own check (Ajv against the schema) lands beside the field too.
    await page.getByLabel(/^Signing secret/).fill('short');
    expect(await invalidMessage(page, /^Signing secret/)).toMatch(/at least 8/);
    await page.getByLabel(/^Signing secret/).fill('s3cret-value');
    await page.getByLabel('email (string)').check();
    await page.getByLabel('firstName (string)').check();
    await page.getByLabel(/^Tags/).fill('vip\nspring');
    await page.getByLabel(/^Dry run/).check();
    await page.getByLabel(/^HTTP method/).selectOption('PUT');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('form', { name: 'Segments' }).waitFor();
    // No segment is chosen here: saving asks first, then saves without.
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save without segments' }).click();
    await page.getByText('Destination saved').waitFor();

    const [saved] = (await t.api().get('/api/destinations').expect(200)).body;
    expect(saved.config).toEqual({
      url: 'https://hooks.example.com/audience',
      method: 'PUT',
      batchSize: 250,
      fields: ['email', 'firstName'],
      tags: ['vip', 'spring'],
      signing: { kind: 'hmac' },
      dryRun: true,
    });
    expect(saved.secrets).toEqual({ 'signing.secret': 'set' });
    expect(JSON.stringify(saved)).not.toContain('s3cret-value');
    await page.getByText('stored (encrypted, never shown)').waitFor();

    // Editing shows that a secret is stored; leaving it empty keeps it.
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.getByText('A value is stored').waitFor();
    expect(await page.getByLabel(/^Signing secret/).inputValue()).toBe('');
    await page.getByLabel(/^Members per request/).fill('300');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Save without segments' }).click();
    await page.getByText('Destination saved.').waitFor();
    const [edited] = (await t.api().get('/api/destinations').expect(200)).body;
    expect(edited.config.batchSize).toBe(300);
    expect(edited.secrets).toEqual({ 'signing.secret': 'set' });
  });
});
