import { DEFAULT_REMOVAL_LIMIT, effectiveRemovalLimit, removalsOverLimit } from './removal-limit';

describe('removal limit', () => {
  const limit = effectiveRemovalLimit(null);

  it('defaults to 10% or 10,000, letting up to 10 removals through', () => {
    expect(limit).toEqual(DEFAULT_REMOVAL_LIMIT);
    expect(effectiveRemovalLimit({ percent: null })).toEqual({
      ...DEFAULT_REMOVAL_LIMIT,
      percent: null,
    });
  });

  it('holds a share over the limit, in words', () => {
    expect(removalsOverLimit(4200, 5000, limit)).toBe(
      'would remove 4,200 of 5,000 members (84%), over the limit of 10%',
    );
    expect(removalsOverLimit(500, 5000, limit)).toBeNull();
    expect(removalsOverLimit(501, 5000, limit)).toMatch(/over the limit of 10%$/);
  });

  it('holds a count over the limit on a large list', () => {
    expect(removalsOverLimit(12_000, 1_000_000, limit)).toBe(
      'would remove 12,000 of 1,000,000 members (1.2%), over the limit of 10,000 removals',
    );
    expect(removalsOverLimit(200_000, 1_000_000, limit)).toMatch(
      /over the limits of 10% and 10,000 removals$/,
    );
  });

  it('lets small changes through and can be turned off', () => {
    expect(removalsOverLimit(10, 10, limit)).toBeNull();
    expect(removalsOverLimit(11, 11, limit)).toMatch(/\(100%\)/);
    expect(removalsOverLimit(5000, 5000, { percent: null, count: null, minimum: 0 })).toBeNull();
  });
});
