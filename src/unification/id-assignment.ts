import type { Clusters } from './clusters';
import { GrowableIntArray } from './growable-int-array';
import type { OldCustomers } from './record-table';

/** What became of a customer that existed before the run (stored in a Uint8Array). */
export const OldFate = {
  /** None of its records are current any more: the customer is deleted. */
  Deleted: 0,
  /** It keeps its ID (possibly with other records, or having lost some). */
  Kept: 1,
  /** It was merged into another customer: its ID becomes a previous ID of that one. */
  Merged: 2,
} as const;
export type OldFate = (typeof OldFate)[keyof typeof OldFate];

export interface IdAssignment {
  /** Per cluster: the old customer whose ID it keeps, or −1 when it gets a new ID. */
  keeper: Int32Array;
  /** Per cluster: its customer ID. */
  ids: string[];
  /** Per old customer: see {@link OldFate}. */
  fate: Uint8Array;
  /** Per old customer: the cluster it lives on as (kept) or was merged into; −1 when deleted. */
  destination: Int32Array;
  /** Per old customer: in how many clusters its current records ended up. */
  parts: Int32Array;
  created: number;
  merged: number;
  split: number;
  deleted: number;
}

/**
 * Gives every cluster a customer ID, keeping IDs stable:
 *
 * 1. Each old customer goes *home* to the cluster holding most of its current records (a split
 *    leaves the ID with the largest part); between equally large parts the smaller cluster wins
 *    (the one made most of its records), then the cluster with the smallest identity.
 * 2. A cluster that is home to one old customer keeps that ID. When it is home to several (they
 *    merged), the oldest (creation time, then ID) survives and the others are merged into it.
 * 3. An old customer that lost its home to an older one, but whose records are also in a
 *    cluster that is nobody's home, lives on there instead of being merged (fewer ID changes);
 *    the oldest such customer goes first, and among its clusters the same order as in 1.
 * 4. The other clusters get new IDs from `newId`, called in cluster order (the order of their
 *    smallest identities), so the same data always yields the same IDs.
 *
 * None of this depends on the order of records in the input: clusters are numbered by their
 * smallest identity and every tie is broken by data, never by position.
 */
export function assignIds(
  clusters: Clusters,
  recordOldCustomer: Int32Array,
  old: OldCustomers,
  newId: () => string,
): IdAssignment {
  const oldCount = old.count;
  const home = new Int32Array(oldCount).fill(-1);
  const homeOverlap = new Int32Array(oldCount);
  const parts = new Int32Array(oldCount);
  // (old customer, cluster, overlap) for every pair that shares records (for step 3).
  const pairs = new GrowableIntArray();
  const tally = new Int32Array(oldCount);
  const touched: number[] = [];

  const better = (o: number, c: number, overlap: number): boolean => {
    const h = home[o];
    if (h === -1 || overlap > homeOverlap[o]) return true;
    if (overlap < homeOverlap[o]) return false;
    const sc = clusters.size(c);
    const sh = clusters.size(h);
    return sc !== sh ? sc < sh : c < h;
  };

  for (let c = 0; c < clusters.count; c++) {
    for (const record of clusters.membersOf(c)) {
      const o = recordOldCustomer[record];
      if (o < 0) continue;
      if (tally[o] === 0) touched.push(o);
      tally[o]++;
    }
    for (const o of touched) {
      const overlap = tally[o];
      parts[o]++;
      pairs.push(o);
      pairs.push(c);
      pairs.push(overlap);
      if (better(o, c, overlap)) {
        home[o] = c;
        homeOverlap[o] = overlap;
      }
      tally[o] = 0;
    }
    touched.length = 0;
  }

  const keeper = new Int32Array(clusters.count).fill(-1);
  for (let o = 0; o < oldCount; o++) {
    const c = home[o];
    if (c >= 0 && (keeper[c] === -1 || old.older(o, keeper[c]))) keeper[c] = o;
  }

  const fate = new Uint8Array(oldCount);
  const destination = new Int32Array(oldCount).fill(-1);
  const losers: number[] = [];
  for (let o = 0; o < oldCount; o++) {
    const c = home[o];
    if (c === -1) continue;
    if (keeper[c] === o) {
      fate[o] = OldFate.Kept;
      destination[o] = c;
    } else {
      losers.push(o);
    }
  }

  let merged = 0;
  if (losers.length > 0) {
    losers.sort((a, b) => (old.older(a, b) ? -1 : old.older(b, a) ? 1 : 0));
    const loserSet = new Set(losers);
    const candidates = new Map<number, { c: number; overlap: number }[]>();
    const view = pairs.view();
    for (let p = 0; p < view.length; p += 3) {
      const o = view[p];
      if (!loserSet.has(o)) continue;
      const list = candidates.get(o) ?? [];
      list.push({ c: view[p + 1], overlap: view[p + 2] });
      candidates.set(o, list);
    }
    for (const o of losers) {
      let best: { c: number; overlap: number } | undefined;
      for (const candidate of candidates.get(o) ?? []) {
        if (keeper[candidate.c] !== -1) continue;
        if (!best || preferPart(clusters, candidate, best)) best = candidate;
      }
      if (best) {
        keeper[best.c] = o;
        fate[o] = OldFate.Kept;
        destination[o] = best.c;
      } else {
        fate[o] = OldFate.Merged;
        destination[o] = home[o];
        merged++;
      }
    }
  }

  const ids = new Array<string>(clusters.count);
  let created = 0;
  for (let c = 0; c < clusters.count; c++) {
    if (keeper[c] >= 0) {
      ids[c] = old.id(keeper[c]);
    } else {
      ids[c] = newId();
      created++;
    }
  }

  let split = 0;
  let deleted = 0;
  for (let o = 0; o < oldCount; o++) {
    if (parts[o] > 1) split++;
    if (home[o] === -1) deleted++;
  }
  return { keeper, ids, fate, destination, parts, created, merged, split, deleted };
}

function preferPart(
  clusters: Clusters,
  a: { c: number; overlap: number },
  b: { c: number; overlap: number },
): boolean {
  if (a.overlap !== b.overlap) return a.overlap > b.overlap;
  const sa = clusters.size(a.c);
  const sb = clusters.size(b.c);
  return sa !== sb ? sa < sb : a.c < b.c;
}
