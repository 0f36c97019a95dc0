import { Clusters } from './clusters';
import { CustomerFields } from './customer-fields';
import { FieldMerger } from './field-merger';
import { RecordTable, type SourceInfo } from './record-table';
import type { MergeConfig } from './unification-config';
import { UnionFind } from './union-find';

const sources: SourceInfo[] = [
  { id: 'id-crm', name: 'crm', generation: 1 },
  { id: 'id-shop', name: 'shop', generation: 1 },
];
const merge: MergeConfig = { default: 'mostRecent', fields: {}, groups: [] };

interface Rec {
  source: number;
  key: string;
  fields: object;
  at?: string;
}

/** One customer made of all `records` (added in the given order); its fields and digest. */
function customer(records: Rec[], config: MergeConfig = merge) {
  const table = new RecordTable();
  for (const r of records) {
    table.add(r.source, r.key, JSON.stringify(r.fields), r.at ? Date.parse(r.at) : Number.NaN);
  }
  const sets = new UnionFind(records.length);
  for (let i = 1; i < records.length; i++) sets.union(0, i);
  const clusters = Clusters.from(sets, table.identityOrder());
  const fields = new CustomerFields(
    clusters,
    table,
    sources,
    config,
    new FieldMerger(config, sources),
  );
  return { json: fields.json(0), digest: fields.digest(0).toString('hex') };
}

const a: Rec = {
  source: 0,
  key: 'c1',
  fields: { email: 'a@x.com', city: 'Old' },
  at: '2024-01-01T00:00:00Z',
};
const b: Rec = {
  source: 1,
  key: 's1',
  fields: { email: 'a@x.com', city: 'New' },
  at: '2024-06-01T00:00:00Z',
};

describe('CustomerFields', () => {
  it("keeps a one-record customer's fields JSON as stored", () => {
    const one = customer([{ source: 0, key: 'k', fields: { zip: '1', city: 'X' } }]);
    expect(one.json).toBe('{"zip":"1","city":"X"}');
  });

  it('merges larger customers and gives the same JSON and digest whatever the arrival order', () => {
    const ab = customer([a, b]);
    const ba = customer([b, a]);
    expect(ab.json).toBe('{"city":"New","email":"a@x.com"}');
    expect(ba).toEqual(ab);
  });

  it('changes the digest when anything the merge depends on changes', () => {
    const base = customer([a, b]).digest;
    expect(customer([a, { ...b, at: '2024-06-02T00:00:00Z' }]).digest).not.toBe(base);
    expect(customer([a, { ...b, key: 's2' }]).digest).not.toBe(base);
    expect(customer([a, { ...b, fields: { email: 'a@x.com', city: 'Newer' } }]).digest).not.toBe(
      base,
    );
    expect(customer([a, b], { ...merge, default: 'leastRecent' }).digest).not.toBe(base);
    expect(customer([a, b]).digest).toBe(base);
  });
});
