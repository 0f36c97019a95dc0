import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';
import { UnificationStore, type StoreRecord } from '../../../test/support/unification-store';
import { STATE_KEY } from './change-publisher';
import type { MatchRule } from './unification-config';

const RULES: MatchRule[] = [
  { name: 'email', conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }] },
  { name: 'phone', conditions: [{ field: 'phone', normalizers: ['digitsOnly'], match: 'exact' }] },
];

const FUZZY: MatchRule = {
  name: 'zip+name',
  conditions: [
    { field: 'zip', normalizers: ['trim'], match: 'exact' },
    { field: 'name', normalizers: ['lowercase', 'removeDiacritics'], match: { fuzzy: 0.8 } },
  ],
};

const SOURCES = ['crm', 'shop', 'web'];

/** A deterministic generator (no Math.random in tests: failures must reproduce). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = Array.from({ length: 80 }, (_, i) => {
  const next = random(1000 + i);
  return Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join(
    '',
  );
});

type Data = Map<string, Map<string, StoreRecord>>;

/** Records whose e-mails and phones collide often: merges, chains and within-source duplicates. */
function record(next: () => number, key: string): StoreRecord {
  const pick = (n: number) => Math.floor(next() * n);
  // Names of eight letters; some with one letter changed (a fuzzy match at 0.8).
  let name = NAMES[pick(NAMES.length)];
  if (next() < 0.3) name = `${name.slice(0, 3)}${'xyz'[pick(3)]}${name.slice(4)}`;
  const fields: Record<string, string> = { name: next() < 0.5 ? name.toUpperCase() : name };
  if (next() < 0.8) fields.email = `${next() < 0.5 ? 'P' : 'p'}${pick(500)}@x.com `;
  if (next() < 0.5) fields.phone = `+1 555-${String(pick(400)).padStart(4, '0')}`;
  if (next() < 0.6) fields.zip = String(pick(6));
  return { key, fields, lastModified: next() < 0.8 ? `2026-0${1 + pick(9)}-01T00:00:00Z` : null };
}

function generate(seed: number, perSource: number): Data {
  const next = random(seed);
  const data: Data = new Map();
  for (const source of SOURCES) {
    const records = new Map<string, StoreRecord>();
    for (let i = 0; i < perSource; i++)
      records.set(`${source}-${i}`, record(next, `${source}-${i}`));
    data.set(source, records);
  }
  return data;
}

/** Adds, edits and deletes about `share` of the records, at random. */
function change(data: Data, seed: number, share: number): void {
  const next = random(seed);
  let added = 0;
  for (const [source, records] of data) {
    for (const key of [...records.keys()]) {
      const roll = next();
      if (roll < share / 3) records.delete(key);
      else if (roll < (2 * share) / 3) records.set(key, record(next, key));
      else if (roll < share) records.set(`${source}-new-${seed}-${added++}`, record(next, key));
    }
  }
  for (const records of data.values()) {
    for (const [key, r] of records) r.key = key;
  }
}

async function load(store: UnificationStore, data: Data): Promise<void> {
  for (const [source, records] of data) await store.put(source, [...records.values()]);
}

