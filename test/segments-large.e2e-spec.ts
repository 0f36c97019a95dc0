import { Db } from '@platform/database/db.service';
import type { FieldValues } from '@stages/contract/customer-field';
import { seedFields, upsertCustomers } from './segments-seed';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const CITIES = ['München', 'MÜNCHEN', 'muenchen', 'Straße', 'STRASSE', 'Berlin', 'münchen '];

/** Customer i: its city and value cycle so that every chunk of the scan has members. */
function customer(i: number, shift = 0): FieldValues {
  return { city: CITIES[(i + shift) % CITIES.length], lifetimeValue: (i * 37) % 1000 };
}

function isMember(fields: FieldValues): boolean {
  return (
    // Full case folding: ß folds to ss, as in STRASSE.
    ['münchen', 'strasse'].includes(
      String(fields.city).normalize('NFC').toUpperCase().toLowerCase(),
    ) && Number(fields.lifetimeValue) >= 500
  );
}

/**
 * Segment evaluation over a customer table larger than one scan chunk (50,000 rowids on
 * SQLite): every chunk's members are collected, and re-evaluations apply exactly the
 * difference. On PostgreSQL the same spec checks the single-statement evaluation.
 */
describe('segments over a large customer table', () => {
  let t: TestApp;
  const N = 130_000;
  const all: Record<string, FieldValues> = {};
  const ids = (n: number) => `c${String(n).padStart(6, '0')}`;

  beforeAll(async () => {
    t = await startTestApp();
    await seedFields(t.app, { city: 'string', lifetimeValue: 'number' });
    for (let i = 0; i < N; i++) all[ids(i)] = customer(i);
    await upsertCustomers(t.app, all);
  }, 120_000);
  afterAll(() => closeAll(t));

  const expected = () =>
    Object.entries(all)
      .filter(([, fields]) => isMember(fields))
      .map(([id]) => id)
      .sort();

  async function members(segmentId: string): Promise<string[]> {
    const rows = await t.app
      .get(Db)
      .query<{ customer_id: string }>(
        'SELECT customer_id FROM segment_member WHERE segment_id = ? ORDER BY customer_id',
        [segmentId],
      );
    return rows.map((r) => r.customer_id);
  }

  it('finds the members in every chunk, across evaluations', async () => {
    const created = await t
      .api()
      .post('/api/segments', {
        name: 'Munich and Strasse, high value',
        rule: {
          all: [
            { field: 'city', op: 'in', value: ['MÜNCHEN', 'straße'] },
            { field: 'lifetimeValue', op: 'gte', value: 500 },
          ],
        },
      })
      .expect(201);
    const id = created.body.id as string;

    // Evaluated on create.
    const want = expected();
    expect(want.length).toBeGreaterThan(20_000);
    expect(created.body.membership).toMatchObject({ size: want.length, added: want.length });
    expect(await members(id)).toEqual(want);

    // A tenth of the customers move city.
    const changed: Record<string, FieldValues> = {};
    for (let i = 0; i < N; i += 10) changed[ids(i)] = all[ids(i)] = customer(i, 3);
    await upsertCustomers(t.app, changed);
    const second = await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
    const after = expected();
    const [before, now] = [new Set(want), new Set(after)];
    const joined = after.filter((m) => !before.has(m)).length;
    const left = want.filter((m) => !now.has(m)).length;
    expect(joined).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
    expect(second.body.membership).toMatchObject({
      size: after.length,
      added: joined,
      removed: left,
    });
    expect(await members(id)).toEqual(after);

    // The same data again: nothing joins or leaves.
    const third = await t.api().post(`/api/segments/${id}/evaluate`).expect(200);
    expect(third.body.membership).toMatchObject({ size: after.length, added: 0, removed: 0 });
    expect(await members(id)).toEqual(after);
  });
});
