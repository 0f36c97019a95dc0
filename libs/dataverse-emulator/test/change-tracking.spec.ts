import { startFixture, type Fixture } from './support/fixture';

describe('Dataverse: change tracking on contacts', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ contacts: 25 });
  });
  afterAll(() => f.close());

  const track = { prefer: 'odata.track-changes, odata.maxpagesize=10' };

  async function fullSync(): Promise<{ rows: unknown[]; deltaLink: string }> {
    const rows: unknown[] = [];
    let url = 'contacts?$select=fullname,emailaddress1';
    for (;;) {
      const res = await f.dv.get(url, track);
      expect(res.status).toBe(200);
      expect(res.headers['preference-applied']).toBe('odata.maxpagesize=10,odata.track-changes');
      rows.push(...res.json.value);
      if (res.json['@odata.nextLink']) {
        expect(res.json['@odata.deltaLink']).toBeUndefined();
        url = res.json['@odata.nextLink'];
        continue;
      }
      return { rows, deltaLink: res.json['@odata.deltaLink'] };
    }
  }

  it('gives a delta link on the last page of a tracked read, then new, changed and deleted contacts', async () => {
    const first = await fullSync();
    expect(first.rows).toHaveLength(25);
    expect(first.deltaLink).toMatch(
      new RegExp(
        `^${f.emu.apiUrl.replace(/\./g, '\\.')}/contacts\\?\\$select=fullname,emailaddress1&\\$deltatoken=\\d+%21\\d\\d%2F\\d\\d%2F\\d{4}%20`,
      ),
    );

    const empty = await f.dv.get(first.deltaLink, { prefer: 'odata.track-changes' });
    expect(empty.json.value).toEqual([]);
    expect(empty.json['@odata.context']).toBe(
      `${f.emu.apiUrl}/$metadata#contacts(fullname,emailaddress1,contactid)/$delta`,
    );

    const seeded = f.emu.contacts.all();
    const [added] = f.emu.contacts.add([{ firstname: 'New', lastname: 'Comer' }]);
    f.emu.contacts.update(seeded[3].contactid, { emailaddress1: 'changed@example.org' });
    f.emu.contacts.update(seeded[3].contactid, { telephone1: '+1 555 000 0000' }); // twice: reported once
    f.emu.contacts.delete(seeded[7].contactid);

    const delta = await f.dv.get(first.deltaLink, { prefer: 'odata.track-changes' });
    expect(delta.status).toBe(200);
    expect(delta.json.value).toEqual([
      {
        '@odata.etag': expect.any(String),
        fullname: 'New Comer',
        emailaddress1: null,
        contactid: added.contactid,
      },
      {
        '@odata.etag': expect.any(String),
        fullname: seeded[3].fullname,
        emailaddress1: 'changed@example.org',
        contactid: seeded[3].contactid,
      },
      {
        '@odata.context': `${f.emu.apiUrl}/$metadata#contacts/$deletedEntity`,
        id: seeded[7].contactid,
        reason: 'deleted',
      },
    ]);
    const next = delta.json['@odata.deltaLink'];
    expect(next).not.toBe(first.deltaLink);
    expect((await f.dv.get(next)).json.value).toEqual([]);
  });

  it('pages a large delta with nextLink and ends with a delta link', async () => {
    const { deltaLink } = await fullSync();
    f.emu.contacts.add(12);
    const seen: string[] = [];
    let url = deltaLink;
    let last: {
      value: { contactid: string }[];
      '@odata.nextLink'?: string;
      '@odata.deltaLink'?: string;
    };
    for (;;) {
      last = (await f.dv.get(url, { prefer: 'odata.maxpagesize=5' })).json;
      seen.push(...last.value.map((r: { contactid: string }) => r.contactid));
      if (!last['@odata.nextLink']) break;
      url = last['@odata.nextLink'];
    }
    expect(seen).toHaveLength(12);
    expect(last['@odata.deltaLink']).toBeDefined();
  });

  it('fault: expired delta tokens are refused with ExpiredVersionStamp; a full sync gives a new one', async () => {
    const { deltaLink } = await fullSync();
    f.emu.faults.expireDeltaTokens();
    const res = await f.dv.get(deltaLink);
    expect(res.status).toBe(400);
    expect(res.json.error).toEqual({
      code: '0x80044352',
      message: 'Version stamp associated with the client has expired. Please perform a full sync.',
    });
    const again = await fullSync();
    expect((await f.dv.get(again.deltaLink)).status).toBe(200);
  });

  it('refuses malformed delta tokens and $filter with change tracking', async () => {
    const bad = await f.dv.get('contacts?$deltatoken=abc');
    expect(bad.status).toBe(400);
    const future = await f.dv.get('contacts?$deltatoken=99999999!01%2F01%2F2030%2000%3A00%3A00');
    expect(future.json.error.code).toBe('0x80044352');
    const filtered = await f.dv.get('contacts?$filter=statecode eq 0', track);
    expect(filtered.status).toBe(400);
    expect(filtered.json.error.message).toMatch(/cannot be combined with \$filter/);
  });
});
