import { clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { REAL_LIMITS, startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Db } from '@platform/database/db.service';
import { startTestApp, type TestApp } from './support/test-app';
import { testDatabaseKind } from './support/test-database';
import { closeAll } from './support/close-all';

/**
 * Issue 6: Dataverse contacts as a source, end to end. The real app (HTTP API, database) reads
 * the Dataverse emulator over HTTPS, signing in with real MSAL; the app trusts the emulator only
 * through EXTRA_CA_CERTS and ALLOWED_HOSTS, as an operator would configure it.
 */

const CONTACTS = 5200;

interface StoredRecord {
  key: string;
  fields: Record<string, unknown>;
  raw: Record<string, string>;
  lastModified: string | null;
}

describe('Dataverse contacts source through the API (emulator over HTTPS, real MSAL)', () => {
  let emu: EmulatorHandle;
  /** Another organization the app may reach: where a hostile link leads. */
  let other: EmulatorHandle;
  let t: TestApp;
  const printed: string[] = [];
  const restore: Array<() => void> = [];
  let named = 0;

  beforeAll(async () => {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = (chunk: unknown, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      };
      restore.push(() => (stream.write = write));
    }
    emu = await startEmulator({ contacts: CONTACTS });
    other = await startEmulator({ contacts: 10, seed: 2 });
    t = await startTestApp({
      env: {
        LOG_LEVEL: 'verbose',
        ALLOWED_HOSTS: `${new URL(emu.url).host},${new URL(other.url).host}`,
        EXTRA_CA_CERTS: `${emu.caCertPath},${other.caCertPath}`,
      },
    });
  });
  afterAll(() => closeAll(t, emu, other, ...restore));
  beforeEach(() => {
    emu.faults.clear();
    emu.faults.addLatency(0);
    emu.limits.set(REAL_LIMITS);
  });

  const auth = (overrides: Record<string, unknown> = {}) => ({
    ...clientCredentialsAuth(emu),
    ...overrides,
  });

  const MAPPING = {
    contactId: 'contactid',
    email: 'emailaddress1',
    firstName: 'firstname',
    lastName: 'lastname',
    city: 'address1_city',
    active: { column: 'statecode', type: 'number' },
  };

  function definition(
    overrides: Record<string, unknown> = {},
    options: Record<string, unknown> = {},
  ) {
    named += 1;
    return {
      name: `Sales contacts ${named}`,
      type: 'dataverse',
      primaryKey: 'contactid',
      mapping: MAPPING,
      lastModifiedColumn: 'modifiedon',
      options: {
        serverAddress: emu.url,
        auth: auth(),
        table: 'contacts',
        columns: ['telephone1'],
        ...options,
      },
      ...overrides,
    };
  }

  async function createSource(
    overrides: Record<string, unknown> = {},
    options: Record<string, unknown> = {},
  ): Promise<string> {
    const res = await t.api().post('/api/sources', definition(overrides, options));
    if (res.status !== 201) throw new Error(`create source: ${JSON.stringify(res.body)}`);
    return res.body.id as string;
  }

  async function records(id: string): Promise<Map<string, StoredRecord>> {
    const out = new Map<string, StoredRecord>();
    let after: string | null = '';
    while (after !== null) {
      const res: { body: { items: StoredRecord[]; next: string | null } } = await t
        .api()
        .get(`/api/sources/${id}/records?limit=1000${after ? `&after=${after}` : ''}`)
        .expect(200);
      for (const r of res.body.items) out.set(r.key, r);
      after = res.body.next;
    }
    return out;
  }

  /** The records a full read of the emulator's contacts must give. */
  function expected(): Map<string, StoredRecord> {
    const out = new Map<string, StoredRecord>();
    for (const c of emu.contacts.all(0, emu.contacts.count())) {
      const fields: Record<string, unknown> = { contactId: c.contactid, active: c.statecode };
      if (c.emailaddress1) fields.email = c.emailaddress1;
      if (c.firstname) fields.firstName = c.firstname;
      if (c.lastname) fields.lastName = c.lastname;
      if (c.address1_city) fields.city = c.address1_city;
      const raw: Record<string, string> = { modifiedon: c.modifiedon.replace(/\.\d{3}Z$/, 'Z') };
      if (c.telephone1) raw.telephone1 = c.telephone1;
      out.set(c.contactid, {
        key: c.contactid,
        fields,
        raw,
        // The Web API writes date-times to the second.
        lastModified: c.modifiedon.replace(/\.\d{3}Z$/, '.000Z'),
      });
    }
    return out;
  }

  const ingest = (id: string) => t.api().post(`/api/sources/${id}/ingest`);
  const endpointCount = (name: string) => emu.stats().endpoints[name]?.count ?? 0;

  /** Waits until Dataverse has answered `pages` pages of contacts, then runs `then`. */
  async function afterPages(pages: number, then: () => void): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (
      endpointCount('GET /contacts') + endpointCount('GET /contacts (delta)') < pages &&
      Date.now() < deadline
    ) {
      await sleep(5);
    }
    then();
  }

  describe('definition', () => {
    it('stores the client secret encrypted and never returns or logs it', async () => {
      const created = await t.api().post('/api/sources', definition()).expect(201);
      const id = created.body.id as string;
      expect(created.body).toMatchObject({
        type: 'dataverse',
        primaryKey: 'contactid',
        secrets: { 'auth.clientSecret': 'set' },
        options: {
          serverAddress: emu.url,
          table: 'contacts',
          columns: ['telephone1'],
          pageSize: 5000,
          auth: {
            kind: 'clientCredentials',
            tenantId: emu.tenantId,
            clientId: emu.clientId,
          },
        },
      });
      expect(created.body.options.auth).not.toHaveProperty('clientSecret');
      await ingest(id).expect(200);
      for (const path of ['/api/sources', `/api/sources/${id}`]) {
        const res = await t.api().get(path).expect(200);
        expect(JSON.stringify(res.body)).not.toContain(emu.clientSecret);
      }
      const row = (
        await t.app
          .get(Db)
          .query<{ options: unknown; secrets: string }>(
            'SELECT options, secrets FROM source WHERE id = ?',
            [id],
          )
      )[0];
      expect(JSON.stringify(row.options)).not.toContain(emu.clientSecret);
      expect(row.secrets).toMatch(/^enc:v1:/);
      expect(row.secrets).not.toContain(emu.clientSecret);

      const logs = printed.join('');
      expect(logs).toContain(`source "${created.body.name as string}"`);
      expect(logs).not.toContain(emu.clientSecret);
      expect(logs).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/); // no JWT (access token)
      if (testDatabaseKind() === 'sqlite') {
        const files = readdirSync(t.dataDir).filter((f) => f.includes('.sqlite'));
        expect(files.length).toBeGreaterThan(0);
        for (const file of files) {
          expect(readFileSync(join(t.dataDir, file)).includes(Buffer.from(emu.clientSecret))).toBe(
            false,
          );
        }
      } else {
        const rows = await t.app
          .get(Db)
          .query<{ row: string }>('SELECT CAST(s.* AS text) AS row FROM source s');
        expect(rows.map((r) => r.row).join('\n')).not.toContain(emu.clientSecret);
      }
    });

    it('keeps the stored secret on update unless the application changes', async () => {
      const id = await createSource();
      const { options } = (await t.api().get(`/api/sources/${id}`).expect(200)).body;
      const renamed = await t
        .api()
        .put(`/api/sources/${id}`, {
          name: `Renamed ${id}`,
          options: { ...options, pageSize: 2000 },
        })
        .expect(200);
      expect(renamed.body.secrets).toEqual({ 'auth.clientSecret': 'set' });
      expect(renamed.body.options.pageSize).toBe(2000);
      const read = await ingest(id).expect(200);
      expect(read.body).toMatchObject({ status: 'succeeded', rowsStored: emu.contacts.count() });

      const otherApp = await t
        .api()
        .put(`/api/sources/${id}`, {
          options: {
            ...options,
            auth: { ...options.auth, clientId: '11111111-2222-3333-4444-555555555555' },
          },
        })
        .expect(400);
      expect(otherApp.body.details).toEqual([
        {
          path: 'options.auth.clientSecret',
          message: expect.stringMatching(/required again: the application \(client id\) changed/),
        },
      ]);
    });

    it('asks for the client secret again when the server address or the sign-in host changes', async () => {
      const id = await createSource();
      const { options } = (await t.api().get(`/api/sources/${id}`).expect(200)).body;
      const update = (changed: Record<string, unknown>) =>
        t.api().put(`/api/sources/${id}`, { options: { ...options, ...changed } });
      const again = (host: string) => [
        {
          path: 'options.auth.clientSecret',
          message: `is required again: the ${host} changed: enter the client secret again (a stored secret is only sent to the hosts it was entered for)`,
        },
      ];
      const otherSignIn = new URL(other.authority).origin;
      other.resetStats();

      const moved = await update({ serverAddress: other.url }).expect(400);
      expect(moved.body.details).toEqual(again('server address'));
      const signIn = await update({
        auth: { ...options.auth, authorityHost: otherSignIn },
      }).expect(400);
      expect(signIn.body.details).toEqual(again('sign-in host'));
      const both = await update({
        serverAddress: other.url,
        auth: { ...options.auth, authorityHost: otherSignIn },
      }).expect(400);
      expect(both.body.details).toEqual(again('server address and the sign-in host'));

      // Refused: the source still reads its organization; the other host saw nothing.
      await ingest(id).expect(200);
      expect(other.stats().totals.count).toBe(0);
      // The same origin spelled differently keeps the secret.
      await update({ serverAddress: `${emu.url}/` }).expect(200);

      // With the other organization's own secret the move is accepted and read there.
      const accepted = await update({
        serverAddress: other.url,
        auth: clientCredentialsAuth(other),
      }).expect(200);
      expect(accepted.body.secrets).toEqual({ 'auth.clientSecret': 'set' });
      const read = await ingest(id).expect(200);
      expect(read.body).toMatchObject({ mode: 'full', rowsStored: other.contacts.count() });
      expect(other.stats().totals.count).toBeGreaterThan(0);
    });

    it('refuses bad definitions, naming each wrong path', async () => {
      const res = await t
        .api()
        .post(
          '/api/sources',
          definition(
            {
              primaryKey: 'ContactId',
              mapping: { email: 'EMailAddress1', city: 'address1-city' },
            },
            {
              auth: { kind: 'clientCredentials', tenantId: emu.tenantId, clientId: 'nope' },
              table: 'contacts;drop',
              columns: ['telephone1', 'telephone1'],
              pageSize: 6000,
              colour: 'blue',
            },
          ),
        )
        .expect(400);
      const details = res.body.details as Array<{ path: string; message: string }>;
      const byPath = Object.fromEntries(details.map((d) => [d.path, d.message]));
      expect(byPath).toMatchObject({
        'options.colour': expect.stringMatching(/unknown property/),
        'options.auth.clientId': expect.stringMatching(/GUID/),
        'options.auth.clientSecret': expect.stringMatching(/is required/),
        'options.table': expect.stringMatching(/entity set name/),
        'options.columns[1]': expect.stringMatching(/listed twice/),
        'options.pageSize': expect.stringMatching(/1 to 5000/),
        primaryKey: expect.stringMatching(/lower case \(contactid\)/),
        'mapping.email': expect.stringMatching(/lower case \(emailaddress1\)/),
        'mapping.city': expect.stringMatching(/not a column logical name/),
      });

      const delegated = await t
        .api()
        .post('/api/sources', definition({}, { auth: { ...auth(), kind: 'delegated' } }))
        .expect(400);
      expect(delegated.body.details).toEqual([
        expect.objectContaining({
          path: 'options.auth.kind',
          message: expect.stringMatching(/clientCredentials/),
        }),
      ]);
    });

    it('refuses server and sign-in addresses outside the allow-list', async () => {
      for (const [serverAddress, message] of [
        ['https://10.0.0.5', /uses the IP address 10\.0\.0\.5/],
        ['https://169.254.169.254', /uses the IP address 169\.254\.169\.254/],
        ['https://intranet.local', /intranet\.local is not a Dynamics 365 organization/],
        ['http://contoso.crm.dynamics.com', /must use https:\/\//],
        [`https://127.0.0.1:${Number(new URL(emu.url).port) + 1}`, /IP address/],
      ] as const) {
        const res = await t
          .api()
          .post('/api/sources', definition({}, { serverAddress }))
          .expect(400);
        expect(res.body.details).toEqual([
          { path: 'options.serverAddress', message: expect.stringMatching(message) },
        ]);
      }
      const authority = await t
        .api()
        .post(
          '/api/sources',
          definition({}, { auth: auth({ authorityHost: 'https://sts.internal.example' }) }),
        )
        .expect(400);
      expect(authority.body.details).toEqual([
        {
          path: 'options.auth.authorityHost',
          message: expect.stringMatching(/sts\.internal\.example is not an Entra ID sign-in host/),
        },
      ]);
    });

    it('refuses uploads to a Dataverse source and reads of an uploaded source', async () => {
      const id = await createSource();
      const upload = await t
        .api()
        .post(`/api/sources/${id}/upload`)
        .set('Content-Type', 'text/csv')
        .send('contactid\nx\n')
        .expect(400);
      expect(upload.body.message).toMatch(/read by the refresh, not uploaded/);
      const csv = await t
        .api()
        .post('/api/sources', {
          name: `csv ${id}`,
          type: 'csv',
          primaryKey: 'id',
          mapping: { email: 'email' },
        })
        .expect(201);
      const read = await ingest(csv.body.id).expect(400);
      expect(read.body.message).toMatch(/is a csv source: its records are uploaded/);
    });
  });

  describe('reading', () => {
    it('reads every contact in pages of 5,000, then only the changes', async () => {
      const id = await createSource({}, { columns: ['telephone1'] });
      emu.resetStats();
      const first = await ingest(id).expect(200);
      expect(first.body).toMatchObject({
        status: 'succeeded',
        mode: 'full',
        rowsRead: CONTACTS,
        rowsStored: CONTACTS,
        rowsRejected: 0,
        errors: [],
        pages: 2,
      });
      expect(first.body).not.toHaveProperty('fullReadReason');
      expect(endpointCount('GET /contacts')).toBe(2);
      expect(await records(id)).toEqual(expected());
      const source = (await t.api().get(`/api/sources/${id}`).expect(200)).body;
      expect(source).toMatchObject({ recordCount: CONTACTS, lastIngest: { mode: 'full' } });

      // Changes in Sales: 3 new, 2 changed, 2 deleted.
      const all = emu.contacts.all(0, 10);
      emu.contacts.add([
        { firstname: 'Ana', lastname: 'Nova', emailaddress1: 'ana.nova@example.com' },
        { firstname: 'Bo', lastname: 'Berg', emailaddress1: null },
        { firstname: 'Cy', lastname: 'Cole', emailaddress1: 'cy@example.com', statecode: 1 },
      ]);
      emu.contacts.update(all[0].contactid, { emailaddress1: 'changed@example.com' });
      emu.contacts.update(all[1].contactid, { address1_city: 'Porto' });
      emu.contacts.delete(all[2].contactid);
      emu.contacts.delete(all[3].contactid);
      emu.resetStats();
      const second = await ingest(id).expect(200);
      expect(second.body).toMatchObject({
        status: 'succeeded',
        mode: 'incremental',
        rowsRead: 7,
        rowsStored: CONTACTS + 1,
        added: 3,
        updated: 2,
        removed: 2,
        rowsRejected: 0,
        pages: 1,
      });
      expect(endpointCount('GET /contacts')).toBe(0);
      expect(endpointCount('GET /contacts (delta)')).toBe(1);
      const now = await records(id);
      expect(now).toEqual(expected());
      expect(now.get(all[0].contactid)?.fields.email).toBe('changed@example.com');
      expect(now.has(all[2].contactid)).toBe(false);

      // Nothing changed: one request, nothing read.
      emu.resetStats();
      const third = await ingest(id).expect(200);
      expect(third.body).toMatchObject({
        mode: 'incremental',
        rowsRead: 0,
        rowsStored: CONTACTS + 1,
        added: 0,
        updated: 0,
        removed: 0,
        requests: 1,
      });
      expect(emu.stats().totals.count).toBe(1);
    });

    it('reads again in full when the delta link has expired, and says so', async () => {
      const id = await createSource({}, { pageSize: 1000 });
      await ingest(id).expect(200);
      emu.faults.expireDeltaTokens();
      const changed = emu.contacts.all(20, 1)[0];
      emu.contacts.update(changed.contactid, { lastname: 'Expired-Delta' });
      emu.resetStats();
      const read = await ingest(id).expect(200);
      expect(read.body).toMatchObject({
        status: 'succeeded',
        mode: 'full',
        fullReadReason: expect.stringMatching(
          /delta link of the last read has expired \(Dataverse: .*Version stamp associated with the client has expired/,
        ),
        rowsRead: emu.contacts.count(),
        pages: Math.ceil(emu.contacts.count() / 1000),
      });
      // The refused delta request (recorded under GET /contacts by the emulator), then the pages.
      const pages = Math.ceil(emu.contacts.count() / 1000);
      expect(emu.stats().endpoints['GET /contacts']).toMatchObject({ count: pages + 1, failed: 1 });
      expect((await records(id)).get(changed.contactid)?.fields.lastName).toBe('Expired-Delta');
      // The new delta link works again.
      const next = await ingest(id).expect(200);
      expect(next.body).toMatchObject({ mode: 'incremental', rowsRead: 0 });
    });

    it('reads again in full when the definition changed since the last read', async () => {
      const id = await createSource({}, { pageSize: 5000 });
      await ingest(id).expect(200);
      const source = (await t.api().get(`/api/sources/${id}`).expect(200)).body;
      await t
        .api()
        .put(`/api/sources/${id}`, { mapping: { ...source.mapping, phone: 'telephone1' } })
        .expect(200);
      const read = await ingest(id).expect(200);
      expect(read.body).toMatchObject({
        mode: 'full',
        fullReadReason: expect.stringMatching(/definition .* changed since the last read/),
      });
      const some = [...(await records(id)).values()].find((r) => r.fields.phone !== undefined);
      expect(some).toBeDefined();
    });

    it('a full read failing midway keeps the previous records and delta link', async () => {
      const id = await createSource({}, { pageSize: 500 });
      await ingest(id).expect(200);
      const before = await records(id);
      // Force a full read (mapping changed), then lose the privilege after two pages.
      await t
        .api()
        .put(`/api/sources/${id}`, { mapping: { ...MAPPING, phone: 'telephone1' } })
        .expect(200);
      emu.resetStats();
      emu.faults.addLatency(100, { endpoint: 'GET /contacts' });
      const pending = ingest(id);
      const interrupt = afterPages(2, () => {
        emu.faults.denyPrivileges(['prvReadContact']);
      });
      const [res] = await Promise.all([pending, interrupt]);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(
        /Missing privilege .*prvReadContact.*; the source keeps its previous records/,
      );
      expect(endpointCount('GET /contacts')).toBeGreaterThanOrEqual(3);
      expect(endpointCount('GET /contacts')).toBeLessThan(Math.ceil(CONTACTS / 500));
      expect(await records(id)).toEqual(before);
      const source = (await t.api().get(`/api/sources/${id}`).expect(200)).body;
      expect(source).toMatchObject({
        recordCount: before.size,
        ingesting: false,
        lastIngest: { status: 'failed', error: expect.stringMatching(/prvReadContact/) },
      });
      expect(source.lastIngest.rowsRead).toBeGreaterThanOrEqual(1000);

      emu.faults.clear();
      emu.faults.addLatency(0);
      const again = await ingest(id).expect(200);
      expect(again.body).toMatchObject({ mode: 'full', rowsStored: emu.contacts.count() });
      expect([...(await records(id)).values()].some((r) => r.fields.phone !== undefined)).toBe(
        true,
      );
    });

    it('an incremental read failing midway applies nothing; the next read gets every change', async () => {
      const id = await createSource({}, { pageSize: 200 });
      await ingest(id).expect(200);
      const before = await records(id);
      const changed = emu.contacts.all(100, 1000);
      for (const c of changed) emu.contacts.update(c.contactid, { address1_city: 'Midway' });
      emu.resetStats();
      emu.faults.addLatency(100, { endpoint: 'GET /contacts' });
      const pending = ingest(id);
      const interrupt = afterPages(2, () => {
        emu.faults.denyPrivileges(['prvReadContact']);
      });
      const [res] = await Promise.all([pending, interrupt]);
      expect(res.status).toBe(403);
      expect(await records(id)).toEqual(before);

      emu.faults.clear();
      emu.faults.addLatency(0);
      emu.resetStats();
      const again = await ingest(id).expect(200);
      expect(again.body).toMatchObject({
        mode: 'incremental',
        rowsRead: 1000,
        updated: 1000,
        added: 0,
        removed: 0,
        pages: 5,
      });
      expect(endpointCount('GET /contacts (delta)')).toBe(5);
      const after = await records(id);
      expect(changed.every((c) => after.get(c.contactid)?.fields.city === 'Midway')).toBe(true);
    });

    it('refuses links to another host: the read fails naming both origins; records and delta link stay', async () => {
      const id = await createSource();
      await ingest(id).expect(200);
      const before = await records(id);
      const changed = emu.contacts.all(30, 1)[0];
      emu.contacts.update(changed.contactid, { lastname: 'Foreign' });
      other.resetStats();
      const refused = (link: string) =>
        `Dataverse answered an @odata.${link} that points to ${other.url}, not to ${emu.url}; refused, so that no token or secret goes to another host; the source keeps its previous records`;

      // An incremental read whose answer hands over a delta link to another host.
      emu.faults.foreignLinks(other.url, { links: ['deltaLink'] });
      const delta = await ingest(id).expect(502);
      expect(delta.body.message).toBe(refused('deltaLink'));
      expect(await records(id)).toEqual(before);
      expect((await t.api().get(`/api/sources/${id}`).expect(200)).body).toMatchObject({
        recordCount: before.size,
        lastIngest: { status: 'failed', error: refused('deltaLink') },
      });

      // A first (full) read: its last page's delta link; nothing is published.
      const fresh = await createSource();
      expect((await ingest(fresh).expect(502)).body.message).toBe(refused('deltaLink'));
      expect((await t.api().get(`/api/sources/${fresh}`).expect(200)).body.recordCount).toBe(0);

      // A next-page link: refused at once, not read again without change tracking.
      emu.faults.foreignLinks(other.url, { links: ['nextLink'] });
      emu.resetStats();
      const paged = await createSource({}, { pageSize: 1000 });
      expect((await ingest(paged).expect(502)).body.message).toBe(refused('nextLink'));
      expect(endpointCount('GET /contacts')).toBe(1);

      // The token went nowhere else; the kept delta link still reads the change.
      expect(other.stats().totals.count).toBe(0);
      emu.faults.clear();
      const again = await ingest(id).expect(200);
      expect(again.body).toMatchObject({ mode: 'incremental', rowsRead: 1, updated: 1 });
      expect((await records(id)).get(changed.contactid)?.fields.lastName).toBe('Foreign');
    });

    it('rejects rows that do not fit their field, naming the row and value', async () => {
      const id = await createSource({
        mapping: {
          contactId: 'contactid',
          email: 'emailaddress1',
          born: { column: 'firstname', type: 'date' },
        },
      });
      const odd = emu.contacts.add([{ firstname: '2001-02-03', lastname: 'Dated' }])[0];
      const read = await ingest(id).expect(200);
      const all = emu.contacts.all(0, emu.contacts.count());
      const withName = all.filter((c) => c.firstname !== null).length;
      expect(read.body).toMatchObject({
        rowsRead: all.length,
        rowsStored: all.length - withName + 1,
        rowsRejected: withName - 1,
      });
      expect(read.body.errors).toHaveLength(100);
      expect(read.body.errors[0]).toEqual({
        line: 1,
        message: expect.stringMatching(/column "firstname" \(field born\): ".*" is not a date/),
      });
      const stored = await records(id);
      expect(stored.get(odd.contactid)?.fields.born).toBe('2001-02-03T00:00:00.000Z');
    });

    it('answers 409 while another read of the source runs', async () => {
      const id = await createSource({}, { pageSize: 1000 });
      emu.resetStats();
      emu.faults.addLatency(150, { endpoint: 'GET /contacts' });
      const first = ingest(id);
      const second = afterPages(1, () => undefined).then(() => ingest(id));
      const [a, b] = await Promise.all([first, second]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(409);
      expect(b.body.message).toMatch(/already running/);
    });

    it('says clearly when Dataverse refuses the credentials, and keeps the records', async () => {
      const id = await createSource();
      await ingest(id).expect(200);
      const source = (await t.api().get(`/api/sources/${id}`).expect(200)).body;
      await t
        .api()
        .put(`/api/sources/${id}`, {
          options: {
            ...source.options,
            auth: { ...source.options.auth, clientSecret: 'wrong-secret-value' },
          },
        })
        .expect(200);
      const res = await ingest(id).expect(502);
      expect(res.body.message).toMatch(
        /client secret is wrong \(AADSTS7000215.*; the source keeps its previous records/,
      );
      const after = (await t.api().get(`/api/sources/${id}`).expect(200)).body;
      expect(after).toMatchObject({
        recordCount: source.recordCount,
        lastIngest: { status: 'failed' },
      });
      expect(JSON.stringify(after)).not.toContain('wrong-secret-value');
    });
  });

  describe('refresh', () => {
    it('every refresh reads the source; its contact ids reach the customers', async () => {
      for (const s of (await t.api().get('/api/sources').expect(200)).body) {
        await t
          .api()
          .delete(`/api/sources/${s.id as string}`)
          .expect(204);
      }
      const id = await createSource({ name: 'Sales contacts (refresh)' });
      const refresh = async () => {
        const started = await t.api().post('/api/refresh').expect(202);
        for (;;) {
          const run = (await t.api().get(`/api/refresh/runs/${started.body.id as string}`)).body;
          if (!['queued', 'running'].includes(run.status as string)) return run;
          await sleep(100);
        }
      };
      const run = await refresh();
      const stage = run.stages.find((s: { name: string }) => s.name === 'ingest');
      expect(stage.errors).toEqual([]);
      expect(stage.figures).toMatchObject({ sourcesFailed: 0 });
      expect((await t.api().get(`/api/sources/${id}`).expect(200)).body.lastIngest).toMatchObject({
        status: 'succeeded',
        mode: 'full',
      });
      const contact = emu.contacts.all(7, 1)[0];
      const found = await t
        .api()
        .get(`/api/customers?email=${encodeURIComponent(contact.emailaddress1 ?? '')}`)
        .expect(200);
      expect(found.body.items).toEqual([
        expect.objectContaining({
          fields: expect.objectContaining({ contactId: contact.contactid }),
        }),
      ]);

      emu.contacts.update(contact.contactid, { address1_city: 'Refreshed' });
      await refresh();
      expect((await t.api().get(`/api/sources/${id}`).expect(200)).body.lastIngest).toMatchObject({
        mode: 'incremental',
        updated: 1,
      });
      expect((await records(id)).get(contact.contactid)?.fields.city).toBe('Refreshed');
    });
  });
});
