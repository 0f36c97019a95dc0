import { FieldMerger, type MergeMember } from './field-merger';
import type { SourceInfo } from './source-rank';
import type { MergeConfig } from './unification-config';

// Sources in rank (name) order: crm = 0, erp = 1, shop = 2.
const sources: SourceInfo[] = [
  { id: 'id-crm', name: 'crm', generation: 1 },
  { id: 'id-erp', name: 'erp', generation: 1 },
  { id: 'id-shop', name: 'shop', generation: 1 },
];
const t = (iso: string) => Date.parse(iso);

const crmOld: MergeMember = {
  source: 0,
  key: 'c1',
  lastModified: t('2024-01-01T00:00:00Z'),
  fields: { email: 'old@crm.com', firstName: 'Ann', street: '1 Old St', city: 'Oldtown' },
};
const shopNew: MergeMember = {
  source: 2,
  key: 's1',
  lastModified: t('2024-06-01T00:00:00Z'),
  fields: { email: 'new@shop.com', street: '9 New Rd', zip: '9999', ltv: 12.5 },
};
const erpUndated: MergeMember = {
  source: 1,
  key: 'e1',
  lastModified: Number.NaN,
  fields: { email: 'undated@erp.com', firstName: 'Annie', city: 'Erpville' },
};

function merge(config: Partial<MergeConfig>, members: MergeMember[]) {
  return new FieldMerger(
    { default: 'mostRecent', fields: {}, groups: [], ...config },
    sources,
  ).merge(members);
}

describe('FieldMerger', () => {
  it('mostRecent takes each field from the newest record that has it; undated records come last', () => {
    expect(merge({}, [crmOld, shopNew, erpUndated])).toEqual({
      city: 'Oldtown',
      email: 'new@shop.com',
      firstName: 'Ann',
      ltv: 12.5,
      street: '9 New Rd',
      zip: '9999',
    });
  });

  it('leastRecent takes the oldest dated record first, undated records still last', () => {
    expect(merge({ default: 'leastRecent' }, [shopNew, erpUndated, crmOld])).toMatchObject({
      email: 'old@crm.com',
      firstName: 'Ann',
      city: 'Oldtown',
      zip: '9999',
    });
    expect(merge({ default: 'leastRecent' }, [shopNew, erpUndated])).toMatchObject({
      email: 'new@shop.com',
      city: 'Erpville',
    });
  });

  it('sourcePriority takes listed sources in order, unlisted ones after by name', () => {
    const merged = merge({ default: { sourcePriority: ['id-shop'] } }, [
      crmOld,
      erpUndated,
      shopNew,
    ]);
    // shop first; then crm before erp (name order) for the fields shop lacks.
    expect(merged).toMatchObject({ email: 'new@shop.com', firstName: 'Ann', city: 'Oldtown' });
  });

  it('sourcePriority prefers the most recent record within one source', () => {
    const older: MergeMember = {
      ...shopNew,
      key: 's0',
      lastModified: t('2023-01-01T00:00:00Z'),
      fields: { email: 'older@shop.com' },
    };
    expect(
      merge({ default: { sourcePriority: ['id-shop', 'id-crm'] } }, [older, shopNew]).email,
    ).toBe('new@shop.com');
  });

  it('applies per-field overrides over the default', () => {
    const merged = merge(
      {
        default: 'mostRecent',
        fields: { email: { sourcePriority: ['id-crm'] }, firstName: 'leastRecent' },
      },
      [crmOld, shopNew, erpUndated],
    );
    expect(merged).toMatchObject({ email: 'old@crm.com', firstName: 'Ann', street: '9 New Rd' });
  });

  it('takes a field group from one record: the first in its order that has any of its fields', () => {
    const config: Partial<MergeConfig> = {
      groups: [{ name: 'address', fields: ['street', 'city', 'zip'] }],
    };
    // Newest with an address is shop: street and zip from shop, and no city (shop has none),
    // rather than mixing in crm's city.
    const merged = merge(config, [crmOld, shopNew]);
    expect(merged).toMatchObject({ street: '9 New Rd', zip: '9999' });
    expect(merged.city).toBeUndefined();
    const byCrm = merge(
      {
        groups: [
          {
            name: 'address',
            fields: ['street', 'city', 'zip'],
            policy: { sourcePriority: ['id-crm'] },
          },
        ],
      },
      [crmOld, shopNew],
    );
    expect(byCrm).toMatchObject({ street: '1 Old St', city: 'Oldtown' });
    expect(byCrm.zip).toBeUndefined();
  });

  it('breaks ties by source name then record key, whatever the input order', () => {
    const a: MergeMember = { source: 2, key: 'k2', lastModified: 5, fields: { v: 'shop-k2' } };
    const b: MergeMember = { source: 2, key: 'k1', lastModified: 5, fields: { v: 'shop-k1' } };
    const c: MergeMember = { source: 1, key: 'k9', lastModified: 5, fields: { v: 'erp-k9' } };
    expect(merge({}, [a, b, c]).v).toBe('erp-k9');
    expect(merge({}, [c, b, a]).v).toBe('erp-k9');
    expect(merge({}, [a, b]).v).toBe('shop-k1');
    expect(merge({}, [b, a]).v).toBe('shop-k1');
  });

  it('outputs keys in code-unit order', () => {
    expect(Object.keys(merge({}, [shopNew, crmOld]))).toEqual([
      'city',
      'email',
      'firstName',
      'ltv',
      'street',
      'zip',
    ]);
  });
});