/** The customers a plain union-find over the records gives (the reference). */
function reference(data: Data, dedupe: boolean): string[][] {
  const ids: string[] = [];
  const sourceOf: string[] = [];
  const keysOf: (string | undefined)[][] = [];
  for (const [source, records] of data) {
    for (const r of records.values()) {
      ids.push(`${source}:${r.key}`);
      sourceOf.push(source);
      const email = typeof r.fields.email === 'string' ? r.fields.email.trim().toLowerCase() : '';
      const phone = typeof r.fields.phone === 'string' ? r.fields.phone.replace(/\D/g, '') : '';
      keysOf.push([email || undefined, phone || undefined]);
    }
  }
  const parent = ids.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let rule = 0; rule < 2; rule++) {
    const groups = new Map<string, number[]>();
    keysOf.forEach((keys, i) => {
      const key = keys[rule];
      if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), i]);
    });
    for (const members of groups.values()) {
      if (!dedupe && new Set(members.map((m) => sourceOf[m])).size < 2) continue;
      for (const m of members) parent[find(m)] = find(members[0]);
    }
  }
  const customers = new Map<number, string[]>();
  ids.forEach((id, i) => customers.set(find(i), [...(customers.get(find(i)) ?? []), id]));
  return [...customers.values()].map((c) => c.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

describe('unification engine', () => {
  let specs: SpecDb[] = [];
  const open = async () => {
    const spec = await openSpecDb();
    specs.push(spec);
    return new UnificationStore(spec.db);
  };
  afterEach(async () => {
    for (const spec of specs) await spec.close();
    specs = [];
  });

  it.each([true, false])(
    'gives the clusters of a plain union-find, through merges and splits (dedupe %s)',
    async (dedupe) => {
      const store = await open();
      const data = generate(7, 250);
      await load(store, data);
      const first = await store.unify(RULES, { dedupeWithinSource: dedupe });
      const expected = reference(data, dedupe);
      expect(expected.length).toBeLessThan(600);
      expect(expected.some((c) => c.length > 3)).toBe(true);
      expect(await store.partition()).toEqual(expected);
      expect(first).toMatchObject({ sourceRecords: 750, customers: expected.length });
      expect(first.rules[0].merges + first.rules[1].merges).toBe(750 - expected.length);
      for (const round of [1, 2, 3]) {
        change(data, 100 + round, 0.15);
        await load(store, data);
        const run = await store.unify(RULES, { dedupeWithinSource: dedupe });
        const after = reference(data, dedupe);
        const got = await store.partition();
        expect(got).toEqual(after);
        expect(run.customers).toBe(after.length);
        expect(run.customersMerged + run.customersSplit).toBeGreaterThan(0);
      }
    },
  );

  it('an incremental run gives exactly what a full run gives after random changes', async () => {
    const incremental = await open();
    const full = await open();
    const rules = [...RULES, FUZZY];
    const merge = {
      default: 'mostRecent' as const,
      fields: { name: 'leastRecent' as const },
      groups: [{ name: 'contact', fields: ['email', 'phone'] }],
    };
    const data = generate(21, 200);
    for (const store of [incremental, full]) {
      await load(store, data);
      await store.unify(rules, { merge });
    }
    let moved = 0;
    for (const round of [1, 2, 3, 4]) {
      change(data, 200 + round, round === 4 ? 0.01 : 0.1);
      await load(incremental, data);
      await load(full, data);
      // The full store forgets what its last run was computed under: it recomputes everything.
      await full.db.query('DELETE FROM app_setting WHERE key = ?', [STATE_KEY]);
      const a = await incremental.unify(rules, { merge });
      const b = await full.unify(rules, { merge });
      expect(a.recordsRecomputed).toBeLessThan(b.recordsRecomputed);
      expect(b.recordsRecomputed).toBe(b.sourceRecords);
      const figures = (run: typeof a) => ({
        customers: run.customers,
        created: run.customersCreated,
        merged: run.customersMerged,
        split: run.customersSplit,
        deleted: run.customersDeleted,
        rules: run.rules,
        warnings: run.warnings,
      });
      expect(figures(a)).toEqual(figures(b));
      expect(a.rules[2].merges).toBeGreaterThan(0);
      moved += a.customersMerged + a.customersSplit + a.customersDeleted;
      expect(await incremental.customerByRecord()).toEqual(await full.customerByRecord());
      expect(await incremental.customers()).toEqual(await full.customers());
    }
    expect(moved).toBeGreaterThan(0);
    // Nothing changed: nothing is recomputed or written.
    const again = await incremental.unify(rules, { merge });
    expect(again).toMatchObject({ recordsRecomputed: 0, transactions: 0, customersUpdated: 0 });
  });
});
