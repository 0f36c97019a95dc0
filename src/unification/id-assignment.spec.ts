import { Clusters } from './clusters';
import { assignIds, OldFate } from './id-assignment';
import { compareText, OldCustomers } from './record-table';
import { UnionFind } from './union-find';

interface OldCustomer {
  id: string;
  /** Creation time (any number; smaller is older). */
  at: number;
  records: string[];
}

/**
 * Runs ID assignment for new clusters (lists of record keys) over old customers. Record keys
 * are identities: their text order is the identity order.
 */
function assign(olds: OldCustomer[], clusters: string[][]) {
  const keys = clusters.flat().sort(compareText);
  const index = new Map(keys.map((k, i) => [k, i]));
  const sets = new UnionFind(keys.length);
  for (const cluster of clusters)
    for (const k of cluster) sets.union(index.get(cluster[0])!, index.get(k)!);
  const built = Clusters.from(sets, Int32Array.from(keys.keys()));
  const old = new OldCustomers();
  const recordOld = new Int32Array(keys.length).fill(-1);
  for (const o of olds) {
    const i = old.add(o.id, o.at, o.records.length, null);
    for (const k of o.records) if (index.has(k)) recordOld[index.get(k)!] = i;
  }
  let n = 0;
  const result = assignIds(built, recordOld, old, () => `new${++n}`);
  const idOf = (key: string) => result.ids[built.clusterOf[index.get(key)!]];
  const fateOf = (id: string) => {
    const o = old.indexOf(id);
    return {
      fate: result.fate[o] as OldFate,
      into: result.destination[o] >= 0 ? result.ids[result.destination[o]] : undefined,
    };
  };
  return { result, idOf, fateOf };
}

describe('assignIds', () => {
  it('changes nothing when nothing changed', () => {
    const olds = [
      { id: 'X', at: 1, records: ['a', 'b'] },
      { id: 'Y', at: 2, records: ['c'] },
    ];
    const { result, idOf } = assign(olds, [['a', 'b'], ['c']]);
    expect([idOf('a'), idOf('b'), idOf('c')]).toEqual(['X', 'X', 'Y']);
    expect(result).toMatchObject({ created: 0, merged: 0, split: 0, deleted: 0 });
  });

  it('keeps the ID when new records join a customer, and numbers new customers by smallest identity', () => {
    const { result, idOf } = assign(
      [{ id: 'X', at: 1, records: ['b'] }],
      [['b', 'z'], ['y'], ['a']],
    );
    expect(idOf('z')).toBe('X');
    // Clusters are numbered by their smallest identity: a before y.
    expect([idOf('a'), idOf('y')]).toEqual(['new1', 'new2']);
    expect(result.created).toBe(2);
  });

  it('on a merge keeps the oldest ID even when a younger customer has more records', () => {
    const olds = [
      { id: 'Young', at: 5, records: ['a', 'b', 'c'] },
      { id: 'Old', at: 1, records: ['d'] },
      { id: 'Mid', at: 3, records: ['e'] },
    ];
    const { result, idOf, fateOf } = assign(olds, [['a', 'b', 'c', 'd', 'e']]);
    expect(idOf('a')).toBe('Old');
    expect(fateOf('Young')).toEqual({ fate: OldFate.Merged, into: 'Old' });
    expect(fateOf('Mid')).toEqual({ fate: OldFate.Merged, into: 'Old' });
    expect(result).toMatchObject({ created: 0, merged: 2 });
  });

  it('breaks creation-time ties by ID', () => {
    const olds = [
      { id: 'B', at: 1, records: ['a'] },
      { id: 'A', at: 1, records: ['b'] },
    ];
    const { idOf, fateOf } = assign(olds, [['a', 'b']]);
    expect(idOf('a')).toBe('A');
    expect(fateOf('B')).toEqual({ fate: OldFate.Merged, into: 'A' });
  });

  it('on a split leaves the ID with the largest part; the others get new IDs', () => {
    const olds = [{ id: 'X', at: 1, records: ['a', 'b', 'c', 'd', 'e'] }];
    const { result, idOf } = assign(olds, [['a'], ['b', 'c', 'd'], ['e']]);
    expect(idOf('c')).toBe('X');
    expect([idOf('a'), idOf('e')]).toEqual(['new1', 'new2']);
    expect(result).toMatchObject({ created: 2, split: 1, merged: 0 });
  });

  it('between equal parts prefers the part that is most its own, then the smallest identity', () => {
    // {a} and {b, y}: one X record each; {a} is all X, so it keeps X.
    const first = assign([{ id: 'X', at: 1, records: ['b', 'a'] }], [['a'], ['b', 'y']]);
    expect(first.idOf('a')).toBe('X');
    expect(first.idOf('b')).toBe('new1');
    const second = assign(
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

  it('handles a split whose smaller part merges into another customer', () => {
    const olds = [
      { id: 'X', at: 1, records: ['a', 'b', 'c'] },
      { id: 'Y', at: 2, records: ['d'] },
    ];
    const { result, idOf } = assign(olds, [
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(idOf('a')).toBe('X');
    expect(idOf('c')).toBe('Y');
    expect(result).toMatchObject({ created: 0, merged: 0, split: 1 });
  });

  it('lets a customer that lost its home live on in a part nobody else claims', () => {
    // X = {a, b}, Y = {c, d}; the data now pairs a with c and b with d.
    const olds = [
      { id: 'X', at: 1, records: ['a', 'b'] },
      { id: 'Y', at: 2, records: ['c', 'd'] },
    ];
    const { result, idOf, fateOf } = assign(olds, [
      ['a', 'c'],
      ['b', 'd'],
    ]);
    expect(idOf('a')).toBe('X');
    expect(idOf('b')).toBe('Y');
    expect(fateOf('Y')).toEqual({ fate: OldFate.Kept, into: 'Y' });
    expect(result).toMatchObject({ created: 0, merged: 0, split: 2 });
  });

  it('deletes customers none of whose records are current', () => {
    const olds = [
      { id: 'X', at: 1, records: ['gone1', 'gone2'] },
      { id: 'Y', at: 2, records: ['b', 'gone3'] },
    ];
    const { result, idOf, fateOf } = assign(olds, [['b']]);
    expect(idOf('b')).toBe('Y');
    expect(fateOf('X')).toEqual({ fate: OldFate.Deleted, into: undefined });
    expect(result).toMatchObject({ deleted: 1, created: 0 });
  });

  it('gives the same answer however the old customers are listed', () => {
    const olds = [
      { id: 'P', at: 3, records: ['a', 'b'] },
      { id: 'Q', at: 3, records: ['c'] },
      { id: 'R', at: 1, records: ['d', 'e', 'f'] },
      { id: 'S', at: 2, records: ['g', 'h'] },
    ];
    const clusters = [['a', 'c', 'g'], ['b'], ['d', 'e'], ['f', 'h'], ['i']];
    const expected = assign(olds, clusters);
    const reversed = assign([...olds].reverse(), clusters.map((c) => [...c].reverse()).reverse());
    for (const key of 'abcdefghi') expect(reversed.idOf(key)).toBe(expected.idOf(key));
  });
});
