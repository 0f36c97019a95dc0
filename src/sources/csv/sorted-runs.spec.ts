import type { MappedRecord } from '../record-mapper';
import { SortedRuns } from './sorted-runs';

const record = (key: string, n = 0): MappedRecord => ({
  key,
  fields: `{"n":${n}}`,
  raw: '{}',
  lastModified: null,
});

describe('SortedRuns', () => {
  it('hands out each run sorted by key, in batches, runs in order', () => {
    const runs = new SortedRuns(3, 2);
    ['c', 'a', 'b'].forEach((k, i) => {
      runs.add(record(k), i + 2, false);
    });
    expect(runs.full).toBe(true);
    runs.seal();
    ['f', 'd'].forEach((k, i) => {
      runs.add(record(k), i + 5, k === 'd');
    });
    runs.seal();
    expect(runs.pending).toBe(2);
    const batches = [];
    for (let b = runs.nextBatch(); b; b = runs.nextBatch()) batches.push(b);
    expect(batches.map((b) => b.keys)).toEqual([['a', 'b'], ['c'], ['d', 'f']]);
    expect(batches.map((b) => b.lines)).toEqual([[3, 4], [2], [6, 5]]);
    expect(batches[2].maybeSeen).toEqual([0]);
    expect(runs.pending).toBe(0);
  });

  it('keeps the row with the smallest line of a key repeated within a run', () => {
    const runs = new SortedRuns(10, 10);
    runs.add(record('k', 1), 7, false);
    runs.add(record('x'), 8, false);
    runs.add(record('k', 2), 3, false);
    runs.add(record('k', 3), 9, true);
    runs.seal();
    const batch = runs.nextBatch();
    expect(batch?.keys).toEqual(['k', 'x']);
    expect(batch?.fields).toEqual(['{"n":2}', '{"n":0}']);
    expect(runs.duplicates).toBe(2);
    expect(runs.errors.list()).toEqual([
      {
        line: 7,
        message:
          'duplicate primary key "k": an earlier row has the same key (the first one is kept)',
      },
      {
        line: 9,
        message:
          'duplicate primary key "k": an earlier row has the same key (the first one is kept)',
      },
    ]);
  });

  it('seals nothing when the run is empty', () => {
    const runs = new SortedRuns(10, 10);
    runs.seal();
    expect(runs.pending).toBe(0);
    expect(runs.nextBatch()).toBeNull();
  });
});
