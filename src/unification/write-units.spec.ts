import { Clusters } from './clusters';
import { UnionFind } from './union-find';
import { WriteUnits } from './write-units';

/** Clusters over records 0..n−1 (each list one cluster); records are in identity order. */
function clusters(groups: number[][]): Clusters {
  const n = groups.flat().length;
  const sets = new UnionFind(n);
  for (const g of groups) for (const r of g) sets.union(g[0], r);
  return Clusters.from(
    sets,
    Int32Array.from({ length: n }, (_, i) => i),
  );
}

describe('WriteUnits', () => {
  it('groups changed clusters with every old customer they share records with', () => {
    // Records 0-1 were old customer 0, 2-3 old customer 1, 4 old customer 2, 5 is new.
    // New clusters: {0,1,2} (merges old 0 and part of old 1), {3} (the rest of old 1), {4}, {5}.
    const c = clusters([[0, 1, 2], [3], [4], [5]]);
    const old = Int32Array.from([0, 0, 1, 1, 2, -1]);
    const dirtyCluster = Uint8Array.from([1, 1, 0, 1]);
    const dirtyOld = Uint8Array.from([0, 1, 0]);
    const units = WriteUnits.plan(c, old, 3, dirtyCluster, dirtyOld);
    expect(units.count).toBe(2);
    // Unit 0: clusters 0 and 1 with old customer 1 (node 4 + 1); cluster 2 (unchanged) is left out.
    expect(Array.from(units.nodesOf(0))).toEqual([0, 1, 4 + 1]);
    expect(Array.from(units.nodesOf(1))).toEqual([3]);
  });

  it('lists nothing when nothing changed', () => {
    const c = clusters([[0], [1]]);
    const units = WriteUnits.plan(
      c,
      Int32Array.from([0, 1]),
      2,
      new Uint8Array(2),
      new Uint8Array(2),
    );
    expect(units.count).toBe(0);
  });
});
