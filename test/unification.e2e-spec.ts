import { startTestApp, type TestApp } from './support/test-app';
import { TestSources, type Row, type TestSource } from './unification-seed';
import { closeAll } from './support/close-all';

type App = Awaited<ReturnType<typeof startTestApp>>;

interface Customer {
  customerId: string;
  fields: Record<string, unknown>;
  recordCount: number;
  createdAt: string;
  updatedAt: string;
}

async function unify(t: TestApp) {
  const res = await t.api().post('/api/unification/run').expect(200);
  return res.body;
}

async function allCustomers(t: TestApp): Promise<Customer[]> {
  const out: Customer[] = [];
  let after: string | null = '';
  while (after !== null) {
    const path = `/api/customers?limit=2${after ? `&after=${after}` : ''}`;
    const page: { items: Customer[]; next: string | null } = (await t.api().get(path).expect(200))
      .body;
    out.push(...page.items);
    after = page.next;
  }
  return out;
}

/** Customer ID of the record `key` of `source` (through GET /api/customers/:id identities). */
async function idsByRecord(t: TestApp): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const c of await allCustomers(t)) {
    const detail = await t.api().get(`/api/customers/${c.customerId}`).expect(200);
    for (const i of detail.body.identities) out[`${i.source}:${i.key}`] = c.customerId;
  }
  return out;
}

const crmDefinition = {
  name: 'crm',
  primaryKey: 'id',
  mapping: {
    email: 'email',
    phone: 'phone',
    firstName: 'first',
    lastName: 'last',
    street: 'street',
    city: 'city',
    zip: 'zip',
    ltv: { column: 'ltv', type: 'number' as const },
  },
  lastModifiedColumn: 'modified',
};
const shopDefinition = { ...crmDefinition, name: 'shop' };

const EMAIL_AND_PHONE = {
  rules: [
    { name: 'email', conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }] },
    {
      name: 'phone',
      conditions: [{ field: 'phone', normalizers: ['digitsOnly'], match: 'exact' }],
    },
  ],
};

describe('unification: configuration', () => {
  let t: App;
  beforeAll(async () => {
    t = await startTestApp();
    const sources = new TestSources(t);
    await sources.create(crmDefinition);
    await sources.create(shopDefinition);
  });
  afterAll(() => closeAll(t));

  it('shows the defaults before anything is saved', async () => {
    const res = await t.api().get('/api/unification').expect(200);
    expect(res.body).toEqual({
      saved: false,
      rules: [],
      dedupeWithinSource: true,
      merge: { default: 'mostRecent', fields: {}, groups: [] },
    });
  });

  it('rejects bad configurations with 400s naming every path', async () => {
    const res = await t
      .api()
      .put('/api/unification', {
        rules: [
          { conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }] },
          { conditions: [{ field: 'emial', match: 'exact' }] },
          { conditions: [{ field: 'lastName', match: { fuzzy: 0.8 } }] },
        ],
        merge: { default: { sourcePriority: ['crm', 'erp'] } },
      })
      .expect(400);
    expect(res.body.error).toBe('VALIDATION');
    expect(res.body.details).toEqual([
      {
        path: 'rules[1].conditions[0].field',
        message: expect.stringMatching(/^unknown customer field "emial"/),
      },
      {
        path: 'rules[2].conditions',
        message: expect.stringMatching(/fuzzy condition needs at least one exact condition/),
      },
      {
        path: 'merge.default.sourcePriority[1]',
        message: 'unknown source "erp" (sources: crm, shop)',
      },
    ]);
    const shape = await t
      .api()
      .put('/api/unification', {
        rules: [{ conditions: [{ field: 'email', match: 'similar' }] }],
        extra: true,
      })
      .expect(400);
    expect(shape.body.details).toEqual(
      expect.arrayContaining([
        { path: 'extra', message: 'is not an allowed property' },
        {
          path: 'rules[0].conditions[0].match',
          message: expect.stringMatching(/^must be "exact" or/),
        },
      ]),
    );
    // Nothing was stored.
    expect((await t.api().get('/api/unification').expect(200)).body.saved).toBe(false);
  });

  it('stores a valid configuration and shows source names', async () => {
    const body = {
      rules: [
        {
          name: 'email',
          conditions: [{ field: 'email', normalizers: ['trim', 'email'], match: 'exact' }],
        },
        {
          name: 'zip + name',
          conditions: [
            { field: 'zip', match: 'exact' },
            {
              field: 'lastName',
              normalizers: ['lowercase', 'removeDiacritics'],
              match: { fuzzy: 0.85 },
            },
          ],
        },
      ],
      dedupeWithinSource: false,
      merge: {
        default: { sourcePriority: ['shop', 'crm'] },
        fields: { email: 'leastRecent' },
        groups: [{ name: 'address', fields: ['street', 'city', 'zip'], policy: 'mostRecent' }],
      },
    };
    const put = await t.api().put('/api/unification', body).expect(200);
    const expected = {
      saved: true,
      rules: [
        {
          name: 'email',
          conditions: [{ field: 'email', normalizers: ['trim', 'email'], match: 'exact' }],
        },
        {
          name: 'zip + name',
          conditions: [
            { field: 'zip', normalizers: [], match: 'exact' },
            {
              field: 'lastName',
              normalizers: ['lowercase', 'removeDiacritics'],
              match: { fuzzy: 0.85 },
            },
          ],
        },
      ],
      dedupeWithinSource: false,
      merge: body.merge,
    };
    expect(put.body).toEqual(expected);
    expect((await t.api().get('/api/unification').expect(200)).body).toEqual(expected);
  });

  it('documents the configuration body in OpenAPI', async () => {
    const res = await t.api().get('/api/docs-json').expect(200);
    const put = res.body.paths['/api/unification'].put;
    expect(put.requestBody.content['application/json'].schema.properties.rules.type).toBe('array');
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/unification/run',
        '/api/customers',
        '/api/customers/{id}',
        '/api/customers/fields',
      ]),
    );
  });
});

