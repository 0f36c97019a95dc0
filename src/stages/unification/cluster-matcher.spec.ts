import type { FieldValues } from '@stages/contract/customer-field';
import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';
import { UnificationStore, type StoreRecord } from '../../../test/support/unification-store';
import { MAX_FUZZY_BLOCK } from './cluster-matcher';
import type { MatchRule } from './unification-config';

interface Rec {
  source: number;
  key: string;
  fields: FieldValues;
}

const email: MatchRule = {
  name: 'email',
  conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }],
};
const phone: MatchRule = {
  name: 'phone',
  conditions: [{ field: 'phone', normalizers: ['digitsOnly'], match: 'exact' }],
};
const zipAndName = (threshold: number): MatchRule => ({
  name: 'zip+name',
  conditions: [
    { field: 'zip', normalizers: ['trim'], match: 'exact' },
    { field: 'name', normalizers: ['lowercase', 'removeDiacritics'], match: { fuzzy: threshold } },
  ],
});

let spec: SpecDb;
let store: UnificationStore;

beforeAll(async () => {
  spec = await openSpecDb();
  store = new UnificationStore(spec.db);
});

afterAll(async () => {
  await spec.close();
});

/**
 * Unifies the records (sources named by their number) in a fresh store, written in the given
 * order; answers the customers as sorted `source:key` lists, and the run's figures.
 */
async function partition(records: Rec[], rules: MatchRule[], dedupe = true) {
  await store.reset();
  const bySource = new Map<number, StoreRecord[]>();
  for (const r of records) {
    bySource.set(r.source, [...(bySource.get(r.source) ?? []), { key: r.key, fields: r.fields }]);
  }
  for (const [source, list] of bySource) await store.put(String(source), list);
  const result = await store.unify(rules, { dedupeWithinSource: dedupe });
  return { customers: await store.partition(), result };
}

