import { clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Db } from '@platform/database/db.service';
import { segmentWithMembers } from './support/audience-fixtures';
import { exportNow } from './support/export-run-wait';
import { startTestApp, type TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';
import { closeAll } from './support/close-all';

/**
 * The "Sign in" of issue 5: a delegated Dynamics 365 Sales destination signs a person in with a
 * device code (through MSAL against the emulator's Entra ID), keeps the token cache as an
 * encrypted secret and exports as that person.
 */
describe('Dynamics 365 Sales: device-code sign-in through the API', () => {
  let emu: EmulatorHandle;
  /** Another organization the app may reach, for a destination moved to it. */
  let other: EmulatorHandle;
  let t: TestApp;
  let contacts: string[];
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
    emu = await startEmulator({ contacts: 50, deviceCodeIntervalSeconds: 1 });
    other = await startEmulator({ contacts: 5, seed: 2 });
    contacts = emu.contacts.all(0, 50).map((c) => c.contactid);
    t = await startTestApp({
      env: {
        ALLOWED_HOSTS: `${new URL(emu.url).host},${new URL(other.url).host}`,
        EXTRA_CA_CERTS: `${emu.caCertPath},${other.caCertPath}`,
      },
    });
    // The customer field contactId (the destinations' contactIdField), whatever test runs first.
    await segmentWithMembers(t, { name: 'Any contact', contactIds: contacts.slice(0, 1) });
  });
  afterAll(() => closeAll(t, emu, other, ...restore));

  async function delegatedDestination(name: string, segmentIds: string[] = []): Promise<string> {
    const res = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: name,
        config: {
          serverAddress: emu.url,
          auth: {
            kind: 'delegated',
            tenantId: emu.tenantId,
            clientId: emu.clientId,
            authorityHost: new URL(emu.authority).origin,
          },
        },
        contactIdField: 'contactId',
        segmentIds,
      })
      .expect(201);
    return res.body.id as string;
  }

  async function signInState(id: string, until: (status: string) => boolean) {
    for (let i = 0; i < 400; i++) {
      const res = await t.api().get(`/api/destinations/${id}`).expect(200);
      if (res.body.signIn && until(res.body.signIn.status as string)) return res.body;
      await sleep(25);
    }
    throw new Error('the sign-in did not finish');
  }

  it('signs in with a device code, shows who signed in, and exports as that person', async () => {
    const { segmentId } = await segmentWithMembers(t, {
      name: 'Signed-in export',
      contactIds: contacts.slice(0, 30),
      withoutContactId: 2,
    });
    const id = await delegatedDestination('Sales as a person', [segmentId]);
    const before = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(before.body.secrets).toEqual({
      'auth.clientSecret': 'not set',
      'auth.tokenCache': 'not set',
    });
    const untested = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(untested.body).toMatchObject({
      ok: false,
      message: expect.stringMatching(/No one has signed in yet/),
    });

    const started = await t.api().post(`/api/destinations/${id}/sign-in`);
    expect(started.status).toBeLessThan(300);
    expect(started.body).toMatchObject({
      status: 'pending',
      userCode: expect.any(String),
      verificationUri: expect.stringMatching(/^https:\/\//),
      message: expect.stringContaining(started.body.userCode as string),
    });
    const pending = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(pending.body.signIn).toMatchObject({
      status: 'pending',
      userCode: started.body.userCode,
    });

    emu.identity.approveDeviceCode(started.body.userCode as string, 'seller@contoso.example');
    const signedIn = await signInState(id, (s) => s !== 'pending');
    expect(signedIn.signIn).toMatchObject({
      status: 'signed-in',
      user: { username: 'seller@contoso.example' },
    });
    expect(signedIn.secrets['auth.tokenCache']).toBe('set');
    expect(signedIn.config.auth).not.toHaveProperty('tokenCache');
    expect(JSON.stringify(signedIn)).not.toMatch(/RefreshToken|refresh_token|AccessToken/);

    const test = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(test.body.ok).toBe(true);

    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(run.segments[0]).toMatchObject({ added: 30, skippedNoKey: 2 });
    expect(new Set(emu.lists.members(run.segments[0].target!.id))).toEqual(
      new Set(contacts.slice(0, 30)),
    );

    // The token cache (refresh token inside) is stored encrypted: its JSON never appears.
    if (testDatabaseKind() === 'sqlite') {
      for (const file of readdirSync(t.dataDir).filter((f) => f.includes('.sqlite'))) {
        expect(readFileSync(join(t.dataDir, file)).includes(Buffer.from('RefreshToken'))).toBe(
          false,
        );
      }
    } else {
      const rows = await t.app
        .get(Db)
        .query<{ row: string }>('SELECT CAST(d.* AS text) AS row FROM destination d');
      expect(rows.map((r) => r.row).join('\n')).not.toContain('RefreshToken');
    }
  });

  it('shows a declined sign-in as failed, in words', async () => {
    const id = await delegatedDestination('Declined sign-in');
    const started = await t.api().post(`/api/destinations/${id}/sign-in`);
    expect(started.status).toBeLessThan(300);
    emu.identity.declineDeviceCode(started.body.userCode as string);
    const failed = await signInState(id, (s) => s !== 'pending');
    expect(failed.signIn).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/declined/),
    });
    expect(failed.secrets['auth.tokenCache']).toBe('not set');
  });

  /** The delegated configuration of `delegatedDestination`, moved to the other organization. */
  const movedConfig = () => ({
    serverAddress: other.url,
    auth: {
      kind: 'delegated',
      tenantId: emu.tenantId,
      clientId: emu.clientId,
      authorityHost: new URL(emu.authority).origin,
    },
  });

  it('drops the sign-in when the server address changes: its refresh token goes nowhere else', async () => {
    const id = await delegatedDestination('Moved after sign-in');
    const started = await t.api().post(`/api/destinations/${id}/sign-in`);
    emu.identity.approveDeviceCode(started.body.userCode as string, 'seller@contoso.example');
    const signedIn = await signInState(id, (s) => s !== 'pending');
    expect(signedIn.secrets['auth.tokenCache']).toBe('set');
    other.resetStats();

    const moved = await t
      .api()
      .put(`/api/destinations/${id}`, { config: movedConfig() })
      .expect(200);
    expect(moved.body.secrets['auth.tokenCache']).toBe('not set');
    expect(moved.body.signIn).toBeNull();
    const test = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(test.body).toMatchObject({
      ok: false,
      message: expect.stringMatching(/No one has signed in yet/),
    });
    expect(other.stats().totals.count).toBe(0);
  });

  it('does not keep a sign-in that completes after the server address changed', async () => {
    const id = await delegatedDestination('Moved during sign-in');
    const started = await t.api().post(`/api/destinations/${id}/sign-in`);
    expect(started.status).toBeLessThan(300);
    await t.api().put(`/api/destinations/${id}`, { config: movedConfig() }).expect(200);
    emu.identity.approveDeviceCode(started.body.userCode as string, 'seller@contoso.example');
    // The sign-in completes (MSAL polls the emulator) and its storing is refused.
    for (
      let i = 0;
      !printed.join('').includes(`Destination ${id}: could not store the sign-in`);
      i++
    ) {
      if (i > 600) throw new Error('no refused sign-in was logged');
      await sleep(25);
    }
    expect(printed.join('')).toMatch(
      new RegExp(
        `Destination ${id}: could not store the sign-in: the server or sign-in host of the destination changed during the sign-in: sign in again`,
      ),
    );
    const after = await t.api().get(`/api/destinations/${id}`).expect(200);
    expect(after.body.secrets['auth.tokenCache']).toBe('not set');
    expect(after.body.signIn).toBeNull();
  });

  it('refuses a sign-in for a destination that uses an application secret', async () => {
    const res = await t
      .api()
      .post('/api/destinations', {
        type: 'dynamics365-sales',
        displayName: 'Application',
        config: {
          serverAddress: emu.url,
          auth: clientCredentialsAuth(emu),
        },
        contactIdField: 'contactId',
      })
      .expect(201);
    const refused = await t.api().post(`/api/destinations/${res.body.id as string}/sign-in`);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/application \(client secret\)/);
  });
});
