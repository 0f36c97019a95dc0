import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';
import { clearWorkTables, customerIdFor } from './engine-sql';
import { compareText } from './source-rank';
import { assignStableIds } from './stable-ids';

interface OldCustomer {
  id: string;
  /** Creation time (seconds; smaller is older). */
  at: number;
  records: string[];
}

const OldFate = { Kept: 'K', Merged: 'M', Deleted: 'D' } as const;

let spec: SpecDb;

beforeAll(async () => {
  spec = await openSpecDb();
});

afterAll(async () => {
  await spec.close();
});

/**
 * Runs ID assignment in the store for new clusters (lists of record keys) over old customers,
 * as a run leaves them in the scratch tables. Record keys are identities: their text order is
 * the identity order. New IDs are shown as `new1`, `new2`, ….
 */
async function assign(olds: OldCustomer[], clusters: string[][]) {
  const { db } = spec;
  await clearWorkTables(db);
  await db.query('DELETE FROM customer');
  const keys = clusters.flat().sort(compareText);
  const clusterOfKey = new Map<string, number>();
  const numbered = new Map<string[], number>();
  for (const key of keys) {
    const cluster = clusters.find((c) => c.includes(key))!;
    if (!numbered.has(cluster)) numbered.set(cluster, numbered.size);
    clusterOfKey.set(key, numbered.get(cluster)!);
  }
  const oldOf = new Map<string, string>();
  for (const o of olds) for (const k of o.records) oldOf.set(k, o.id);
  await db.atomic([
    ...olds.flatMap((o) =>
      db.insertRows(
        'customer',
        ['customer_id', 'fields', 'record_count', 'created_at', 'updated_at'],
        [[o.id, '{}', o.records.length, stamp(o.at), stamp(o.at)]],
        { casts: { fields: db.dialect.jsonParam() } },
      ),
    ),
    ...db.insertRows(
      'unify_work_touched',
      ['customer_id'],
      olds.map((o) => [o.id]),
    ),
    ...db.insertRows(
      'unify_work_record',
      ['i', 'rec_no', 'source_rank', 'old_customer'],
      keys.map((k, i) => [i, i + 1, 0, oldOf.get(k) ?? null]),
    ),
    ...db.insertRows(
      'unify_work_member',
      ['i', 'cluster', 'merge_rule'],
      keys.map((k, i) => [i, clusterOfKey.get(k), null]),
    ),
    ...db.insertRows(
      'unify_work_cluster',
      ['cluster', 'size'],
      [...numbered].map(([c, n]) => [n, c.length]),
    ),
  ]);
  const result = await assignStableIds(db, 1, () => Promise.resolve());
  const rename = (id: string | null) => {
    for (let n = 1; n <= keys.length; n++) if (id === customerIdFor(n)) return `new${n}`;
    return id ?? undefined;
  };
  const ids = new Map(
    (
      await db.query<{ c: number | string; id: string }>(
        'SELECT cluster AS c, customer_id AS id FROM unify_work_cluster',
      )
    ).map((r) => [Number(r.c), rename(r.id)]),
  );
  const fates = new Map(
    (
      await db.query<{ id: string; fate: string; c: number | string | null }>(
        'SELECT customer_id AS id, fate, cluster AS c FROM unify_work_old',
      )
    ).map((r) => [r.id, { fate: r.fate, into: r.c === null ? undefined : ids.get(Number(r.c)) }]),
  );
  const idOf = (key: string) => ids.get(clusterOfKey.get(key)!);
  const fateOf = (id: string) => fates.get(id);
  return { result, idOf, fateOf };
}

function stamp(seconds: number): string {
  return new Date(Date.UTC(2026, 0, 1, 0, 0, seconds))
    .toISOString()
    .replace('T', ' ')
    .replace('Z', '');
}

