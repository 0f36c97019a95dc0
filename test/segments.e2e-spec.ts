import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import type { FieldValues } from '@stages/contract/customer-field';
import { deleteCustomers, seedFields, upsertCustomers } from './segments-seed';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const NOW = new Date('2024-06-15T12:00:00.000Z');

const CUSTOMERS: Record<string, FieldValues> = {
  c01: {
    email: 'anna@example.com',
    firstName: 'Anna',
    city: 'München',
    lifetimeValue: 120.5,
    lastPurchaseAt: '2024-06-10T08:00:00.000Z',
    newsletter: true,
  },
  c02: {
    email: 'BOB@Example.COM',
    firstName: 'Bob',
    city: 'MÜNCHEN',
    lifetimeValue: 50,
    lastPurchaseAt: '2024-05-01T23:59:59.999Z',
    newsletter: false,
  },
  c03: {
    email: 'carl@shop.de',
    firstName: 'Carl',
    city: 'Straße',
    lifetimeValue: 0,
    lastPurchaseAt: '2024-01-01T00:00:00.000Z',
    newsletter: true,
  },
  c04: {
    email: '100%_real@x.io',
    firstName: 'Dora',
    city: 'STRASSE',
    lifetimeValue: 999.99,
    lastPurchaseAt: '2023-12-31T23:00:00.000Z',
  },
  c05: {
    firstName: 'Eve',
    city: 'Berlin',
    lifetimeValue: -5,
    lastPurchaseAt: '2024-05-02T00:00:00.000Z',
    newsletter: false,
  },
  c06: { email: 'frank@example.com', firstName: 'e\u0301mile', city: 'berlin' },
  c07: {},
  c08: { lastPurchaseAt: '2024-07-01T00:00:00.000Z' },
};

type Case = [string, unknown, string[]];
const c = (field: string, op: string, value?: unknown, caseSensitive?: boolean) => ({
  all: [
    {
      field,
      op,
      ...(value === undefined ? {} : { value }),
      ...(caseSensitive ? { caseSensitive } : {}),
    },
  ],
});

