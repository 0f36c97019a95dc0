import { KeyTable } from './key-table';

describe('KeyTable', () => {
  it('stores the first value per key and finds keys exactly', () => {
    const table = new KeyTable(4);
    expect(table.getOrAdd('ann@x.com', 0)).toBe(-1);
    expect(table.getOrAdd('bob@x.com', 1)).toBe(-1);
    expect(table.getOrAdd('ann@x.com', 2)).toBe(0);
    expect(table.find('bob@x.com')).toBe(1);
    expect(table.find('ann@x.co')).toBe(-1);
    expect(table.find('')).toBe(-1);
    expect(table.getOrAdd('', 3)).toBe(-1);
    expect(table.find('')).toBe(3);
    expect(table.size).toBe(3);
  });

  it('keeps every key apart through growth, with non-ASCII and long keys', () => {
    const table = new KeyTable();
    const n = 50_000;
    const key = (i: number) =>
      i % 3 === 0 ? `zoë-${i}` : i % 3 === 1 ? `${i}` : `${'k'.repeat(2000)}${i}`;
    for (let i = 0; i < n; i++) expect(table.getOrAdd(key(i), i)).toBe(-1);
    for (let i = 0; i < n; i++) expect(table.getOrAdd(key(i), i + n)).toBe(i);
    expect(table.size).toBe(n);
    expect(table.find('zoë-0')).toBe(0);
    expect(table.find('zoe-0')).toBe(-1);
  });
});
