import { readFingerprint, readState, type ReadShape } from './reader-state';

const shape: ReadShape = {
  serverAddress: 'https://contoso.crm.dynamics.com',
  table: 'contacts',
  columns: ['contactid', 'emailaddress1'],
  plan: {
    primaryKey: 'contactid',
    mapping: {
      email: { column: 'emailaddress1', type: 'string' },
      contactId: { column: 'contactid', type: 'string' },
    },
    lastModifiedColumn: null,
  },
};

describe('readFingerprint', () => {
  it('does not depend on the order of columns or mapped fields', () => {
    const reordered: ReadShape = {
      ...shape,
      serverAddress: 'https://CONTOSO.crm.dynamics.com',
      columns: ['emailaddress1', 'contactid'],
      plan: {
        ...shape.plan,
        mapping: {
          contactId: { column: 'contactid', type: 'string' },
          email: { column: 'emailaddress1', type: 'string' },
        },
      },
    };
    expect(readFingerprint(reordered)).toBe(readFingerprint(shape));
  });

  it('changes with anything that changes how rows become records', () => {
    const base = readFingerprint(shape);
    const variants: ReadShape[] = [
      { ...shape, serverAddress: 'https://fabrikam.crm.dynamics.com' },
      { ...shape, table: 'leads' },
      { ...shape, columns: [...shape.columns, 'telephone1'] },
      { ...shape, plan: { ...shape.plan, lastModifiedColumn: 'modifiedon' } },
      {
        ...shape,
        plan: {
          ...shape.plan,
          mapping: { ...shape.plan.mapping, email: { column: 'emailaddress2', type: 'string' } },
        },
      },
    ];
    for (const v of variants) expect(readFingerprint(v)).not.toBe(base);
  });
});

describe('readState', () => {
  it('reads its own state and ignores anything else', () => {
    expect(readState(null)).toBeNull();
    expect(readState({ cursor: 'x' })).toBeNull();
    expect(readState({ fingerprint: 'f', deltaLink: 'https://x/contacts?$deltatoken=1' })).toEqual({
      fingerprint: 'f',
      deltaLink: 'https://x/contacts?$deltatoken=1',
      changeTracking: true,
    });
    expect(readState({ fingerprint: 'f', changeTracking: false })).toEqual({
      fingerprint: 'f',
      changeTracking: false,
    });
  });
});
