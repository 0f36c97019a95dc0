import { clientCredentialsAuth } from '@audience-sync/dataverse-client';
import { startEmulator, type EmulatorHandle } from '@audience-sync/dataverse-emulator';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A full read of a Dataverse table that finds no contacts does not empty a source that has
 * records, unless the caller says so (`allowEmpty=true`): the same guard as a CSV upload
 * without rows. An emulator of its own, since every contact is deleted here.
 */
describe('Dataverse source: a full read that finds nothing', () => {
  let emu: EmulatorHandle;
  let t: TestApp;
  beforeAll(async () => {
    emu = await startEmulator({ contacts: 12 });
    t = await startTestApp({
      env: { ALLOWED_HOSTS: new URL(emu.url).host, EXTRA_CA_CERTS: emu.caCertPath },
    });
  });
  afterAll(async () => {
    await t.close();
    await emu.stop();
  });

  const definition = (columns: string[]) => ({
    name: 'Sales contacts',
    type: 'dataverse',
    primaryKey: 'contactid',
    mapping: { email: 'emailaddress1' },
    options: {
      serverAddress: emu.url,
      auth: clientCredentialsAuth(emu),
      table: 'contacts',
      columns,
    },
  });

  it('is refused while the source has records, and empties it with allowEmpty=true', async () => {
    const created = await t.api().post('/api/sources', definition([])).expect(201);
    const id = created.body.id as string;
    await t.api().post(`/api/sources/${id}/ingest`).expect(200);
    expect((await t.api().get(`/api/sources/${id}`)).body.recordCount).toBe(12);

    for (const c of emu.contacts.all()) emu.contacts.delete(c.contactid);
    // Other columns make the next read a full one (a delta would report each deletion).
    await t
      .api()
      .put(`/api/sources/${id}`, definition(['telephone1']))
      .expect(200);
    const refused = await t.api().post(`/api/sources/${id}/ingest`).expect(400);
    expect(refused.body.message).toBe(
      'the full read of table contacts found no records (0 rows read), which would empty the source (ingest with allowEmpty=true to empty it on purpose); the source keeps its previous records',
    );
    const kept = await t.api().get(`/api/sources/${id}`).expect(200);
    expect(kept.body.recordCount).toBe(12);
    expect(kept.body.lastIngest).toMatchObject({ status: 'failed' });
    const page = await t.api().get(`/api/sources/${id}/records?limit=100`).expect(200);
    expect(page.body.items).toHaveLength(12);

    const emptied = await t.api().post(`/api/sources/${id}/ingest?allowEmpty=true`).expect(200);
    expect(emptied.body).toMatchObject({ status: 'succeeded', mode: 'full', rowsStored: 0 });
    expect((await t.api().get(`/api/sources/${id}`)).body.recordCount).toBe(0);
  });
});
