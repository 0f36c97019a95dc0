import type { Clusters } from './clusters';
import { UnionFind } from './union-find';

/**
 * The changes of a run grouped into *units* that must be written in one transaction for every
 * reader to see each customer whole: a unit is a connected group of new clusters and old
 * customers that share records (a merge: the surviving customer, the retired ones and their
 * aliases; a split: the customer and its new parts). Only units with a change are listed.
 * Node `n < clusterCount` is cluster `n`; node `clusterCount + o` is old customer `o`.
 */
export class WriteUnits {
  constructor(
    readonly clusterCount: number,
    readonly count: number,
    private readonly start: Int32Array,
    private readonly nodes: Int32Array,
  ) {}

  /**
   * @param dirtyCluster clusters whose customer row or identities change
   * @param dirtyOld old customers that are deleted, merged away or lose records
   */
  static plan(
    clusters: Clusters,
    recordOldCustomer: Int32Array,
    oldCount: number,
    dirtyCluster: Uint8Array,
    dirtyOld: Uint8Array,
  ): WriteUnits {
    const clusterCount = clusters.count;
    const sets = new UnionFind(clusterCount + oldCount);
    for (let r = 0; r < recordOldCustomer.length; r++) {
      const o = recordOldCustomer[r];
      if (o >= 0) sets.union(clusters.clusterOf[r], clusterCount + o);
    }
    const total = clusterCount + oldCount;
    const unitOfRoot = new Int32Array(total).fill(-1);
    const unitOfNode = new Int32Array(total).fill(-1);
    let units = 0;
    // Units are numbered by their first dirty cluster, so new customers (numbered in cluster
    // order) are written in ID order: appends to the indexes instead of scattered inserts.
    for (let n = 0; n < total; n++) {
      const dirty = n < clusterCount ? dirtyCluster[n] : dirtyOld[n - clusterCount];
      if (!dirty) continue;
      const root = sets.find(n);
      if (unitOfRoot[root] === -1) unitOfRoot[root] = units++;
      unitOfNode[n] = unitOfRoot[root];
    }
    const start = new Int32Array(units + 1);
    for (let n = 0; n < total; n++) if (unitOfNode[n] >= 0) start[unitOfNode[n] + 1]++;
    for (let u = 0; u < units; u++) start[u + 1] += start[u];
    const fill = start.slice(0, units);
    const nodes = new Int32Array(start[units]);
    for (let n = 0; n < total; n++) if (unitOfNode[n] >= 0) nodes[fill[unitOfNode[n]]++] = n;
    return new WriteUnits(clusterCount, units, start, nodes);
  }

  /** The dirty nodes of unit `u`: clusters first (ascending), then old customers. */
  nodesOf(u: number): Int32Array {
    return this.nodes.subarray(this.start[u], this.start[u + 1]);
  }
}
