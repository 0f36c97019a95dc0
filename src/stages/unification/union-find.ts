/**
 * Disjoint sets over record indexes 0..n−1 in two typed arrays (4 bytes each per record):
 * union by size with path halving, so a million records take a few megabytes and near-constant
 * time per operation. Written by hand: it is a dozen lines, and the npm packages for it store
 * objects per element.
 */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Int32Array;

  constructor(readonly length: number) {
    this.parent = new Int32Array(length);
    this.size = new Int32Array(length).fill(1);
    for (let i = 0; i < length; i++) this.parent[i] = i;
  }

  find(i: number): number {
    const parent = this.parent;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  /** Joins the sets of `a` and `b`; true when they were separate. */
  union(a: number, b: number): boolean {
    return this.join(a, b) >= 0;
  }

  /**
   * Joins the sets of `a` and `b`; answers the root that stopped being one (each element stops
   * being a root at most once, so it can stand for the join), or −1 when they were one set.
   */
  join(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return -1;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    return rb;
  }

  connected(a: number, b: number): boolean {
    return this.find(a) === this.find(b);
  }

  /** Number of elements in the set of `i`. */
  setSize(i: number): number {
    return this.size[this.find(i)];
  }
}
