import { KeyFilter } from './key-filter';

describe('KeyFilter', () => {
  it('never misses a key added before', () => {
    const filter = new KeyFilter(16);
    const keys = Array.from({ length: 5_000 }, (_, i) => `key-${i}-${(i * 7919) % 104729}`);
    for (const key of keys) filter.add(key);
    expect(keys.every((key) => filter.add(key))).toBe(true);
  });

  it('rarely flags a new key when it has room', () => {
    const filter = new KeyFilter(20); // 1 Mi bits for 20,000 keys
    let flagged = 0;
    for (let i = 0; i < 20_000; i++) if (filter.add(`a${i}`)) flagged++;
    for (let i = 0; i < 20_000; i++) if (filter.add(`b${i}`)) flagged++;
    expect(flagged / 40_000).toBeLessThan(0.01);
  });

  it('tells apart keys that differ in one character or in order', () => {
    const filter = new KeyFilter(20);
    filter.add('ab');
    expect(filter.add('ba')).toBe(false);
    expect(filter.add('abc')).toBe(false);
    expect(filter.add('ab')).toBe(true);
  });
});
