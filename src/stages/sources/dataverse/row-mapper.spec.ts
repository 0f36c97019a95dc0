import { DataverseRowMapper, selectColumns } from './row-mapper';
import type { MappingPlan } from '../record-mapper';

const plan: MappingPlan = {
  primaryKey: 'contactid',
  mapping: {
    contactId: { column: 'contactid', type: 'string' },
    email: { column: 'emailaddress1', type: 'string' },
    score: { column: 'cr_score', type: 'number' },
    vip: { column: 'cr_vip', type: 'boolean' },
    born: { column: 'birthdate', type: 'date' },
  },
  lastModifiedColumn: 'modifiedon',
};

describe('selectColumns', () => {
  it('reads the key, the mapped columns, the last-modified column and the extras, once each', () => {
    expect(selectColumns(plan, ['telephone1', 'emailaddress1'])).toEqual([
      'contactid',
      'emailaddress1',
      'cr_score',
      'cr_vip',
      'birthdate',
      'modifiedon',
      'telephone1',
    ]);
  });
});

describe('DataverseRowMapper', () => {
  const mapper = new DataverseRowMapper(plan, selectColumns(plan, ['telephone1', 'statecode']));

  it('converts typed JSON values; null and blank values are absent; extras are raw text', () => {
    const result = mapper.map({
      '@odata.etag': 'W/"12"',
      contactid: 'a1b2',
      emailaddress1: 'ana@example.com',
      cr_score: 12.5,
      cr_vip: true,
      birthdate: '1985-03-07',
      modifiedon: '2025-03-01T12:34:56Z',
      telephone1: null,
      statecode: 0,
    });
    expect(result).toEqual({
      ok: true,
      record: {
        key: 'a1b2',
        fields: {
          contactId: 'a1b2',
          email: 'ana@example.com',
          score: 12.5,
          vip: true,
          born: '1985-03-07T00:00:00.000Z',
        },
        raw: { modifiedon: '2025-03-01T12:34:56Z', statecode: '0' },
        lastModified: '2025-03-01T12:34:56.000Z',
      },
    });
    const blank = mapper.map({ contactid: 'b', emailaddress1: '  ', cr_score: null });
    expect(blank).toMatchObject({ ok: true, record: { fields: { contactId: 'b' }, raw: {} } });
  });

  it('rejects a row without a key, and a row whose values do not fit, naming each value', () => {
    expect(mapper.map({ contactid: null })).toEqual({
      ok: false,
      key: null,
      message: 'the row has no value in its primary key column "contactid"',
    });
    const bad = mapper.map({
      contactid: 'c',
      cr_score: 'lots',
      birthdate: '07/03/1985',
      modifiedon: 5,
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.key).toBe('c');
    expect(bad.message).toMatch(/^c: column "cr_score" \(field score\): "lots" is not a number/);
    expect(bad.message).toMatch(/column "birthdate" \(field born\): "07\/03\/1985" is not a date/);
    expect(bad.message).toMatch(/last-modified column "modifiedon": "5" is not a date-time/);
  });
});
