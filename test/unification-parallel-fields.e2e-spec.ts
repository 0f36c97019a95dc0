import { ChangeWriter, PARALLEL_FIELDS_FROM } from '../src/unification/change-writer';
import { CustomerFieldsFeed } from '../src/unification/customer-fields-feed';
import { startTestApp, type TestApp } from './support/test-app';
import {
  EMAIL_AND_PHONE_RULES,
  forgetCustomers,
  storedCustomers,
  TestSources,
  type Row,
} from './unification-seed';
import { closeAll } from './support/close-all';

/**
 * The fields of the customers written are merged on a worker thread for large runs (see
 * CustomerFieldsFeed); here from the first customer on, and the stored rows must be exactly
 * those of the in-thread merge: the first run (new customers, one- and multi-record) and a
 * second over changed data (changed, merged, split and deleted customers). One app throughout:
 * the digests cover the sources' IDs, which differ from app to app.
 */
const definition = (name: string) => ({
  name,
  primaryKey: 'id',
  mapping: {
    email: 'email',
    phone: 'phone',
    firstName: 'first',
    street: 'street',
    city: 'city',
    zip: 'zip',
    ltv: { column: 'ltv', type: 'number' as const },
  },
  lastModifiedColumn: 'modified',
});

function people(source: string, n: number, variant: number): Row[] {
  const rows: Row[] = [];
  // Changed data: records gone (customers lose records, or all of them), new ones (new
  // customers), e-mails changed (customers merge or split), a third of the values changed.
  const last = variant === 1 ? n + 30 : n;
  for (let i = 0; i < last; i++) {
    if (variant === 1 && (i % 11 === 0 || i % 150 === 7)) continue;
    const v = i % 3 === 0 ? variant : 0;
    const email =
      i >= n
        ? `new${i % 10}`
        : i % 17 === 0
          ? `${source}${i}` // a customer of one record
          : `p${(i * (variant === 1 && i % 13 === 0 ? 3 : 1)) % 150}`;
    rows.push({
      id: `${source}-${i}`,
      email: `${email}@x.com`,
      phone: i % 6 === 0 && i % 17 !== 0 ? `+1 555 ${i % 40}` : '',
      first: `${source} Fïrst ${i + v} ✓`,
      street: i % 2 === 0 ? `${i} Main St` : '',
      city: i % 3 === 0 ? `City ${i % 5} 𝄞` : '',
      zip: i % 4 === 1 ? `${i % 10}000` : '',
      ltv: i % 5 === 0 ? '' : String(i * 1.5 + v),
      modified: i % 7 === 0 ? '' : `2024-0${((i + v) % 9) + 1}-01T00:00:00Z`,
    });
  }
  return rows;
}

describe('unification: fields merged on a worker thread', () => {
  let t: TestApp;
  let upload: (variant: number) => Promise<void>;
  beforeAll(async () => {
    t = await startTestApp();
    const sources = new TestSources(t);
    const crm = await sources.create(definition('crm'));
    const shop = await sources.create(definition('shop'));
    await t
      .api()
      .put('/api/unification', {
        rules: EMAIL_AND_PHONE_RULES,
        merge: {
          default: 'mostRecent',
          fields: { firstName: { sourcePriority: [shop.id, crm.id] }, ltv: 'leastRecent' },
          groups: [{ name: 'address', fields: ['street', 'city', 'zip'] }],
        },
      })
      .expect(200);
    upload = async (variant) => {
      await sources.upload(crm, people('c', 400, variant));
      await sources.upload(shop, people('s', 300, variant));
    };
  });
  afterEach(() => {
    ChangeWriter.parallelFrom = PARALLEL_FIELDS_FROM;
  });
  afterAll(() => closeAll(t));

  /** A run with the fields merged from `parallelFrom` clusters on: its figures and rows. */
  async function unify(parallelFrom: number) {
    ChangeWriter.parallelFrom = parallelFrom;
    const run = await t.api().post('/api/unification/run').expect(200);
    const body = run.body as Record<string, unknown>;
    const figures = Object.fromEntries(
      Object.entries(body).filter(([key]) => !/At$|Ms$/.test(key)),
    );
    return { figures, ...(await storedCustomers(t)) };
  }

  it('stores exactly what the in-thread merge stores, on a first run and over changed data', async () => {
    await upload(0);
    const first = await unify(Number.POSITIVE_INFINITY);
    expect(first.figures).toMatchObject({ customersCreated: first.customers.length });
    expect(first.figures.recordsMerged).toBeGreaterThan(100);
    const sizes = new Set(first.customers.map((c) => Math.min(2, Number(c.record_count))));
    expect(sizes).toEqual(new Set([1, 2]));
    await forgetCustomers(t);
    const take = jest.spyOn(CustomerFieldsFeed.prototype, 'take');
    expect(await unify(0)).toEqual(first);
    expect(take).toHaveBeenCalledTimes(first.customers.length);
    take.mockRestore();

    // From the same customers, changed records: customers updated, merged, split, deleted.
    await upload(1);
    const changed = await unify(0);
    expect(changed.figures.customersUpdated).toBeGreaterThan(10);
    expect(changed.figures.customersDeleted).toBeGreaterThan(0);
    await forgetCustomers(t);
    await upload(0);
    expect(await unify(Number.POSITIVE_INFINITY)).toEqual(first);
    await upload(1);
    expect(await unify(Number.POSITIVE_INFINITY)).toEqual(changed);
  });
});
