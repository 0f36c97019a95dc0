import { Db } from '@platform/database/db.service';
import { startTestApp, type TestApp } from './support/test-app';
import { TestSources, type Row } from './unification-seed';

/**
 * Enough records that customers and identities fill several multi-row statements while a
 * transaction is being built (they are written as they fill, not at the end).
 */
const PEOPLE = 1_600;
const SHARED = 700;

const definition = (name: string) => ({
  name,
  primaryKey: 'id',
  mapping: { email: 'email', firstName: 'first', city: 'city' },
});

function rows(prefix: string, from: number, to: number, city: string): Row[] {
  const out: Row[] = [];
  for (let i = from; i < to; i++) {
    out.push({ id: `${prefix}-${i}`, email: `p${i}@example.test`, first: `P${i}`, city });
  }
  return out;
}

async function unify(t: TestApp): Promise<Record<string, unknown>> {
  return (await t.api().post('/api/unification/run').expect(200)).body as Record<string, unknown>;
}

async function counts(t: TestApp): Promise<{ customers: number; identities: number }> {
  const db = t.app.get(Db);
  const [c] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM customer');
  const [i] = await db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM customer_identity');
  return { customers: Number(c.n), identities: Number(i.n) };
}

describe('unification: many rows per transaction', () => {
  let t: TestApp;
  afterEach(() => t.close());

  it('writes every customer and identity, then nothing over unchanged data', async () => {
    t = await startTestApp();
    const sources = new TestSources(t);
    const crm = await sources.create(definition('crm'));
    const shop = await sources.create(definition('shop'));
    await t
      .api()
      .put('/api/unification')
      .send({
        rules: [{ name: 'email', conditions: [{ field: 'email', match: 'exact' }] }],
      })
      .expect(200);
    // Shop people 900… share their e-mail with crm people; the rest are shop-only.
    const crmRows = rows('c', 0, PEOPLE, 'Oslo');
    const shopRows = rows('s', PEOPLE - SHARED, 2 * PEOPLE - SHARED, 'Rome');
    await sources.upload(crm, crmRows);
    await sources.upload(shop, shopRows);
    const customers = 2 * PEOPLE - SHARED;

    expect(await unify(t)).toMatchObject({
      customers,
      customersCreated: customers,
      identitiesWritten: 2 * PEOPLE,
      transactions: 1,
    });
    expect(await counts(t)).toEqual({ customers, identities: 2 * PEOPLE });
    const shared = await t.api().get('/api/customers?limit=1000').expect(200);
    const merged = (shared.body.items as { recordCount: number }[]).filter(
      (c) => c.recordCount === 2,
    );
    expect(merged.length).toBeGreaterThan(0);

    expect(await unify(t)).toMatchObject({
      customersCreated: 0,
      customersUpdated: 0,
      customersUnchanged: customers,
      identitiesWritten: 0,
      transactions: 0,
    });

    // The shop drops the shared people: their customers lose a record, nothing else changes.
    await sources.upload(shop, rows('s', PEOPLE, 2 * PEOPLE - SHARED, 'Rome'));
    expect(await unify(t)).toMatchObject({
      customers: PEOPLE + PEOPLE - SHARED,
      customersCreated: 0,
      customersUpdated: SHARED,
      identitiesDeleted: SHARED,
      transactions: 1,
    });
    expect(await counts(t)).toEqual({
      customers: 2 * PEOPLE - SHARED,
      identities: 2 * PEOPLE - SHARED,
    });
  });
});
