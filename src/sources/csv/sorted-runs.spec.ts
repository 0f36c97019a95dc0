import type { RecordBatch } from './parse-messages';
import { PackedBatchBuilder } from './packed-batch';
import { SortedRuns } from './sorted-runs';

/** A batch of records `[key, line, n?, maybeSeen?]`. */
function batch(records: [string, number, number?, boolean?][]): RecordBatch {
  return {
    keys: records.map((r) => r[0]),
    fields: records.map((r) => `{"n":${r[2] ?? 0}}`),
    raw: records.map(() => '{}'),
    lastModified: records.map(() => null),
    lines: records.map((r) => r[1]),
    maybeSeen: records.flatMap((r, i) => (r[3] ? [i] : [])),
  };
}

describe('SortedRuns', () => {
  it('hands out each run sorted by key, in batches, runs in order', () => {
    const runs = new SortedRuns(3, 2);
    runs.addBatch(
      batch([
        ['c', 2],
        ['a', 3],
        ['b', 4],
      ]),
    );
    expect(runs.full).toBe(true);
    runs.seal();
    runs.addBatch(
      batch([
        ['f', 5],
        ['d', 6, 0, true],
      ]),
    );
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
    runs.addBatch(
      batch([
        ['k', 7, 1],
        ['x', 8],
      ]),
    );
    runs.addBatch(
      batch([
        ['k', 3, 2],
        ['k', 9, 3, true],
      ]),
    );
    runs.seal();
    const out = runs.nextBatch();
    expect(out?.keys).toEqual(['k', 'x']);
    expect(out?.fields).toEqual(['{"n":2}', '{"n":0}']);
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

  it('reads packed batches from the parse worker the same way', () => {
    const runs = new SortedRuns(10, 10);
    const builder = new PackedBatchBuilder();
    builder.add('b', '{"n":1}', '{"x":"é"}', '2024-01-01T00:00:00.000Z', 2);
    builder.add('a', '{"n":2}', '{}', null, 3);
    builder.add('b', '{"n":3}', '{}', null, 4);
    const packed = builder.take();
    packed.maybeSeen.push(1); // flagged by the ingest's Bloom filter
    runs.addPacked(packed);
    runs.seal();
    const out = runs.nextBatch();
    const text = (value: string | Uint8Array) => Buffer.from(value).toString('utf8');
    // Values stay UTF-8 bytes (views of the batch's buffer) until they are written.
    expect(out?.fields.every((v) => v instanceof Uint8Array)).toBe(true);
    expect({ ...out, fields: out?.fields.map(text), raw: out?.raw.map(text) }).toEqual({
      keys: ['a', 'b'],
      fields: ['{"n":2}', '{"n":1}'],
      raw: ['{}', '{"x":"é"}'],
      lastModified: [null, '2024-01-01T00:00:00.000Z'],
      lines: [3, 2],
      maybeSeen: [0],
    });
    expect(runs.duplicates).toBe(1);
  });

  it('merges many batches into key order, keeping the first line of each key per run', () => {
    const runs = new SortedRuns(1_000, 97);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const rows: [string, number][] = [];
    for (let line = 2; line < 2_002; line++) rows.push([`k${Math.floor(random() * 700)}`, line]);
    // Two runs of 1,000 rows, fed in batches of 50 in file order.
    const out: { key: string; line: number }[] = [];
    for (let start = 0; start < rows.length; start += 50) {
      runs.addBatch(batch(rows.slice(start, start + 50)));
      if (runs.full) runs.seal();
    }
    runs.seal();
    for (let b = runs.nextBatch(); b; b = runs.nextBatch()) {
      expect(b.keys.length).toBeLessThanOrEqual(97);
      b.keys.forEach((key, i) => out.push({ key, line: b.lines[i] }));
    }
    const expected: { key: string; line: number }[] = [];
    let dropped = 0;
    for (const run of [rows.slice(0, 1_000), rows.slice(1_000)]) {
      const first = new Map<string, number>();
      for (const [key, line] of run) {
        if (first.has(key)) dropped++;
        else first.set(key, line);
      }
      const sorted = [...first].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      expected.push(...sorted.map(([key, line]) => ({ key, line })));
    }
    expect(out).toEqual(expected);
    expect(runs.duplicates).toBe(dropped);
    expect(runs.pending).toBe(0);
  });

  it('merges any number of batches, empty ones included, in key then line order', () => {
    let seed = 11;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    // Batch counts around powers of two (the merge is a tournament tree over the batches).
    for (const count of [1, 2, 3, 5, 8, 9, 17]) {
      const runs = new SortedRuns(1_000_000, 1_000_000);
      const rows: [string, number][] = [];
      let line = 2;
      for (let b = 0; b < count; b++) {
        const size = b % 4 === 1 ? 0 : 1 + Math.floor(random() * 30);
        const part: [string, number][] = [];
        for (let i = 0; i < size; i++) part.push([`k${Math.floor(random() * 40)}`, line++]);
        rows.push(...part);
        runs.addBatch(batch(part));
      }
      runs.seal();
      const first = new Map<string, number>();
      for (const [key, l] of rows) if (!first.has(key)) first.set(key, l);
      const expected = [...first].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const out = runs.nextBatch();
      expect(out ? out.keys.map((key, i) => [key, out.lines[i]]) : []).toEqual(expected);
      expect(runs.duplicates).toBe(rows.length - first.size);
      expect(runs.nextBatch()).toBeNull();
      expect(runs.pending).toBe(0);
    }
  });
});
