import type { UnionFind } from './union-find';

/**
 * The customers of a run as clusters of record indexes, numbered in identity order of their
 * smallest identity (cluster 0 holds the smallest identity of all), members in identity order.
 * Stored compactly: `members[start[c] .. start[c + 1])` are the records of cluster `c`.
 */
export class Clusters {
  constructor(
    readonly count: number,
    readonly start: Int32Array,
    readonly members: Int32Array,
    /** Cluster of each record. */
    readonly clusterOf: Int32Array,
  ) {}

  /** Groups records by their set in `sets`, given the records in identity order. */
  static from(sets: UnionFind, identityOrder: Int32Array): Clusters {
    const n = identityOrder.length;
    const clusterOfRoot = new Int32Array(n).fill(-1);
    const clusterOf = new Int32Array(n);
    let count = 0;
    for (let p = 0; p < n; p++) {
      const record = identityOrder[p];
      const root = sets.find(record);
      if (clusterOfRoot[root] === -1) clusterOfRoot[root] = count++;
      clusterOf[record] = clusterOfRoot[root];
    }
    const start = new Int32Array(count + 1);
    for (let i = 0; i < n; i++) start[clusterOf[i] + 1]++;
    for (let c = 0; c < count; c++) start[c + 1] += start[c];
    const fill = start.slice(0, count);
    const members = new Int32Array(n);
    for (let p = 0; p < n; p++) {
      const record = identityOrder[p];
      members[fill[clusterOf[record]]++] = record;
    }
    return new Clusters(count, start, members, clusterOf);
  }

  size(c: number): number {
    return this.start[c + 1] - this.start[c];
  }

  membersOf(c: number): Int32Array {
    return this.members.subarray(this.start[c], this.start[c + 1]);
  }
}