describe('unification: matching and merging', () => {
  let t: App;
  let sources: TestSources;
  let crm: TestSource;
  let shop: TestSource;
  beforeAll(async () => {
    t = await startTestApp();
    sources = new TestSources(t);
    crm = await sources.create(crmDefinition);
    shop = await sources.create(shopDefinition);
  });
  afterAll(() => closeAll(t));

  it('without rules makes every record its own customer', async () => {
    await sources.upload(crm, [
      { id: 'c1', email: 'ann@x.com' },
      { id: 'c2', email: 'ann@x.com' },
    ]);
    await sources.upload(shop, [{ id: 's1', email: 'ANN@x.com' }]);
    const run = await unify(t);
    expect(run).toMatchObject({
      status: 'succeeded',
      sourceRecords: 3,
      customers: 3,
      recordsMerged: 0,
      customersCreated: 3,
    });
  });

  it('matches transitively across rules and sources, and lists identities', async () => {
    const earlier = await idsByRecord(t);
    await t.api().put('/api/unification', EMAIL_AND_PHONE).expect(200);
    await sources.upload(crm, [
      { id: 'c1', email: ' Ann@X.com', phone: '+1 (415) 555-0100', first: 'Ann' },
      { id: 'c2', email: 'bob@x.com', phone: '415 555 0199' },
      { id: 'c3', email: 'n/a', phone: 'none' },
    ]);
    await sources.upload(shop, [
      { id: 's1', email: 'ann@x.com' },
      { id: 's2', email: 'other@x.com', phone: '1-415-555-0100' },
      { id: 's3', email: 'carl@x.com' },
    ]);
    const run = await unify(t);
    expect(run).toMatchObject({
      status: 'succeeded',
      sourceRecords: 6,
      customers: 4,
      recordsMerged: 2,
      rules: [
        { rule: 'email', merges: 1, blocksSkipped: 0 },
        { rule: 'phone', merges: 1, blocksSkipped: 0 },
      ],
    });
    const byRecord = await idsByRecord(t);
    expect(byRecord['crm:c1']).toBe(byRecord['shop:s1']);
    expect(byRecord['crm:c1']).toBe(byRecord['shop:s2']);
    expect(
      new Set([byRecord['crm:c1'], byRecord['crm:c2'], byRecord['crm:c3'], byRecord['shop:s3']])
        .size,
    ).toBe(4);
    const ann = await t.api().get(`/api/customers/${byRecord['crm:c1']}`).expect(200);
    // c1 keeps its customer (the oldest); s1's customer of the run without rules merged into it.
    expect(ann.body).toMatchObject({
      customerId: earlier['crm:c1'],
      recordCount: 3,
      previousIds: [earlier['shop:s1']],
      identitiesTruncated: false,
    });
    expect(ann.body.identities).toEqual([
      { sourceId: crm.id, source: 'crm', key: 'c1' },
      { sourceId: shop.id, source: 'shop', key: 's1' },
      { sourceId: shop.id, source: 'shop', key: 's2' },
    ]);
  });

  it('compares fuzzy conditions within a block only', async () => {
    await t
      .api()
      .put('/api/unification', {
        rules: [
          {
            name: 'zip + name',
            conditions: [
              { field: 'zip', normalizers: ['trim'], match: 'exact' },
              {
                field: 'lastName',
                normalizers: ['lowercase', 'removeDiacritics'],
                match: { fuzzy: 0.8 },
              },
            ],
          },
        ],
      })
      .expect(200);
    await sources.upload(crm, [
      { id: 'c1', zip: '1000', last: 'Müller' },
      { id: 'c2', zip: '2000', last: 'Muller' },
    ]);
    await sources.upload(shop, [
      { id: 's1', zip: ' 1000', last: 'Mueller' },
      { id: 's2', zip: '2000', last: 'Schmidt' },
      { id: 's3', last: 'Muller' },
    ]);
    const run = await unify(t);
    expect(run).toMatchObject({ sourceRecords: 5, customers: 4 });
    const byRecord = await idsByRecord(t);
    // muller ~ mueller (1 edit in 7: 0.86) in block 1000; c2 (block 2000) and s3 (no zip) stay apart.
    expect(byRecord['crm:c1']).toBe(byRecord['shop:s1']);
    expect(byRecord['crm:c2']).not.toBe(byRecord['crm:c1']);
    expect(byRecord['shop:s3']).not.toBe(byRecord['crm:c1']);
  });

  it('keeps records of one source apart when deduplication is off', async () => {
    await t
      .api()
      .put('/api/unification', { ...EMAIL_AND_PHONE, dedupeWithinSource: false })
      .expect(200);
    await sources.upload(crm, [
      { id: 'c1', email: 'dup@x.com' },
      { id: 'c2', email: 'dup@x.com' },
      { id: 'c3', email: 'pair@x.com' },
      { id: 'c4', email: 'pair@x.com' },
    ]);
    await sources.upload(shop, [{ id: 's1', email: 'pair@x.com' }]);
    const run = await unify(t);
    expect(run).toMatchObject({ sourceRecords: 5, customers: 3 });
    const byRecord = await idsByRecord(t);
    expect(byRecord['crm:c1']).not.toBe(byRecord['crm:c2']);
    // c3 and c4 join through s1 (another source matches both).
    expect(byRecord['crm:c3']).toBe(byRecord['crm:c4']);
    expect(byRecord['crm:c3']).toBe(byRecord['shop:s1']);
  });

  it('merges fields by the policies, with field groups taken from one record', async () => {
    await t
      .api()
      .put('/api/unification', {
        ...EMAIL_AND_PHONE,
        merge: {
          default: 'mostRecent',
          fields: { firstName: { sourcePriority: ['crm'] }, ltv: 'leastRecent' },
          groups: [{ name: 'address', fields: ['street', 'city', 'zip'] }],
        },
      })
      .expect(200);
    await sources.upload(crm, [
      {
        id: 'c1',
        email: 'ann@x.com',
        first: 'Ann',
        last: 'Lee',
        street: '1 Old St',
        city: 'Oldtown',
        zip: '1000',
        ltv: '10',
        modified: '2024-01-01T00:00:00Z',
      },
    ]);
    await sources.upload(shop, [
      {
        id: 's1',
        email: 'ANN@x.com',
        first: 'Annie',
        last: 'Lee-Smith',
        street: '9 New Rd',
        city: 'Newtown',
        ltv: '99.5',
        modified: '2024-06-01T00:00:00Z',
      },
      { id: 's2', email: 'ann@x.com', last: 'Undated', zip: '7777' },
    ]);
    const run = await unify(t);
    expect(run).toMatchObject({ customers: 1 });
    const [customer] = await allCustomers(t);
    expect(customer.fields).toEqual({
      email: 'ANN@x.com', // newest record with an email
      firstName: 'Ann', // crm first
      lastName: 'Lee-Smith', // newest; the undated record comes last
      street: '9 New Rd', // the address group from the newest record that has one (shop s1) …
      city: 'Newtown', // … whole, with no zip mixed in from another record
      ltv: 10, // leastRecent
    });
  });
});

