import { UnionFind } from './union-find';

describe('UnionFind', () => {
  it('joins sets transitively and reports real joins', () => {
    const sets = new UnionFind(6);
    expect(sets.union(0, 1)).toBe(true);
    expect(sets.union(1, 2)).toBe(true);
    expect(sets.union(2, 0)).toBe(false);
    expect(sets.union(4, 5)).toBe(true);
    expect(sets.connected(0, 2)).toBe(true);
    expect(sets.connected(0, 3)).toBe(false);
    expect(sets.connected(3, 4)).toBe(false);
    expect(sets.setSize(1)).toBe(3);
    expect(sets.setSize(3)).toBe(1);
  });

  it('handles long chains (path halving) without recursion', () => {
    const n = 200_000;
    const sets = new UnionFind(n);
    for (let i = 1; i < n; i++) sets.union(i - 1, i);
    expect(sets.connected(0, n - 1)).toBe(true);
    expect(sets.setSize(n - 1)).toBe(n);
  });
});