describe('assignStableIds', () => {
  it('changes nothing when nothing changed', async () => {
    const olds = [
      { id: 'X', at: 1, records: ['a', 'b'] },
      { id: 'Y', at: 2, records: ['c'] },
    ];
    const { result, idOf } = await assign(olds, [['a', 'b'], ['c']]);
    expect([idOf('a'), idOf('b'), idOf('c')]).toEqual(['X', 'X', 'Y']);
    expect(result).toMatchObject({ created: 0, merged: 0, split: 0, deleted: 0 });
  });

  it('keeps the ID when new records join a customer, and numbers new customers by smallest identity', async () => {
    const { result, idOf } = await assign(
      [{ id: 'X', at: 1, records: ['b'] }],
      [['b', 'z'], ['y'], ['a']],
    );
    expect(idOf('z')).toBe('X');
    // Clusters are numbered by their smallest identity: a before y.
    expect([idOf('a'), idOf('y')]).toEqual(['new1', 'new2']);
    expect(result.created).toBe(2);
  });

  it('on a merge keeps the oldest ID even when a younger customer has more records', async () => {
    const olds = [
      { id: 'Young', at: 5, records: ['a', 'b', 'c'] },
      { id: 'Old', at: 1, records: ['d'] },
      { id: 'Mid', at: 3, records: ['e'] },
    ];
    const { result, idOf, fateOf } = await assign(olds, [['a', 'b', 'c', 'd', 'e']]);
    expect(idOf('a')).toBe('Old');
    expect(fateOf('Young')).toEqual({ fate: OldFate.Merged, into: 'Old' });
    expect(fateOf('Mid')).toEqual({ fate: OldFate.Merged, into: 'Old' });
    expect(result).toMatchObject({ created: 0, merged: 2 });
  });

  it('breaks creation-time ties by ID', async () => {
    const olds = [
      { id: 'B', at: 1, records: ['a'] },
      { id: 'A', at: 1, records: ['b'] },
    ];
    const { idOf, fateOf } = await assign(olds, [['a', 'b']]);
    expect(idOf('a')).toBe('A');
    expect(fateOf('B')).toEqual({ fate: OldFate.Merged, into: 'A' });
  });

  it('on a split leaves the ID with the largest part; the others get new IDs', async () => {
    const olds = [{ id: 'X', at: 1, records: ['a', 'b', 'c', 'd', 'e'] }];
    const { result, idOf } = await assign(olds, [['a'], ['b', 'c', 'd'], ['e']]);
    expect(idOf('c')).toBe('X');
    expect([idOf('a'), idOf('e')]).toEqual(['new1', 'new2']);
    expect(result).toMatchObject({ created: 2, split: 1, merged: 0 });
  });

  it('between equal parts prefers the part that is most its own, then the smallest identity', async () => {
    // {a} and {b, y}: one X record each; {a} is all X, so it keeps X.
    const first = await assign([{ id: 'X', at: 1, records: ['b', 'a'] }], [['a'], ['b', 'y']]);
    expect(first.idOf('a')).toBe('X');
    expect(first.idOf('b')).toBe('new1');
    const second = await assign(
      [{ id: 'X', at: 1, records: ['a', 'z'] }],
      [
        ['y', 'z'],
        ['a', 'b'],
      ],
    );
    // Equal parts of equal clusters: the one with the smallest identity ({a, b}) keeps X.
    expect(second.idOf('a')).toBe('X');
    expect(second.idOf('y')).toBe('new1');
  });

  it('handles a split whose smaller part merges into another customer', async () => {
    const olds = [
      { id: 'X', at: 1, records: ['a', 'b', 'c'] },
      { id: 'Y', at: 2, records: ['d'] },
    ];
    const { result, idOf } = await assign(olds, [
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(idOf('a')).toBe('X');
    expect(idOf('c')).toBe('Y');
    expect(result).toMatchObject({ created: 0, merged: 0, split: 1 });
  });

  it('lets a customer that lost its home live on in a part nobody else claims', async () => {
    // X = {a, b}, Y = {c, d}; the data now pairs a with c and b with d.
    const olds = [
      { id: 'X', at: 1, records: ['a', 'b'] },
      { id: 'Y', at: 2, records: ['c', 'd'] },
    ];
    const { result, idOf, fateOf } = await assign(olds, [
      ['a', 'c'],
      ['b', 'd'],
    ]);
    expect(idOf('a')).toBe('X');
    expect(idOf('b')).toBe('Y');
    expect(fateOf('Y')).toEqual({ fate: OldFate.Kept, into: 'Y' });
    expect(result).toMatchObject({ created: 0, merged: 0, split: 2 });
  });

  it('deletes customers none of whose records are current', async () => {
    const olds = [
      { id: 'X', at: 1, records: ['gone1', 'gone2'] },
      { id: 'Y', at: 2, records: ['b', 'gone3'] },
    ];
    const { result, idOf, fateOf } = await assign(olds, [['b']]);
    expect(idOf('b')).toBe('Y');
    expect(fateOf('X')).toEqual({ fate: OldFate.Deleted, into: undefined });
    expect(result).toMatchObject({ deleted: 1, created: 0 });
  });

  it('gives the same answer however the old customers are listed', async () => {
    const olds = [
      { id: 'P', at: 3, records: ['a', 'b'] },
      { id: 'Q', at: 3, records: ['c'] },
      { id: 'R', at: 1, records: ['d', 'e', 'f'] },
      { id: 'S', at: 2, records: ['g', 'h'] },
    ];
    const clusters = [['a', 'c', 'g'], ['b'], ['d', 'e'], ['f', 'h'], ['i']];
    const expected = await assign(olds, clusters);
    const reversed = await assign(
      [...olds].reverse(),
      clusters.map((c) => [...c].reverse()).reverse(),
    );
    for (const key of 'abcdefghi') expect(reversed.idOf(key)).toBe(expected.idOf(key));
  });
});