const CASES: Case[] = [
  // strings: case-insensitive (Unicode) unless caseSensitive
  ['string eq folds case', c('email', 'eq', 'ANNA@EXAMPLE.COM'), ['c01']],
  ['string eq case-sensitive, same case', c('email', 'eq', 'anna@example.com', true), ['c01']],
  ['string eq case-sensitive, other case', c('email', 'eq', 'ANNA@EXAMPLE.COM', true), []],
  [
    'string ne (customers without a value match)',
    c('email', 'ne', 'anna@example.com'),
    ['c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08'],
  ],
  [
    'string ne case-sensitive',
    c('city', 'ne', 'München', true),
    ['c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08'],
  ],
  ['string in folds umlauts', c('city', 'in', ['münchen']), ['c01', 'c02']],
  ['string in folds ß to ss', c('city', 'in', ['strasse']), ['c03', 'c04']],
  ['string notIn', c('city', 'notIn', ['berlin', 'münchen']), ['c03', 'c04', 'c07', 'c08']],
  ['string contains takes % and _ literally', c('email', 'contains', '%_'), ['c04']],
  ['string contains', c('email', 'contains', 'EXAMPLE'), ['c01', 'c02', 'c06']],
  ['string startsWith', c('email', 'startsWith', 'b'), ['c02']],
  ['string startsWith case-sensitive', c('email', 'startsWith', 'bob', true), []],
  ['string startsWith case-sensitive, same case', c('email', 'startsWith', 'BOB', true), ['c02']],
  ['string endsWith', c('email', 'endsWith', '.DE'), ['c03']],
  ['string eq normalizes composed / decomposed accents', c('firstName', 'eq', 'ÉMILE'), ['c06']],
  ['string isEmpty', c('email', 'isEmpty'), ['c05', 'c07', 'c08']],
  ['string isNotEmpty', c('email', 'isNotEmpty'), ['c01', 'c02', 'c03', 'c04', 'c06']],
  ['customerId in', c('customerId', 'in', ['c01', 'C03']), ['c01', 'c03']],
  // numbers
  ['number eq', c('lifetimeValue', 'eq', 50), ['c02']],
  ['number ne', c('lifetimeValue', 'ne', 50), ['c01', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08']],
  ['number in', c('lifetimeValue', 'in', [0, 999.99]), ['c03', 'c04']],
  [
    'number notIn',
    c('lifetimeValue', 'notIn', [0, 50]),
    ['c01', 'c04', 'c05', 'c06', 'c07', 'c08'],
  ],
  ['number gt', c('lifetimeValue', 'gt', 50), ['c01', 'c04']],
  ['number gte', c('lifetimeValue', 'gte', 50), ['c01', 'c02', 'c04']],
  ['number lt', c('lifetimeValue', 'lt', 0), ['c05']],
  ['number lte', c('lifetimeValue', 'lte', 0), ['c03', 'c05']],
  ['number between (inclusive)', c('lifetimeValue', 'between', [0, 120.5]), ['c01', 'c02', 'c03']],
  ['number isEmpty', c('lifetimeValue', 'isEmpty'), ['c06', 'c07', 'c08']],
  ['number isNotEmpty', c('lifetimeValue', 'isNotEmpty'), ['c01', 'c02', 'c03', 'c04', 'c05']],
  // dates: a date alone is its whole UTC day
  ['date eq a day', c('lastPurchaseAt', 'eq', '2024-05-01'), ['c02']],
  [
    'date eq an instant with offset',
    c('lastPurchaseAt', 'eq', '2024-05-02T02:00:00+02:00'),
    ['c05'],
  ],
  [
    'date ne a day',
    c('lastPurchaseAt', 'ne', '2024-05-01'),
    ['c01', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08'],
  ],
  ['date gt a day (after it)', c('lastPurchaseAt', 'gt', '2024-05-01'), ['c01', 'c05', 'c08']],
  ['date gte a day', c('lastPurchaseAt', 'gte', '2024-05-01'), ['c01', 'c02', 'c05', 'c08']],
  ['date lt a day', c('lastPurchaseAt', 'lt', '2024-01-01'), ['c04']],
  ['date lte a day (to its end)', c('lastPurchaseAt', 'lte', '2024-01-01'), ['c03', 'c04']],
  [
    'date between days (both included)',
    c('lastPurchaseAt', 'between', ['2024-01-01', '2024-05-01']),
    ['c02', 'c03'],
  ],
  [
    'date withinLast weeks (not the future)',
    c('lastPurchaseAt', 'withinLast', { amount: 6, unit: 'weeks' }),
    ['c01'],
  ],
  [
    'date withinLast months',
    c('lastPurchaseAt', 'withinLast', { amount: 1, unit: 'months' }),
    ['c01'],
  ],
  [
    'date withinLast days',
    c('lastPurchaseAt', 'withinLast', { amount: 50, unit: 'days' }),
    ['c01', 'c02', 'c05'],
  ],
  [
    'date olderThan months',
    c('lastPurchaseAt', 'olderThan', { amount: 5, unit: 'months' }),
    ['c03', 'c04'],
  ],
  ['date isEmpty', c('lastPurchaseAt', 'isEmpty'), ['c06', 'c07']],
  [
    'date isNotEmpty',
    c('lastPurchaseAt', 'isNotEmpty'),
    ['c01', 'c02', 'c03', 'c04', 'c05', 'c08'],
  ],
  // booleans
  ['boolean eq true', c('newsletter', 'eq', true), ['c01', 'c03']],
  ['boolean eq false', c('newsletter', 'eq', false), ['c02', 'c05']],
  ['boolean ne true', c('newsletter', 'ne', true), ['c02', 'c04', 'c05', 'c06', 'c07', 'c08']],
  ['boolean isEmpty', c('newsletter', 'isEmpty'), ['c04', 'c06', 'c07', 'c08']],
  ['boolean isNotEmpty', c('newsletter', 'isNotEmpty'), ['c01', 'c02', 'c03', 'c05']],
  // groups
  [
    'nested any / all',
    {
      any: [
        {
          all: [
            { field: 'city', op: 'in', value: ['münchen'] },
            { field: 'newsletter', op: 'eq', value: true },
          ],
        },
        {
          all: [
            { field: 'lifetimeValue', op: 'gt', value: 500 },
            {
              any: [
                { field: 'email', op: 'contains', value: 'x.io' },
                { field: 'email', op: 'isEmpty' },
              ],
            },
          ],
        },
      ],
    },
    ['c01', 'c04'],
  ],
  ['empty all: everyone', { all: [] }, ['c01', 'c02', 'c03', 'c04', 'c05', 'c06', 'c07', 'c08']],
];

describe('segments', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(NOW);
    await seedFields(t.app, {
      email: 'string',
      firstName: 'string',
      city: 'string',
      lifetimeValue: 'number',
      lastPurchaseAt: 'date',
      newsletter: 'boolean',
    });
    await upsertCustomers(t.app, CUSTOMERS);
  });
  afterAll(() => closeAll(t));

  describe('preview: every operator and type', () => {
    it.each(CASES)('%s', async (_name, rule, expected) => {
      const res = await t
        .api()
        .post('/api/segments/preview', { rule, sampleSize: 100 })
        .expect(200);
      expect(res.body.count).toBe(expected.length);
      expect(res.body.sample.map((s: { customerId: string }) => s.customerId)).toEqual(expected);
    });

    it("answers the sample with the customers' fields, in id order, as large as asked", async () => {
      const res = await t
        .api()
        .post('/api/segments/preview', { rule: c('city', 'in', ['münchen']), sampleSize: 1 })
        .expect(200);
      expect(res.body).toEqual({
        count: 2,
        sample: [{ customerId: 'c01', fields: CUSTOMERS.c01 }],
      });
      const none = await t
        .api()
        .post('/api/segments/preview', { rule: { all: [] }, sampleSize: 0 })
        .expect(200);
      expect(none.body).toEqual({ count: 8, sample: [] });
    });

    it('counts the matches with a value in a key field when asked (keyField), and refuses an unknown one', async () => {
      // c05, c07 and c08 have no email.
      const keyed = await t
        .api()
        .post('/api/segments/preview', { rule: { all: [] }, sampleSize: 1, keyField: 'email' })
        .expect(200);
      expect(keyed.body).toMatchObject({ count: 8, withKey: { field: 'email', count: 5 } });
      const none = await t
        .api()
        .post('/api/segments/preview', {
          rule: c('city', 'eq', 'berlin'),
          sampleSize: 0,
          keyField: 'email',
        })
        .expect(200);
      expect(none.body).toEqual({ count: 2, sample: [], withKey: { field: 'email', count: 1 } });
      const unknown = await t
        .api()
        .post('/api/segments/preview', { rule: { all: [] }, keyField: 'nope' })
        .expect(400);
      expect(unknown.body.details).toEqual([
        { path: 'keyField', message: '"nope" is not a customer field' },
      ]);
    });

    it('folds text the stored JSON spells with \\u escapes', async () => {
      // Written by hand, not by JSON.stringify: "MÜNCHEN" with Ü escaped, "ÄRZTE" with both.
      const db = t.app.get(Db);
      await db.query(
        `INSERT INTO customer (customer_id, fields, record_count) VALUES (?, ${db.dialect.jsonParam()}, 1)`,
        ['c10', '{"city":"M\\u00dcNCHEN","firstName":"\\u00c4RZTE"}'],
      );
      try {
        const city = await t
          .api()
          .post('/api/segments/preview', { rule: c('city', 'in', ['münchen']), sampleSize: 100 })
          .expect(200);
        expect(city.body.sample.map((s: { customerId: string }) => s.customerId)).toEqual([
          'c01',
          'c02',
          'c10',
        ]);
        const name = await t
          .api()
          .post('/api/segments/preview', { rule: c('firstName', 'startsWith', 'är') })
          .expect(200);
        expect(name.body.count).toBe(1);
      } finally {
        await deleteCustomers(t.app, ['c10']);
      }
    });

    it('refuses an invalid rule, naming its path, and saves nothing', async () => {
      const res = await t
        .api()
        .post('/api/segments/preview', {
          rule: {
            all: [
              { field: 'city', op: 'isEmpty' },
              { any: [{ field: 'lifetimeValue', op: 'startsWith', value: 'x' }] },
            ],
          },
        })
        .expect(400);
      expect(res.body.details).toEqual([
        {
          path: 'rule.all[1].any[0].op',
          message: expect.stringMatching(
            /^operator "startsWith" does not apply to lifetimeValue, a number field/,
          ),
        },
      ]);
      expect(res.body.message).toMatch(/^rule\.all\[1\]\.any\[0\]\.op: /);
      const list = await t.api().get('/api/segments').expect(200);
      expect(list.body).toEqual([]);
    });
  });

  describe('CRUD', () => {
    it('creates, lists, reads, replaces and deletes a segment', async () => {
      const created = await t
        .api()
        .post('/api/segments', {
          name: '  Munich  ',
          description: 'Customers in Munich',
          rule: c('city', 'in', ['münchen']),
        })
        .expect(201);
      expect(created.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Munich',
        description: 'Customers in Munich',
        active: true,
        rule: c('city', 'in', ['münchen']),
        // Evaluated on create: its size is the preview's count at once.
        membership: {
          size: 2,
          evaluatedAt: NOW.toISOString(),
          added: 2,
          removed: 0,
          stale: false,
          lastError: null,
        },
      });
      const id = created.body.id as string;
      await t
        .api()
        .post('/api/segments', { name: 'Anyone', rule: { all: [] }, active: false })
        .expect(201);

      const list = await t.api().get('/api/segments').expect(200);
      expect(list.body.map((s: { name: string }) => s.name)).toEqual(['Anyone', 'Munich']);
      expect((await t.api().get(`/api/segments/${id}`).expect(200)).body.name).toBe('Munich');

      const replaced = await t
        .api()
        .put(`/api/segments/${id}`, {
          name: 'Munich',
          rule: c('city', 'in', ['münchen', 'berlin']),
          active: false,
        })
        .expect(200);
      expect(replaced.body).toMatchObject({
        description: null,
        active: false,
        rule: c('city', 'in', ['münchen', 'berlin']),
      });

      await t.api().delete(`/api/segments/${id}`).expect(204);
      await t.api().get(`/api/segments/${id}`).expect(404);
      await t.api().delete(`/api/segments/${id}`).expect(404);
    });

    it('keeps names unique regardless of case (409)', async () => {
      const first = await t
        .api()
        .post('/api/segments', { name: 'VIP', rule: c('lifetimeValue', 'gt', 500) })
        .expect(201);
      const dup = await t
        .api()
        .post('/api/segments', { name: 'vip', rule: { all: [] } })
        .expect(409);
      expect(dup.body.message).toBe(
        `A segment named "vip" already exists (id ${first.body.id}); names are unique regardless of case`,
      );
      const other = await t
        .api()
        .post('/api/segments', { name: 'Others', rule: { all: [] } })
        .expect(201);
      await t
        .api()
        .put(`/api/segments/${other.body.id}`, { name: 'Vip', rule: { all: [] } })
        .expect(409);
      await t
        .api()
        .put(`/api/segments/${first.body.id}`, { name: 'Vip', rule: { all: [] } })
        .expect(200);
    });

    it('refuses bad bodies with the field named', async () => {
      const noRule = await t.api().post('/api/segments', { name: 'x' }).expect(400);
      expect(noRule.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: 'rule' })]),
      );
      const extra = await t
        .api()
        .post('/api/segments', { name: 'x', rule: { all: [] }, colour: 'red' })
        .expect(400);
      expect(extra.body.message).toMatch(/colour/);
      const blank = await t
        .api()
        .post('/api/segments', { name: '   ', rule: { all: [] } })
        .expect(400);
      expect(blank.body.details).toEqual([{ path: 'name', message: 'must not be empty' }]);
      const badRule = await t
        .api()
        .post('/api/segments', {
          name: 'bad',
          rule: { all: [{ field: 'emial', op: 'eq', value: 'x' }, { any: [] }] },
        })
        .expect(400);
      expect(badRule.body.details).toEqual([
        {
          path: 'rule.all[0].field',
          message: expect.stringMatching(/^unknown field "emial"; did you mean "email"\?/),
        },
        { path: 'rule.all[1].any', message: expect.stringMatching(/^must not be empty/) },
      ]);
      await t.api().get('/api/segments/nope').expect(404);
    });

    it('is described in the OpenAPI document', async () => {
      const res = await t.api().get('/api/docs-json').expect(200);
      expect(Object.keys(res.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/segments',
          '/api/segments/preview',
          '/api/segments/{id}',
          '/api/segments/{id}/members',
          '/api/segments/{id}/evaluate',
        ]),
      );
    });
  });

  describe('membership', () => {
    it('is materialized at each evaluation, with what joined and left', async () => {
      const created = await t
        .api()
        .post('/api/segments', { name: 'Munich members', rule: c('city', 'in', ['münchen']) })
        .expect(201);
      const id = created.body.id as string;
      // The first evaluation is the create's own.
      expect(created.body.membership).toEqual({
        size: 2,
        evaluatedAt: NOW.toISOString(),
        added: 2,
        removed: 0,
        stale: false,
        lastError: null,
        lastErrorAt: null,
      });
      const again = await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
      expect(again.body.membership).toMatchObject({ size: 2, added: 0, removed: 0 });

      const page1 = await t.api().get(`/api/segments/${id}/members?limit=1`).expect(200);
      expect(page1.body.items).toEqual([{ customerId: 'c01', fields: CUSTOMERS.c01 }]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await t
        .api()
        .get(`/api/segments/${id}/members?limit=1&cursor=${page1.body.nextCursor}`)
        .expect(200);
      expect(page2.body).toEqual({
        items: [{ customerId: 'c02', fields: CUSTOMERS.c02 }],
        nextCursor: null,
      });

      // c01 moves away, c03 moves in; c02 is deleted (merged away) before the next evaluation
      await upsertCustomers(t.app, {
        c01: { ...CUSTOMERS.c01, city: 'Hamburg' },
        c03: { ...CUSTOMERS.c03, city: 'MÜNCHEN' },
      });
      await deleteCustomers(t.app, ['c02']);
      const stale = await t.api().get(`/api/segments/${id}/members`).expect(200);
      expect(stale.body.items).toEqual([
        { customerId: 'c01', fields: { ...CUSTOMERS.c01, city: 'Hamburg' } },
        { customerId: 'c02', fields: null },
      ]);

      const second = await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
      expect(second.body.membership).toMatchObject({ size: 1, added: 1, removed: 2 });
      const members = await t.api().get(`/api/segments/${id}/members`).expect(200);
      expect(members.body.items.map((m: { customerId: string }) => m.customerId)).toEqual(['c03']);

      const third = await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
      expect(third.body.membership).toMatchObject({ size: 1, added: 0, removed: 0 });

      await upsertCustomers(t.app, { c01: CUSTOMERS.c01, c02: CUSTOMERS.c02, c03: CUSTOMERS.c03 });
    });

    it('marks the membership stale when the rule changes, until evaluated', async () => {
      const created = await t
        .api()
        .post('/api/segments', { name: 'Big spenders', rule: c('lifetimeValue', 'gt', 100) })
        .expect(201);
      const id = created.body.id as string;
      await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
      const renamed = await t
        .api()
        .put(`/api/segments/${id}`, { name: 'Big spenders!', rule: c('lifetimeValue', 'gt', 100) })
        .expect(200);
      expect(renamed.body.membership).toMatchObject({ size: 2, stale: false });
      const changed = await t
        .api()
        .put(`/api/segments/${id}`, { name: 'Big spenders!', rule: c('lifetimeValue', 'gt', 500) })
        .expect(200);
      expect(changed.body.membership).toMatchObject({ size: 2, stale: true });
      const evaluated = await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
      expect(evaluated.body.membership).toMatchObject({
        size: 1,
        added: 0,
        removed: 1,
        stale: false,
      });
    });

    it('refuses to evaluate an inactive segment, and removes members with the segment', async () => {
      const created = await t
        .api()
        .post('/api/segments', { name: 'Everyone', rule: { all: [] } })
        .expect(201);
      const id = created.body.id as string;
      await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
      await t
        .api()
        .put(`/api/segments/${id}`, { name: 'Everyone', rule: { all: [] }, active: false })
        .expect(200);
      const res = await t.api().post(`/api/segments/${id}/evaluate`).expect(409);
      expect(res.body.message).toBe('Segment "Everyone" is inactive; activate it to evaluate it');
      const db = t.app.get(Db);
      const count = async () =>
        Number(
          (
            await db.query<{ n: number | string }>(
              'SELECT COUNT(*) AS n FROM segment_member WHERE segment_id = ?',
              [id],
            )
          )[0].n,
        );
      expect(await count()).toBe(8);
      await t.api().delete(`/api/segments/${id}`).expect(204);
      expect(await count()).toBe(0);
    });

    it('keeps the membership and says why when the rule no longer fits the fields', async () => {
      await seedFields(t.app, { tier: 'string' }, 'loyalty');
      await upsertCustomers(t.app, { c09: { tier: 'gold' } });
      const created = await t
        .api()
        .post('/api/segments', { name: 'Gold', rule: c('tier', 'eq', 'GOLD') })
        .expect(201);
      const id = created.body.id as string;
      expect(
        (await t.api().post(`/api/segments/${id}/evaluate`).expect(200)).body.membership.size,
      ).toBe(1);

      await t.app.get(Db).query('DELETE FROM source WHERE name = ?', ['loyalty']);
      const res = await t.api().post(`/api/segments/${id}/evaluate`).expect(409);
      expect(res.body.message).toMatch(
        /^Segment "Gold" cannot be evaluated: rule\.all\[0\]\.field: unknown field "tier"/,
      );
      expect(res.body.details).toEqual([
        { path: 'rule.all[0].field', message: expect.stringMatching(/^unknown field "tier"/) },
      ]);
      const after = await t.api().get(`/api/segments/${id}`).expect(200);
      expect(after.body.membership).toMatchObject({
        size: 1,
        lastError: expect.stringMatching(/^rule\.all\[0\]\.field: unknown field "tier"/),
        lastErrorAt: NOW.toISOString(),
      });
      await deleteCustomers(t.app, ['c09']);
    });

    it('refuses a cursor it did not give out', async () => {
      const created = await t
        .api()
        .post('/api/segments', { name: 'Cursor test', rule: { all: [] } })
        .expect(201);
      const res = await t
        .api()
        .get(`/api/segments/${created.body.id}/members?cursor=%25%25`)
        .expect(400);
      expect(res.body.details).toEqual([
        { path: 'cursor', message: 'is not a cursor this API gave out' },
      ]);
      await t.api().get(`/api/segments/${created.body.id}/members?limit=0`).expect(400);
    });
  });
});