describe('unification: stable customer IDs', () => {
  let t: App;
  let sources: TestSources;
  let crm: TestSource;
  let shop: TestSource;
  beforeAll(async () => {
    t = await startTestApp();
    sources = new TestSources(t);
    crm = await sources.create(crmDefinition);
    shop = await sources.create(shopDefinition);
    await t.api().put('/api/unification', EMAIL_AND_PHONE).expect(200);
  });
  afterAll(() => closeAll(t));

  const crmRows: Row[] = [
    { id: 'c1', email: 'ann@x.com', first: 'Ann' },
    { id: 'c2', email: 'bob@x.com', first: 'Bob' },
    { id: 'c3', email: 'cat@x.com', phone: '555-0003' },
    { id: 'c4', email: 'dan@x.com' },
  ];
  const shopRows: Row[] = [
    { id: 's1', email: 'ANN@x.com' },
    { id: 's2', email: 'eve@x.com' },
  ];

  it('re-running over unchanged data changes nothing and writes nothing', async () => {
    await sources.upload(crm, crmRows);
    await sources.upload(shop, shopRows);
    const first = await unify(t);
    expect(first).toMatchObject({ customers: 5, customersCreated: 5, identitiesWritten: 6 });
    const before = await allCustomers(t);
    const idsBefore = await idsByRecord(t);
    const second = await unify(t);
    expect(second).toMatchObject({
      customers: 5,
      customersCreated: 0,
      customersUpdated: 0,
      customersUnchanged: 5,
      customersMerged: 0,
      customersSplit: 0,
      customersDeleted: 0,
      identitiesWritten: 0,
      identitiesDeleted: 0,
      transactions: 0,
    });
    expect(await allCustomers(t)).toEqual(before);
    expect(await idsByRecord(t)).toEqual(idsBefore);
    // Re-uploading the same file (a new generation) changes nothing either.
    await sources.upload(crm, crmRows);
    expect(await unify(t)).toMatchObject({
      customersCreated: 0,
      customersUpdated: 0,
      transactions: 0,
    });
    expect(await allCustomers(t)).toEqual(before);
  });

  it('keeps the ID when a customer gains a record, and moves updatedAt only when fields change', async () => {
    const before = await idsByRecord(t);
    const dan = (await t.api().get(`/api/customers/${before['crm:c4']}`).expect(200)).body;
    await sources.upload(shop, [...shopRows, { id: 's3', email: 'dan@x.com', first: 'Dan' }]);
    const run = await unify(t);
    expect(run).toMatchObject({ customersCreated: 0, customersUpdated: 1, identitiesWritten: 1 });
    const after = await idsByRecord(t);
    expect(after['shop:s3']).toBe(before['crm:c4']);
    const danAfter = (await t.api().get(`/api/customers/${before['crm:c4']}`).expect(200)).body;
    expect(danAfter.fields).toEqual({ email: 'dan@x.com', firstName: 'Dan' });
    expect(danAfter.createdAt).toBe(dan.createdAt);
    expect(Date.parse(danAfter.updatedAt)).toBeGreaterThanOrEqual(Date.parse(dan.updatedAt));
    const ann = (await t.api().get(`/api/customers/${before['crm:c1']}`).expect(200)).body;
    // Ann's fields did not change: her row was not written.
    expect(ann.updatedAt).toBe(ann.createdAt);
  });

  it('when new data merges customers, the oldest ID survives and the others become previous IDs', async () => {
    const before = await idsByRecord(t);
    // Bob (c2) is older than Eve (s2)? Both were created in the first run: the tie is broken
    // by ID; Bob's smaller identity got the smaller number.
    const bob = before['crm:c2'];
    const eve = before['shop:s2'];
    expect(bob < eve).toBe(true);
    // A new record with Eve's email and Bob's … no: a record bridging them by email and phone.
    await sources.upload(crm, [...crmRows, { id: 'c5', email: 'eve@x.com', phone: '555-0002' }]);
    await sources.upload(shop, [
      ...shopRows.map((r) => (r.id === 's2' ? { ...r, phone: '555 0002' } : r)),
      { id: 's3', email: 'dan@x.com', first: 'Dan' },
      { id: 's4', email: 'bob@x.com', phone: '5550002' },
    ]);
    const run = await unify(t);
    expect(run).toMatchObject({ customersMerged: 1, customersCreated: 0 });
    const after = await idsByRecord(t);
    for (const key of ['crm:c2', 'crm:c5', 'shop:s2', 'shop:s4']) expect(after[key]).toBe(bob);
    // The retired ID still finds the customer and says which ID it has now.
    const viaOld = await t.api().get(`/api/customers/${eve}`).expect(200);
    expect(viaOld.body).toMatchObject({ customerId: bob, requestedId: eve, mergedInto: bob });
    expect(viaOld.body.previousIds).toEqual([eve]);
    expect(Date.parse(viaOld.body.mergedAt)).not.toBeNaN();
    const current = await t.api().get(`/api/customers/${bob}`).expect(200);
    expect(current.body.requestedId).toBeUndefined();
    expect(current.body.previousIds).toEqual([eve]);
    const list = await allCustomers(t);
    expect(list.map((c) => c.customerId)).not.toContain(eve);
  });

  it('chains previous IDs: an alias of an alias points to the final customer', async () => {
    const before = await idsByRecord(t);
    const bob = before['crm:c2'];
    const eve = before['shop:s2'] === bob ? undefined : before['shop:s2'];
    expect(eve).toBeUndefined();
    const ann = before['crm:c1'];
    expect(ann < bob).toBe(true);
    // Bob's customer (with Eve's old ID as alias) merges into Ann's (older).
    await sources.upload(crm, [
      ...crmRows,
      { id: 'c5', email: 'eve@x.com', phone: '555-0002' },
      { id: 'c6', email: 'ann@x.com', phone: '555-0002' },
    ]);
    const run = await unify(t);
    expect(run).toMatchObject({ customersMerged: 1 });
    const after = await idsByRecord(t);
    expect(after['crm:c2']).toBe(ann);
    const detail = await t.api().get(`/api/customers/${ann}`).expect(200);
    expect(detail.body.previousIds.length).toBe(2);
    for (const previous of detail.body.previousIds as string[]) {
      const res = await t.api().get(`/api/customers/${previous}`).expect(200);
      expect(res.body).toMatchObject({ customerId: ann, mergedInto: ann, requestedId: previous });
    }
  });

  it('when a customer splits, the largest part keeps the ID and the others get new ones', async () => {
    const before = await idsByRecord(t);
    const ann = before['crm:c1'];
    // Remove the bridge c6: Ann {c1, s1} and Bob-Eve {c2, c5, s2, s4} part again. The larger
    // part keeps Ann's ID (the surviving one); the other part gets a new ID.
    await sources.upload(crm, [...crmRows, { id: 'c5', email: 'eve@x.com', phone: '555-0002' }]);
    const run = await unify(t);
    expect(run).toMatchObject({ customersSplit: 1, customersCreated: 1, customersMerged: 0 });
    const after = await idsByRecord(t);
    expect(after['crm:c2']).toBe(ann);
    expect(after['crm:c1']).not.toBe(ann);
    expect(after['crm:c1']).toBe(after['shop:s1']);
    // The new ID was never used before (not an earlier ID nor a previous ID).
    expect(Object.values(before)).not.toContain(after['crm:c1']);
  });

  it('deletes customers whose records are all gone, with their identities and aliases', async () => {
    const before = await idsByRecord(t);
    const survivor = before['crm:c2'];
    const aliases = (await t.api().get(`/api/customers/${survivor}`).expect(200)).body
      .previousIds as string[];
    expect(aliases.length).toBeGreaterThan(0);
    // Everything of Bob/Eve/Ann-era customer goes away.
    await sources.upload(
      crm,
      crmRows.filter((r) => r.id !== 'c2'),
    );
    await sources.upload(
      shop,
      shopRows.filter((r) => r.id !== 's2'),
    );
    const run = await unify(t);
    expect(run).toMatchObject({ customersDeleted: 1 });
    await t.api().get(`/api/customers/${survivor}`).expect(404);
    for (const alias of aliases) await t.api().get(`/api/customers/${alias}`).expect(404);
    const after = await idsByRecord(t);
    expect(Object.keys(after).sort()).toEqual(['crm:c1', 'crm:c3', 'crm:c4', 'shop:s1'].sort());
  });
});

