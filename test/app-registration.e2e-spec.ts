import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Db } from '@platform/database/db.service';
import { segmentWithMembers } from './support/audience-fixtures';
import { closeAll } from './support/close-all';
import { exportNow } from './support/export-run-wait';
import { roleClient } from './support/role-tokens';
import { startTestApp, type TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';

/**
 * Issue 18 item 4: the installation's one app registration. A destination that sets no ids signs
 * a person in at `organizations` (real MSAL over HTTPS against the emulator's Entra ID), learns
 * the tenant from the account and exports with it; the secret never leaves the server.
 */
describe('The installation app registration and one-click sign-in', () => {
  let emu: EmulatorHandle;
  let t: TestApp;
  let contacts: string[];
  const SECRET = 'installation-secret-value';
  const printed: string[] = [];
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: unknown, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
      restore.push(() => (stream.write = write));
    }
    emu = await startEmulator({ contacts: 20, deviceCodeIntervalSeconds: 1 });
    contacts = emu.contacts.all(0, 20).map((c) => c.contactid);
    t = await startTestApp({
      env: { ALLOWED_HOSTS: new URL(emu.url).host, EXTRA_CA_CERTS: emu.caCertPath },
    });
  });
  afterAll(() => closeAll(t, emu, ...restore));

  const authorityHost = () => new URL(emu.authority).origin;

  it('is set by an admin only, keeps the secret encrypted and never answers it', async () => {
    const empty = await t.api().get('/api/settings/app-registration').expect(200);
    expect(empty.body).toEqual({
      configured: false,
      clientId: null,
      tenantId: null,
      authorityHost: null,
      clientSecretSet: false,
    });
    const editor = await roleClient(t, 'editor');
    await editor.api.put('/api/settings/app-registration', { clientId: emu.clientId }).expect(403);

    const bad = await t
      .api()
      .put('/api/settings/app-registration', {
        clientId: 'not-a-guid',
        authorityHost: 'https://not-allowed.example',
      })
      .expect(400);
    expect(JSON.stringify(bad.body)).toMatch(/Application \(client\) id must be a GUID/);

    const host = await t
      .api()
      .put('/api/settings/app-registration', {
        clientId: emu.clientId,
        authorityHost: 'https://not-allowed.example',
      })
      .expect(400);
    expect(host.body.details).toEqual([
      { path: 'authorityHost', message: expect.stringMatching(/not-allowed\.example/) },
    ]);

    const set = await t
      .api()
      .put('/api/settings/app-registration', {
        clientId: emu.clientId,
        clientSecret: SECRET,
        authorityHost: authorityHost(),
      })
      .expect(200);
    expect(set.body).toEqual({
      configured: true,
      clientId: emu.clientId.toLowerCase(),
      tenantId: null,
      authorityHost: authorityHost(),
      clientSecretSet: true,
    });
    // Set again without the secret: kept (same app and host).
    const kept = await t
      .api()
      .put('/api/settings/app-registration', {
        clientId: emu.clientId,
        authorityHost: authorityHost(),
      })
      .expect(200);
    expect(kept.body.clientSecretSet).toBe(true);

    const audit = await t.api().get('/api/audit?entity=app-registration').expect(200);
    expect(audit.body.items.length).toBe(2);
    expect(audit.body.items[0]).toMatchObject({ action: 'update' });

    const everything = [
      JSON.stringify(set.body),
      JSON.stringify(kept.body),
      JSON.stringify((await t.api().get('/api/settings/app-registration')).body),
      JSON.stringify(audit.body),
      JSON.stringify((await t.api().get('/api/audit?limit=500')).body),
      printed.join(''),
    ].join('\n');
    expect(everything).not.toContain(SECRET);
    if (testDatabaseKind() === 'sqlite') {
      for (const file of readdirSync(t.dataDir).filter((f) => f.includes('.sqlite'))) {
        expect(readFileSync(join(t.dataDir, file)).includes(Buffer.from(SECRET))).toBe(false);
      }
    } else {
      const rows = await t.app.get(Db).query<{ value: string }>('SELECT value FROM app_setting');
      expect(rows.map((r) => r.value).join('\n')).not.toContain(SECRET);
    }
  });

  it('signs a person in at organizations with no ids on the destination, learns the tenant, exports', async () => {
    const { segmentId } = await segmentWithMembers(t, {
      name: 'One-click export',
      contactIds: contacts.slice(0, 12),
    });
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Sales, one click',
        config: { serverAddress: emu.url, auth: { kind: 'delegated' } },
        contactIdField: 'contactId',
        segmentIds: [segmentId],
      })
      .expect(201);
    const id = created.body.id as string;
    expect(created.body.config.auth).toEqual({ kind: 'delegated' });

    const started = await t.api().post(`/api/destinations/${id}/sign-in`);
    expect(started.status).toBeLessThan(300);
    emu.identity.approveDeviceCode(started.body.userCode as string, 'marketer@contoso.example');
    let view: { signIn: { status: string; user?: { tenantId?: string } } } | undefined;
    for (let i = 0; i < 400; i++) {
      view = (await t.api().get(`/api/destinations/${id}`).expect(200)).body;
      if (view?.signIn.status !== 'pending') break;
      await sleep(25);
    }
    expect(view?.signIn).toMatchObject({
      status: 'signed-in',
      user: { username: 'marketer@contoso.example', tenantId: emu.tenantId },
    });

    // Later calls use the learned tenant: a test, an export, and one after the tokens expired.
    expect((await t.api().post(`/api/destinations/${id}/test`).expect(200)).body.ok).toBe(true);
    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(new Set(emu.lists.members(run.segments[0].target!.id))).toEqual(
      new Set(contacts.slice(0, 12)),
    );
    emu.faults.expireAllTokens();
    expect((await t.api().post(`/api/destinations/${id}/test`).expect(200)).body.ok).toBe(true);
  });

  it('lets an application destination use the installation secret; its own ids still win', async () => {
    await t
      .api()
      .put('/api/settings/app-registration', {
        clientId: emu.clientId,
        tenantId: emu.tenantId,
        clientSecret: emu.clientSecret,
        authorityHost: authorityHost(),
      })
      .expect(200);
    const app = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Sales as the installation app',
        config: { serverAddress: emu.url, auth: { kind: 'clientCredentials' } },
        contactIdField: 'contactId',
      })
      .expect(201);
    expect((await t.api().post(`/api/destinations/${app.body.id}/test`).expect(200)).body.ok).toBe(
      true,
    );
    const own = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Sales with its own ids',
        config: {
          serverAddress: emu.url,
          auth: {
            kind: 'clientCredentials',
            tenantId: emu.tenantId,
            clientId: emu.clientId,
            clientSecret: 'a-wrong-own-secret',
            authorityHost: authorityHost(),
          },
        },
        contactIdField: 'contactId',
      })
      .expect(201);
    const test = await t.api().post(`/api/destinations/${own.body.id}/test`).expect(200);
    expect(test.body).toMatchObject({ ok: false, message: expect.stringMatching(/secret/i) });

    // The installation's secret is in no answer about destinations or the registration.
    const answers = await Promise.all(
      [
        '/api/destinations',
        `/api/destinations/${app.body.id}`,
        '/api/settings/app-registration',
      ].map(async (path) => JSON.stringify((await t.api().get(path).expect(200)).body)),
    );
    for (const answer of answers) expect(answer).not.toContain(emu.clientSecret);
  });

  it('reads a Dataverse source that sets no ids with the installation registration', async () => {
    const created = await t
      .api()
      .post('/api/sources', {
        name: 'Sales contacts, no ids',
        type: 'dataverse',
        primaryKey: 'contactid',
        mapping: { contactId: 'contactid', email: 'emailaddress1' },
        options: { serverAddress: emu.url, auth: { kind: 'clientCredentials' } },
      })
      .expect(201);
    expect(created.body.options.auth).toEqual({ kind: 'clientCredentials' });
    expect(created.body.secrets).toEqual({ 'auth.clientSecret': 'not set' });
    const read = await t.api().post(`/api/sources/${created.body.id}/ingest`).expect(200);
    expect(read.body).toMatchObject({ status: 'succeeded', rowsStored: 20 });

    // A client secret of its own needs its own client id.
    const mixed = await t
      .api()
      .post('/api/sources', {
        name: 'Sales contacts, half ids',
        type: 'dataverse',
        primaryKey: 'contactid',
        mapping: { contactId: 'contactid' },
        options: {
          serverAddress: emu.url,
          auth: { kind: 'clientCredentials', clientSecret: 'x' },
        },
      })
      .expect(400);
    expect(mixed.body.details).toContainEqual({
      path: 'options.auth.clientId',
      message: expect.stringMatching(/^Application \(client\) id is required/),
    });
  });

  it('refuses a destination without ids once the registration is removed, naming the field', async () => {
    await t.api().delete('/api/settings/app-registration').expect(204);
    const res = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Sales without any ids',
        config: { serverAddress: emu.url, auth: { kind: 'delegated' } },
        contactIdField: 'contactId',
      })
      .expect(400);
    expect(res.body.details).toContainEqual({
      path: 'config.auth.clientId',
      message: expect.stringMatching(/^Application \(client\) id is required.*Settings/),
    });
    const source = await t
      .api()
      .post('/api/sources', {
        name: 'Sales contacts without any ids',
        type: 'dataverse',
        primaryKey: 'contactid',
        mapping: { contactId: 'contactid' },
        options: { serverAddress: emu.url, auth: { kind: 'clientCredentials' } },
      })
      .expect(400);
    expect(source.body.details).toContainEqual({
      path: 'options.auth.clientId',
      message: expect.stringMatching(/^Application \(client\) id is required.*Settings/),
    });
  });
});
