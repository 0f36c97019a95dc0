import { startFixture, type Fixture } from './support/fixture';

const CONTACT_COLUMNS = [
  'contactid',
  'firstname',
  'lastname',
  'fullname',
  'emailaddress1',
  'telephone1',
  'address1_city',
  'statecode',
  'statuscode',
  'createdon',
  'modifiedon',
  'versionnumber',
];

describe('Dataverse: contacts', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ contacts: 120, seed: 42 });
  });
  afterAll(() => f.close());

  it('seeds deterministic contacts and exposes them from the handle', async () => {
    const seeded = f.emu.contacts.all();
    expect(seeded).toHaveLength(120);
    expect(seeded[0]).toEqual({
      contactid: expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
      firstname: expect.any(String),
      lastname: expect.any(String),
      fullname: `${seeded[0].firstname} ${seeded[0].lastname}`,
      emailaddress1: expect.stringMatching(/@example\.com$/),
      telephone1: expect.stringMatching(/^\+1 555 /),
      address1_city: expect.any(String),
      statecode: 0,
      modifiedon: expect.stringMatching(/^2025-/),
    });
    expect(new Set(seeded.map((c) => c.contactid)).size).toBe(120);
    const again = await startFixture({ contacts: 3, seed: 42 });
    try {
      expect(again.emu.contacts.all()).toEqual(seeded.slice(0, 3));
    } finally {
      await again.close();
    }
  });

  it('pages with odata.maxpagesize, @odata.nextLink and Preference-Applied', async () => {
    const ids: string[] = [];
    let url = 'contacts?$select=fullname,emailaddress1';
    let pages = 0;
    for (;;) {
      const res = await f.dv.get(url, { prefer: 'odata.maxpagesize=50' });
      expect(res.status).toBe(200);
      expect(res.headers['preference-applied']).toBe('odata.maxpagesize=50');
      expect(res.json['@odata.context']).toBe(
        `${f.emu.apiUrl}/$metadata#contacts(fullname,emailaddress1,contactid)`,
      );
      for (const row of res.json.value) {
        expect(Object.keys(row)).toEqual(['@odata.etag', 'fullname', 'emailaddress1', 'contactid']);
        expect(row['@odata.etag']).toMatch(/^W\/"\d+"$/);
        ids.push(row.contactid);
      }
      pages += 1;
      const next = res.json['@odata.nextLink'] as string | undefined;
      if (!next) break;
      expect(next).toContain('$skiptoken=');
      expect(next).toContain('$select=fullname,emailaddress1');
      url = next;
    }
    expect(pages).toBe(3);
    expect(ids).toEqual(f.emu.contacts.all().map((c) => c.contactid));
  });

  it('writes a page as compact JSON whose rows are what a single GET of each contact answers', async () => {
    f.emu.contacts.update(f.emu.contacts.all()[1].contactid, { firstname: 'Zoë "Q"' });
    const select = 'fullname,emailaddress1,telephone1,address1_city,statecode,modifiedon';
    const res = await f.dv.get(`contacts?$select=${select}`, { prefer: 'odata.maxpagesize=4' });
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(res.text).toBe(JSON.stringify(res.json)); // same bytes JSON.stringify would write
    expect(Object.keys(res.json)).toEqual(['@odata.context', 'value', '@odata.nextLink']);
    for (const row of res.json.value) {
      const { '@odata.context': context, ...single } = (
        await f.dv.get(`contacts(${row.contactid})?$select=${select}`)
      ).json;
      expect(context).toMatch(/\/\$entity$/);
      expect(row).toEqual(single);
      expect(Object.keys(row)).toEqual(Object.keys(single));
    }
    expect(res.json.value[1].fullname).toMatch(/^Zoë "Q" /);
    const all = await f.dv.get('contacts?$top=1');
    expect(Object.keys(all.json.value[0])).toEqual(['@odata.etag', ...CONTACT_COLUMNS]);
  });

  it('returns all rows up to 5000 per page by default and honours $top without paging', async () => {
    const all = await f.dv.get('contacts');
    expect(all.json.value).toHaveLength(120);
    expect(all.json['@odata.nextLink']).toBeUndefined();
    const top = await f.dv.get('contacts?$top=7');
    expect(top.json.value).toHaveLength(7);
    expect(top.json['@odata.nextLink']).toBeUndefined();
    // $top is ignored with odata.maxpagesize, as documented.
    const both = await f.dv.get('contacts?$top=7', { prefer: 'odata.maxpagesize=100' });
    expect(both.json.value).toHaveLength(100);
    expect(both.json['@odata.nextLink']).toBeDefined();
    const capped = await f.dv.get('contacts', { prefer: 'odata.maxpagesize=9000' });
    expect(capped.headers['preference-applied']).toBe('odata.maxpagesize=5000');
  });

  it('filters with eq/ne/and/or, in-lists on the key and string functions', async () => {
    const seeded = f.emu.contacts.all();
    const [a, b, c] = seeded;
    const eq = await f.dv.get(`contacts?$filter=contactid eq ${a.contactid}`);
    expect(eq.json.value.map((r: { contactid: string }) => r.contactid)).toEqual([a.contactid]);
    const crmIn = await f.dv.get(
      `contacts?$select=contactid&$filter=${encodeURIComponent(`Microsoft.Dynamics.CRM.In(PropertyName='contactid',PropertyValues=['${c.contactid}','${a.contactid.toUpperCase()}'])`)}`,
    );
    expect(crmIn.json.value.map((r: { contactid: string }) => r.contactid)).toEqual([
      a.contactid,
      c.contactid,
    ]);
    const odataIn = await f.dv.get(
      `contacts?$filter=${encodeURIComponent(`contactid in (${a.contactid},${b.contactid})`)}`,
    );
    expect(odataIn.json.value).toHaveLength(2);
    const or = await f.dv.get(
      `contacts?$filter=${encodeURIComponent(`contactid eq ${a.contactid} or contactid eq ${b.contactid}`)}`,
    );
    expect(or.json.value).toHaveLength(2);
    const and = await f.dv.get(
      `contacts?$filter=${encodeURIComponent(`contactid eq ${a.contactid} and statecode eq 0`)}`,
    );
    expect(and.json.value).toHaveLength(1);
    const ne = await f.dv.get(
      `contacts?$select=contactid&$filter=${encodeURIComponent(`contactid ne ${a.contactid}`)}`,
    );
    expect(ne.json.value).toHaveLength(119);
    const email = await f.dv.get(
      `contacts?$filter=${encodeURIComponent(`emailaddress1 eq '${b.emailaddress1!.toUpperCase()}'`)}`,
    );
    expect(email.json.value[0].contactid).toBe(b.contactid);
    const city = await f.dv.get(
      `contacts?$select=address1_city&$filter=${encodeURIComponent(`startswith(address1_city,'${a.address1_city!.slice(0, 3)}') and not (statecode eq 1)`)}`,
    );
    expect(city.json.value.length).toBe(
      seeded.filter((s) => s.address1_city!.startsWith(a.address1_city!.slice(0, 3))).length,
    );
    const since = await f.dv.get(
      `contacts?$select=contactid&$filter=${encodeURIComponent('modifiedon ge 2025-07-01T00:00:00Z')}&$count=true`,
    );
    expect(since.json['@odata.count']).toBe(
      seeded.filter((s) => s.modifiedon >= '2025-07-01').length,
    );
  });

  it('reads one contact by key, 404 with 0x80040217 when unknown', async () => {
    const [a] = f.emu.contacts.all();
    const one = await f.dv.get(`contacts(${a.contactid})?$select=fullname`);
    expect(one.json).toEqual({
      '@odata.context': `${f.emu.apiUrl}/$metadata#contacts(fullname,contactid)/$entity`,
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      fullname: a.fullname,
      contactid: a.contactid,
    });
    const missing = await f.dv.get('contacts(00000000-0000-0000-0000-000000000001)');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({
      error: {
        code: '0x80040217',
        message: "Entity 'contact' With Id = 00000000-0000-0000-0000-000000000001 Does Not Exist",
      },
    });
  });

  it('answers bad queries with 400 naming the problem', async () => {
    const cases: [string, number, RegExp][] = [
      [
        'contacts?$select=nosuch',
        400,
        /Could not find a property named 'nosuch' on type 'Microsoft\.Dynamics\.CRM\.contact'/,
      ],
      ['contacts?$filter=nosuch eq 1', 400, /property named 'nosuch'/],
      ["contacts?$filter=contactid eq 'abc'", 400, /incompatible types.*Edm\.Guid/],
      ['contacts?$filter=statecode eq', 400, /Syntax error at position \d+/],
      ['contacts?$filter=(statecode eq 0', 400, /expected '\)'/],
      ['contacts?$top=-1', 400, /\$top/],
      ['contacts?$skip=10', 400, /\$skip is not supported/],
      ['contacts?$orderby=fullname', 501, /\$orderby/],
      ['contacts?$skiptoken=garbage', 400, /\$skiptoken/],
      ['contacts(not-a-guid)', 400, /not a valid key/],
    ];
    for (const [url, status, message] of cases) {
      const res = await f.dv.get(url);
      expect({ url, status: res.status }).toEqual({ url, status });
      expect(res.json.error.message).toMatch(message);
      expect(res.json.error.code).toMatch(/^0x[0-9a-f]{8}$/);
    }
    const badPage = await f.dv.get('contacts', { prefer: 'odata.maxpagesize=zero' });
    expect(badPage.status).toBe(400);
  });

  it('adds, changes and deletes contacts through the handle', async () => {
    const [given] = f.emu.contacts.add([
      {
        contactid: 'AAAAAAAA-0000-4000-8000-000000000001',
        firstname: 'Given',
        lastname: 'Person',
        emailaddress1: 'given@example.org',
      },
    ]);
    expect(given).toMatchObject({
      contactid: 'aaaaaaaa-0000-4000-8000-000000000001',
      fullname: 'Given Person',
      statecode: 0,
    });
    expect(() => f.emu.contacts.add([{ contactid: given.contactid }])).toThrow(/exists already/);
    expect(() => f.emu.contacts.add([{ contactid: 'nope' }])).toThrow(/not a GUID/);
    const updated = f.emu.contacts.update(given.contactid, { lastname: 'Renamed', statecode: 1 });
    expect(updated).toMatchObject({ fullname: 'Given Renamed', statecode: 1 });
    const res = await f.dv.get(
      `contacts(${given.contactid})?$select=fullname,statecode,statuscode`,
    );
    expect(res.json).toMatchObject({ fullname: 'Given Renamed', statecode: 1, statuscode: 2 });
    f.emu.contacts.delete(given.contactid);
    expect((await f.dv.get(`contacts(${given.contactid})`)).status).toBe(404);
    expect(f.emu.contacts.count()).toBe(120);
  });
});