/** A deterministic shuffle (no Math.random in tests: failures must reproduce). */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('matching in the engine', () => {
  it('matches transitively across rules (A~B by email, B~C by phone)', async () => {
    const { customers, result } = await partition(
      [
        { source: 0, key: 'a', fields: { email: 'Ann@X.com', phone: '111' } },
        { source: 1, key: 'b', fields: { email: ' ann@x.com', phone: '+1 (555) 0100' } },
        { source: 1, key: 'c', fields: { phone: '1-555-0100' } },
        { source: 0, key: 'd', fields: { email: 'bob@x.com' } },
      ],
      [email, phone],
    );
    expect(customers).toEqual([['0:a', '1:b', '1:c'], ['0:d']]);
    expect(result.rules).toEqual([
      { rule: 'email', merges: 1, blocksSkipped: 0 },
      { rule: 'phone', merges: 1, blocksSkipped: 0 },
    ]);
  });

  it('never matches on values that normalize to nothing', async () => {
    const { customers } = await partition(
      [
        { source: 0, key: 'a', fields: { phone: 'n/a' } },
        { source: 1, key: 'b', fields: { phone: 'unknown' } },
        { source: 1, key: 'c', fields: {} },
      ],
      [phone],
    );
    expect(customers).toHaveLength(3);
  });

  it('needs every condition of a rule (AND)', async () => {
    const rule: MatchRule = {
      name: 'name+zip',
      conditions: [
        { field: 'name', normalizers: ['lowercase'], match: 'exact' },
        { field: 'zip', normalizers: [], match: 'exact' },
      ],
    };
    const { customers } = await partition(
      [
        { source: 0, key: 'a', fields: { name: 'Ann', zip: '1000' } },
        { source: 1, key: 'b', fields: { name: 'ANN', zip: '1000' } },
        { source: 1, key: 'c', fields: { name: 'ann', zip: '2000' } },
        { source: 1, key: 'd', fields: { name: 'ann' } },
      ],
      [rule],
    );
    expect(customers).toEqual([['0:a', '1:b'], ['1:c'], ['1:d']]);
  });

  it('without deduplication never joins two records of one source directly', async () => {
    const records: Rec[] = [
      { source: 0, key: 'a1', fields: { email: 'ann@x.com' } },
      { source: 0, key: 'a2', fields: { email: 'ann@x.com' } },
      { source: 0, key: 'b1', fields: { email: 'bob@x.com' } },
      { source: 0, key: 'b2', fields: { email: 'bob@x.com' } },
      { source: 1, key: 'b3', fields: { email: 'bob@x.com' } },
    ];
    const { customers } = await partition(records, [email], false);
    // Ann's two records stay apart; Bob's join through the record of the other source.
    expect(customers).toEqual([['0:a1'], ['0:a2'], ['0:b1', '0:b2', '1:b3']]);
    // With deduplication they join.
    expect((await partition(records, [email], true)).customers).toEqual([
      ['0:a1', '0:a2'],
      ['0:b1', '0:b2', '1:b3'],
    ]);
    // Whatever order the records come in.
    for (const seed of [1, 2, 3, 4, 5]) {
      expect((await partition(shuffled(records, seed), [email], false)).customers).toEqual(
        customers,
      );
    }
  });

  it('compares fuzzy conditions only within a block (records sharing the exact keys)', async () => {
    const { customers } = await partition(
      [
        { source: 0, key: 'a', fields: { zip: '1000', name: 'Jonathan Smith' } },
        { source: 1, key: 'b', fields: { zip: '1000', name: 'Jonathon Smith' } },
        { source: 1, key: 'c', fields: { zip: '2000', name: 'Jonathan Smith' } },
        { source: 1, key: 'd', fields: { zip: '1000', name: 'Mary Jones' } },
        { source: 1, key: 'e', fields: { name: 'Jonathan Smith' } },
      ],
      [zipAndName(0.9)],
    );
    expect(customers).toEqual([['0:a', '1:b'], ['1:c'], ['1:d'], ['1:e']]);
  });

  it('applies the threshold: similarity must reach it', async () => {
    const records: Rec[] = [
      { source: 0, key: 'a', fields: { zip: '1', name: 'Chloé Martin' } },
      { source: 1, key: 'b', fields: { zip: '1', name: 'chloe martine' } },
    ];
    // After normalization: "chloe martin" vs "chloe martine": 1 edit in 13 → 0.923.
    expect((await partition(records, [zipAndName(0.92)])).customers).toHaveLength(1);
    expect((await partition(records, [zipAndName(0.93)])).customers).toHaveLength(2);
  });

  it('fuzzy matches are transitive and respect deduplication', async () => {
    const records: Rec[] = [
      { source: 0, key: 'a', fields: { zip: '1', name: 'catherine' } },
      { source: 0, key: 'b', fields: { zip: '1', name: 'katherine' } },
      { source: 1, key: 'c', fields: { zip: '1', name: 'katharine' } },
      { source: 1, key: 'd', fields: { zip: '1', name: 'catherine' } },
    ];
    expect((await partition(records, [zipAndName(0.85)])).customers).toEqual([
      ['0:a', '0:b', '1:c', '1:d'],
    ]);
    // Without dedupe: a~d (equal, other source), b~c (0.89, other source), a~c is 0.78, b~d 0.89.
    expect((await partition(records, [zipAndName(0.85)], false)).customers).toEqual([
      ['0:a', '0:b', '1:c', '1:d'],
    ]);
    expect((await partition(records, [zipAndName(0.95)], false)).customers).toEqual([
      ['0:a', '1:d'],
      ['0:b'],
      ['1:c'],
    ]);
  });

  it('gives the same customers whatever the order of records and rules', async () => {
    const records: Rec[] = [];
    for (let p = 0; p < 60; p++) {
      const name = `person ${p % 17}`;
      records.push({
        source: 0,
        key: `c${p}`,
        fields: { email: `p${p}@x.com`, zip: `${p % 5}`, name },
      });
      if (p % 3 === 0) {
        records.push({
          source: 1,
          key: `s${p}`,
          fields: { email: `P${p}@X.com`, phone: `${p % 7}` },
        });
      }
      if (p % 4 === 0)
        records.push({
          source: 1,
          key: `t${p}`,
          fields: { phone: `${p % 7}`, zip: `${p % 5}`, name: `${name}x` },
        });
    }
    const rules = [email, phone, zipAndName(0.8)];
    const expected = (await partition(records, rules)).customers;
    for (const seed of [11, 12, 13]) {
      const shuffledRecords = shuffled(records, seed);
      expect((await partition(shuffledRecords, rules)).customers).toEqual(expected);
      expect((await partition(shuffledRecords, [...rules].reverse())).customers).toEqual(expected);
    }
  });

  it('skips pairwise comparison of oversized blocks with a warning', async () => {
    const records: Rec[] = [];
    for (let i = 0; i <= MAX_FUZZY_BLOCK; i++) {
      records.push({ source: 0, key: `r${i}`, fields: { zip: '1', name: `name number ${i}` } });
    }
    records.push({ source: 1, key: 'dup', fields: { zip: '1', name: 'name number 1' } });
    const { customers, result } = await partition(records, [zipAndName(0.95)]);
    expect(result.rules[0].blocksSkipped).toBe(1);
    expect(result.warnings[0]).toMatch(/rule "zip\+name": a block of 2001 distinct values/);
    // Identical values still match (they need no pairwise comparison).
    expect(customers.find((c) => c.includes('1:dup'))).toEqual(['0:r1', '1:dup']);
  });
});
