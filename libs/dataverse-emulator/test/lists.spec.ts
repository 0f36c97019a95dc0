import { startFixture, type Fixture } from './support/fixture';

describe('Dataverse: marketing lists', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ contacts: 20 });
  });
  afterAll(() => f.close());

  const listBody = (extra: object = {}) => ({
    listname: 'Segment: VIP',
    type: false,
    createdfromcode: 2,
    ...extra,
  });

  async function create(extra: object = {}): Promise<string> {
    const res = await f.dv.post('lists', listBody(extra));
    expect(res.status).toBe(204);
    const match = /lists\(([0-9a-f-]{36})\)$/.exec(res.headers['odata-entityid']);
    expect(match).not.toBeNull();
    return match![1];
  }

  it('creates a list: 204 with OData-EntityId, or 201 with the representation', async () => {
    const res = await f.dv.post(
      'lists',
      listBody({ purpose: 'Audience Sync', source: 'segment 1', description: 'd' }),
    );
    expect(res.status).toBe(204);
    expect(res.headers['odata-entityid']).toMatch(
      new RegExp(`^${f.emu.apiUrl.replace(/[.]/g, '\\.')}/lists\\([0-9a-f-]{36}\\)$`),
    );
    expect(res.text).toBe('');
    const rep = await f.dv.post(
      'lists?$select=listname,membercount',
      listBody({ listname: 'Second' }),
      { prefer: 'return=representation' },
    );
    expect(rep.status).toBe(201);
    expect(rep.headers['preference-applied']).toBe('return=representation');
    expect(rep.json).toEqual({
      '@odata.context': `${f.emu.apiUrl}/$metadata#lists(listname,membercount,listid)/$entity`,
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      listname: 'Second',
      membercount: 0,
      listid: expect.any(String),
    });
    const full = await f.dv.get(`lists(${rep.json.listid})`);
    expect(full.json).toMatchObject({
      type: false,
      createdfromcode: 2,
      statecode: 0,
      lockstatus: false,
      membercount: 0,
      _ownerid_value: expect.any(String),
    });
  });

  it('creates with a client-chosen id; a second create with it is a duplicate (412)', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    expect(
      (await f.dv.post('lists', listBody({ listid: id }))).headers['odata-entityid'],
    ).toContain(id);
    const dup = await f.dv.post('lists', listBody({ listid: id }));
    expect(dup.status).toBe(412);
  });

  it('enforces the list rules with Dataverse-shaped errors', async () => {
    const cases: [object, number, string, RegExp][] = [
      [{ listname: undefined }, 400, '0x80040203', /'listname' attribute is required/],
      [{ listname: '  ' }, 400, '0x80040203', /'listname' attribute is required/],
      [
        { listname: 'x'.repeat(129) },
        400,
        '0x80044331',
        /length of the 'listname' attribute of the 'list' entity exceeded the maximum allowed length of '128'/,
      ],
      [
        { createdfromcode: undefined },
        400,
        '0x80040203',
        /'createdfromcode' attribute is required/,
      ],
      [
        { createdfromcode: 3 },
        400,
        '0x80044331',
        /value 3 of 'createdfromcode'.*Accepted Values: 1,2,4/,
      ],
      [
        { listname: 5 },
        400,
        '0x80060888',
        /Cannot convert the literal '5' to the expected type 'Edm\.String'/,
      ],
      [
        { colour: 'red' },
        400,
        '0x80060888',
        /The property 'colour' does not exist on type 'Microsoft\.Dynamics\.CRM\.list'/,
      ],
      [{ purpose: 'p'.repeat(513) }, 400, '0x80044331', /'purpose'.*'512'/],
    ];
    for (const [extra, status, code, message] of cases) {
      const res = await f.dv.post('lists', listBody(extra));
      expect({ extra, status: res.status, code: res.json?.error?.code }).toEqual({
        extra,
        status,
        code,
      });
      expect(res.json.error.message).toMatch(message);
    }
    expect((await f.dv.post('lists', listBody({ listname: 'x'.repeat(128) }))).status).toBe(204);
    const invalidJson = await f.dv.post('lists', '{"listname":', {
      'content-type': 'application/json',
    });
    expect(invalidJson.status).toBe(400);
    expect(invalidJson.json.error.message).toMatch(/not valid JSON/);
  });

  it('updates with PATCH (204 or 200 with representation), keeps createdfromcode, honours If-Match', async () => {
    const id = await create();
    const patched = await f.dv.patch(`lists(${id})`, { description: 'updated', purpose: 'p' });
    expect(patched.status).toBe(204);
    const rep = await f.dv.patch(
      `lists(${id})?$select=description`,
      { description: 'again' },
      { prefer: 'return=representation' },
    );
    expect(rep.status).toBe(200);
    expect(rep.json.description).toBe('again');
    const change = await f.dv.patch(`lists(${id})`, { createdfromcode: 1 });
    expect(change.status).toBe(400);
    expect(change.json.error.message).toMatch(/cannot be changed/);
    const stale = await f.dv.patch(`lists(${id})`, { description: 'x' }, { 'if-match': 'W/"1"' });
    expect(stale.status).toBe(412);
    expect(stale.json.error.message).toBe(
      "The version of the existing record doesn't match the RowVersion property provided.",
    );
    const current = (await f.dv.get(`lists(${id})`)).json['@odata.etag'];
    expect(
      (await f.dv.patch(`lists(${id})`, { description: 'y' }, { 'if-match': current })).status,
    ).toBe(204);
    // Upsert: PATCH to a new id creates; If-Match: * makes it update-only.
    const fresh = '99999999-2222-4333-8444-555555555555';
    expect(
      (await f.dv.patch(`lists(${fresh})`, { description: 'z' }, { 'if-match': '*' })).status,
    ).toBe(404);
    expect((await f.dv.patch(`lists(${fresh})`, listBody())).status).toBe(204);
    expect(f.emu.lists.get(fresh)?.listname).toBe('Segment: VIP');
    // If-None-Match: * makes it create-only.
    const createOnly = await f.dv.patch(`lists(${fresh})`, listBody(), { 'if-none-match': '*' });
    expect(createOnly.status).toBe(412);
    expect(createOnly.json.error).toEqual({
      code: '0x80040237',
      message: 'A record with matching key values already exists.',
    });
  });

  it('treats an inactive list as read-only until it is activated again', async () => {
    const id = await create();
    expect((await f.dv.patch(`lists(${id})`, { statecode: 1 })).status).toBe(204);
    expect(f.emu.lists.get(id)?.statecode).toBe(1);
    const blocked = await f.dv.patch(`lists(${id})`, { description: 'x' });
    expect(blocked.status).toBe(400);
    expect(blocked.json.error.message).toMatch(/is inactive/);
    expect((await f.dv.patch(`lists(${id})`, { statecode: 0, description: 'back' })).status).toBe(
      204,
    );
  });

  it('reads lists with $filter by listname and pages them', async () => {
    const name = `Paged ${Date.now()}`;
    for (let i = 0; i < 5; i += 1) await create({ listname: name });
    const res = await f.dv.get(
      `lists?$select=listname&$filter=${encodeURIComponent(`listname eq '${name}'`)}`,
      { prefer: 'odata.maxpagesize=2' },
    );
    expect(res.json.value).toHaveLength(2);
    const seen = [...res.json.value];
    let next = res.json['@odata.nextLink'];
    while (next) {
      const page = await f.dv.get(next, { prefer: 'odata.maxpagesize=2' });
      seen.push(...page.json.value);
      next = page.json['@odata.nextLink'];
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((l) => l.listid)).size).toBe(5);
    const quote = await f.dv.get(`lists?$filter=${encodeURIComponent("listname eq 'O''Brien'")}`);
    expect(quote.status).toBe(200);
  });

  it('deletes a list (404 afterwards)', async () => {
    const id = await create();
    expect((await f.dv.delete(`lists(${id})`)).status).toBe(204);
    expect((await f.dv.get(`lists(${id})`)).status).toBe(404);
    const again = await f.dv.delete(`lists(${id})`);
    expect(again.json.error).toEqual({
      code: '0x80040217',
      message: `Entity 'list' With Id = ${id} Does Not Exist`,
    });
  });

  it('fault: missing list privileges answer 403 PrivilegeDenied', async () => {
    f.emu.faults.denyPrivileges(['prvCreateList'], 'application');
    const res = await f.dv.post('lists', listBody());
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('0x80040220');
    expect(res.json.error.message).toMatch(
      /is missing prvCreateList privilege .* on OTC=4300 for entity 'list'/,
    );
    expect((await f.dv.get('lists')).status).toBe(200);
    expect((await f.dv.get('WhoAmI')).status).toBe(200);
    f.emu.faults.clear();
  });
});
