import { startTestApp } from './support/test-app';
import { TestSources } from './unification-seed';
import { closeAll } from './support/close-all';

type App = Awaited<ReturnType<typeof startTestApp>>;

describe('customers API', () => {
  let t: App;
  let ids: Record<string, string>;
  beforeAll(async () => {
    t = await startTestApp();
    const sources = new TestSources(t);
    const crm = await sources.create({
      name: 'crm',
      primaryKey: 'id',
      mapping: {
        email: 'email',
        firstName: 'first',
        lastName: 'last',
        ltv: { column: 'ltv', type: 'number' },
      },
    });
    await sources.upload(crm, [
      { id: 'c1', email: 'Ann.Lee@Example.com', first: 'Ann', last: 'Lee' },
      { id: 'c2', email: 'bob@example.com', first: 'Bob', last: 'Stone_50%' },
      { id: 'c3', email: 'cat@example.com', first: 'Cat', last: 'Leeds' },
      { id: 'c4', first: 'Dan', last: 'Brown', ltv: '12.5' },
      { id: 'c5', email: 'ann.lee@example.com', first: 'Annie' },
    ]);
    await t
      .api()
      .put('/api/unification', {
        rules: [{ conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }] }],
        merge: { default: { sourcePriority: ['crm'] } },
      })
      .expect(200);
    await t.api().post('/api/unification/run').expect(200);
    ids = {};
    const all = await t.api().get('/api/customers?limit=1000').expect(200);
    for (const c of all.body.items) {
      const detail = await t.api().get(`/api/customers/${c.customerId}`).expect(200);
      for (const i of detail.body.identities) ids[i.key] = c.customerId;
    }
  });
  afterAll(() => closeAll(t));

  it('pages by customer ID with a cursor', async () => {
    const first = await t.api().get('/api/customers?limit=2').expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next).toBe(first.body.items[1].customerId);
    const second = await t.api().get(`/api/customers?limit=2&after=${first.body.next}`).expect(200);
    const third = await t.api().get(`/api/customers?limit=2&after=${second.body.next}`).expect(200);
    expect(third.body.next).toBeNull();
    const seen = [...first.body.items, ...second.body.items, ...third.body.items].map(
      (c) => c.customerId,
    );
    expect(seen).toHaveLength(4);
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(4);
    expect(first.body.items[0]).toEqual({
      customerId: expect.stringMatching(/^cus_\d{12}$/),
      fields: expect.any(Object),
      recordCount: expect.any(Number),
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('rejects bad paging parameters', async () => {
    const zero = await t.api().get('/api/customers?limit=0').expect(400);
    expect(zero.body.details[0].path).toBe('limit');
    await t.api().get('/api/customers?limit=1001').expect(400);
    await t.api().get('/api/customers?limit=ten').expect(400);
    await t.api().get('/api/customers?colour=red').expect(400);
  });

  it('finds a customer by e-mail in canonical form', async () => {
    const res = await t
      .api()
      .get(`/api/customers?email=${encodeURIComponent('  ANN.lee@example.COM ')}`)
      .expect(200);
    expect(res.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.c1]);
    expect(res.body.items[0]).toMatchObject({ recordCount: 2, fields: { firstName: 'Ann' } });
    const none = await t.api().get('/api/customers?email=nobody@example.com').expect(200);
    expect(none.body).toEqual({ items: [], next: null });
  });

  it('searches names and e-mail with q (case-insensitive, wildcards literal), or an exact ID', async () => {
    const lee = await t.api().get('/api/customers?q=LEE').expect(200);
    expect(lee.body.items.map((c: { customerId: string }) => c.customerId).sort()).toEqual(
      [ids.c1, ids.c3].sort(),
    );
    const percent = await t
      .api()
      .get(`/api/customers?q=${encodeURIComponent('50%')}`)
      .expect(200);
    expect(percent.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.c2]);
    // `_` is literal: "s_one" would match "Stone" as a LIKE wildcard.
    const underscore = await t.api().get('/api/customers?q=s_one').expect(200);
    expect(underscore.body.items).toEqual([]);
    const byId = await t.api().get(`/api/customers?q=${ids.c4}`).expect(200);
    expect(byId.body.items.map((c: { customerId: string }) => c.customerId)).toEqual([ids.c4]);
  });

  it('shows one customer with identities, and 404 for an unknown ID', async () => {
    const res = await t.api().get(`/api/customers/${ids.c1}`).expect(200);
    expect(res.body).toMatchObject({
      customerId: ids.c1,
      recordCount: 2,
      previousIds: [],
      identitiesTruncated: false,
      identities: [
        { source: 'crm', key: 'c1', sourceId: expect.any(String) },
        { source: 'crm', key: 'c5', sourceId: expect.any(String) },
      ],
    });
    const dan = await t.api().get(`/api/customers/${ids.c4}`).expect(200);
    expect(dan.body.fields).toEqual({ firstName: 'Dan', lastName: 'Brown', ltv: 12.5 });
    const missing = await t.api().get('/api/customers/cus_999999999999').expect(404);
    expect(missing.body.message).toBe('customer cus_999999999999 not found');
  });

  it('lists the customer fields with their types', async () => {
    const res = await t.api().get('/api/customers/fields').expect(200);
    expect(res.body).toEqual([
      { name: 'customerId', type: 'string', sources: [] },
      { name: 'email', type: 'string', sources: ['crm'] },
      { name: 'firstName', type: 'string', sources: ['crm'] },
      { name: 'lastName', type: 'string', sources: ['crm'] },
      { name: 'ltv', type: 'number', sources: ['crm'] },
    ]);
  });
});

describe('customers API without an email field', () => {
  it('says so when asked to filter by e-mail', async () => {
    const t = await startTestApp();
    try {
      const sources = new TestSources(t);
      const s = await sources.create({
        name: 'names',
        primaryKey: 'id',
        mapping: { lastName: 'last' },
      });
      await sources.upload(s, [{ id: '1', last: 'Lee' }]);
      await t.api().post('/api/unification/run').expect(200);
      const res = await t.api().get('/api/customers?email=a@b.c').expect(400);
      expect(res.body.details).toEqual([
        { path: 'email', message: 'no source maps a text field named "email"' },
      ]);
      const q = await t.api().get('/api/customers?q=lee').expect(200);
      expect(q.body.items).toHaveLength(1);
    } finally {
      await t.close();
    }
  });
});
