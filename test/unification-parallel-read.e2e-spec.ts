import { Db } from '../src/database/db.service';
import { UnificationService } from '../src/unification/unification.service';
import { startTestApp, type TestApp } from './support/test-app';
import { forgetCustomers, storedCustomers, TestSources, type Row } from './unification-seed';
import { closeAll } from './support/close-all';

const LAST_NAMES = ['Lopez', 'Lopes', 'Nguyen', 'Nguyen-Tran', 'Smith', 'Smyth', 'Ørsted', 'Zoë'];

/** Person i of a source: e-mail, phone and names overlap across sources in several ways. */
function person(prefix: string, i: number): Row {
  return {
    id: `${prefix}-${String(i).padStart(5, '0')}`,
    // Every 7th has no e-mail (no exact key for that rule); gmail dots and tags vary.
    email: i % 7 === 0 ? '' : `P.${i % 900}+${prefix}@GMail.com`,
    phone: i % 5 === 0 ? '' : `+1 (555) ${String(i % 1300).padStart(4, '0')}`,
    last: LAST_NAMES[i % LAST_NAMES.length],
    zip: String(10_000 + (i % 40)),
    city: i % 2 ? 'Oslo' : 'Rome',
    modified: `2025-0${1 + (i % 9)}-1${i % 10}T10:00:00Z`,
  };
}

const definition = (name: string) => ({
  name,
  primaryKey: 'id',
  mapping: { email: 'email', phone: 'phone', lastName: 'last', postalCode: 'zip', city: 'city' },
  lastModifiedColumn: 'modified',
});

/**
 * On SQLite a large run reads the source records on two threads: a worker with its own
 * read-only connection reads the upper half of the rowids and hands its records and match
 * keys (exact and fuzzy) to the main thread. The customers, identities and figures must be
 * exactly those of one reader. On PostgreSQL there is one reader either way.
 */
describe('unification: records read on two threads', () => {
  let t: TestApp;
  afterAll(() => closeAll(t));

  it('gives the same customers as one reader', async () => {
    t = await startTestApp();
    const sources = new TestSources(t);
    const crm = await sources.create(definition('crm'));
    const shop = await sources.create(definition('shop'));
    const rows = (prefix: string, from: number, to: number) =>
      Array.from({ length: to - from }, (_, k) => person(prefix, from + k));
    await sources.upload(crm, rows('c', 0, 2_500));
    await sources.upload(shop, rows('s', 1_000, 3_000));
    // A second generation of crm: its rowids follow the shop's, the first one's are gone.
    await sources.upload(crm, rows('c', 200, 2_700));
    await t
      .api()
      .put('/api/unification')
      .send({
        rules: [
          {
            name: 'email',
            conditions: [{ field: 'email', normalizers: ['emailMailbox'], match: 'exact' }],
          },
          {
            name: 'phone',
            conditions: [{ field: 'phone', normalizers: ['digitsOnly'], match: 'exact' }],
          },
          {
            name: 'name in zip',
            conditions: [
              { field: 'postalCode', match: 'exact' },
              {
                field: 'lastName',
                normalizers: ['removeDiacritics', 'lowercase'],
                match: { fuzzy: 0.8 },
              },
            ],
          },
        ],
        merge: { default: 'mostRecent', fields: { city: { sourcePriority: ['shop'] } } },
      })
      .expect(200);
    const service = t.app.get(UnificationService);

    service.parallelReadFrom = Number.POSITIVE_INFINITY;
    const one = await service.run();
    const oneReader = await storedCustomers(t);
    await forgetCustomers(t);
    service.parallelReadFrom = 0;
    const two = await service.run();
    const twoReaders = await storedCustomers(t);

    expect(one.status).toBe('succeeded');
    expect(one.recordsReadByWorker).toBe(0);
    if (t.app.get(Db).kind === 'sqlite') {
      // The worker read about half of the 4,500 records.
      expect(two.recordsReadByWorker).toBeGreaterThan(1_000);
      expect(two.recordsReadByWorker).toBeLessThan(3_500);
    } else {
      expect(two.recordsReadByWorker).toBe(0);
    }
    expect(one.sourceRecords).toBe(4_500);
    expect(one.customers).toBeLessThan(4_500);
    // Each rule (the fuzzy one too) joined records, so every kind of key crossed threads.
    expect(one.rules?.map((r) => r.merges > 0)).toEqual([true, true, true]);
    for (const figure of ['sourceRecords', 'customers', 'customersCreated', 'rules'] as const) {
      expect(two[figure]).toEqual(one[figure]);
    }
    expect(twoReaders.customers).toHaveLength(one.customers ?? -1);
    expect(twoReaders).toEqual(oneReader);
  }, 60_000);
});
