/**
 * The removal guardrail of a destination: a mirror export that would remove more members from
 * a segment's target than the limit allows stops that segment before any write (status `held`)
 * until someone approves it. The default is on, so a source emptied by mistake never wipes the
 * lists in the target.
 *
 * A segment is held when its removals are more than `minimum` AND either more than `percent` %
 * of what the target holds, or more than `count`. `minimum` lets small lists churn (20 of 50
 * members leaving is normal); `count` catches a large absolute loss on a huge list.
 */
export interface RemovalLimit {
  /** Share of the list (0–100) that may go in one export; null: no share limit. */
  percent: number | null;
  /** Members that may go in one export whatever the list's size; null: no count limit. */
  count: number | null;
  /** Removals up to this many never hold a segment. */
  minimum: number;
}

export const DEFAULT_REMOVAL_LIMIT: Readonly<RemovalLimit> = Object.freeze({
  percent: 10,
  count: 10_000,
  minimum: 10,
});

/** The limit in force: the stored one, or the default when none was set. */
export function effectiveRemovalLimit(stored: Partial<RemovalLimit> | null): RemovalLimit {
  if (!stored) return { ...DEFAULT_REMOVAL_LIMIT };
  return {
    percent: stored.percent === undefined ? DEFAULT_REMOVAL_LIMIT.percent : stored.percent,
    count: stored.count === undefined ? DEFAULT_REMOVAL_LIMIT.count : stored.count,
    minimum: stored.minimum ?? DEFAULT_REMOVAL_LIMIT.minimum,
  };
}

/**
 * Why removing `removals` of the `listSize` members the target holds goes over the limit, in
 * words; null when it does not.
 */
export function removalsOverLimit(
  removals: number,
  listSize: number,
  limit: RemovalLimit,
): string | null {
  if (removals <= limit.minimum) return null;
  const n = (v: number) => v.toLocaleString('en-US');
  const share = listSize > 0 ? (removals / listSize) * 100 : 100;
  const shown = share >= 10 ? Math.round(share) : Math.round(share * 10) / 10;
  const what = `would remove ${n(removals)} of ${n(listSize)} members (${shown}%)`;
  const overShare = limit.percent !== null && removals * 100 > listSize * limit.percent;
  const overCount = limit.count !== null && removals > limit.count;
  if (overShare && overCount) {
    return `${what}, over the limits of ${limit.percent}% and ${n(limit.count ?? 0)} removals`;
  }
  if (overShare) return `${what}, over the limit of ${limit.percent}%`;
  if (overCount) return `${what}, over the limit of ${n(limit.count ?? 0)} removals`;
  return null;
}