describe('unification: results do not depend on input order', () => {
  const definition = {
    name: 'people',
    primaryKey: 'id',
    mapping: { email: 'email', phone: 'phone', firstName: 'first', city: 'city', zip: 'zip' },
    lastModifiedColumn: 'modified',
  };
  const rows: Row[] = [];
  for (let i = 0; i < 120; i++) {
    rows.push({
      id: `p${String(i).padStart(3, '0')}`,
      email: `person${i % 50}@x.com`,
      phone: i % 7 === 0 ? `555-${i % 30}` : '',
      first: `First${i}`,
      city: `City${i % 4}`,
      zip: i % 3 === 0 ? `${i % 5}000` : '',
      modified: i % 5 === 0 ? '' : `2024-0${(i % 9) + 1}-01T00:00:00Z`,
    });
  }
  const others: Row[] = rows
    .filter((_, i) => i % 4 === 0)
    .map((r, i) => ({ ...r, id: `o${i}`, first: `Other${i}` }));

  async function unifyIn(order: (list: Row[]) => Row[]) {
    const t = await startTestApp();
    try {
      const sources = new TestSources(t);
      // Sources created in a different order too.
      const defs = [definition, { ...definition, name: 'other' }];
      const created: TestSource[] = [];
      for (const def of order === identity ? defs : [...defs].reverse())
        created.push(await sources.create(def));
      const people = created.find((s) => s.definition.name === 'people')!;
      const other = created.find((s) => s.definition.name === 'other')!;
      await t
        .api()
        .put('/api/unification', {
          ...EMAIL_AND_PHONE,
          merge: { default: 'mostRecent', groups: [{ name: 'address', fields: ['city', 'zip'] }] },
        })
        .expect(200);
      await sources.upload(people, order(rows));
      await sources.upload(other, order(others));
      await unify(t);
      const customers = await allCustomers(t);
      const byRecord = await idsByRecord(t);
      return {
        customers: customers.map((c) => ({ id: c.customerId, fields: c.fields, n: c.recordCount })),
        byRecord,
      };
    } finally {
      await t.close();
    }
  }
  const identity = (list: Row[]) => list;

  it('gives the same customers, fields and IDs for shuffled and reversed inputs', async () => {
    const expected = await unifyIn(identity);
    expect(expected.customers.length).toBeLessThan(rows.length + others.length);
    const reversed = await unifyIn((list) => [...list].reverse());
    expect(reversed).toEqual(expected);
    const interleaved = await unifyIn((list) => [
      ...list.filter((_, i) => i % 2 === 1),
      ...list.filter((_, i) => i % 2 === 0).reverse(),
    ]);
    expect(interleaved).toEqual(expected);
    // Three applications with their own stores: on a loaded machine and PostgreSQL, more than
    // the default minute.
  }, 180_000);
});
