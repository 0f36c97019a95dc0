import { HeaderError, RowMapper, type MappingPlan } from './record-mapper';

const plan: MappingPlan = {
  primaryKey: 'id',
  mapping: {
    email: { column: 'Email', type: 'string' },
    age: { column: 'Age', type: 'number' },
    born: { column: 'Born', type: 'date' },
    vip: { column: 'VIP', type: 'boolean' },
  },
  lastModifiedColumn: 'Modified',
};
const header = ['id', 'Email', 'Age', 'Born', 'VIP', 'Modified', 'Notes', 'Tier'];

function headerError(h: string[], p: MappingPlan = plan): HeaderError {
  try {
    new RowMapper(p, h);
  } catch (error) {
    if (error instanceof HeaderError) return error;
    throw error;
  }
  throw new Error('expected a header error');
}

describe('RowMapper', () => {
  const mapper = new RowMapper(plan, header);

  it('converts mapped values, keeps unmapped columns raw and reads the last-modified column', () => {
    const result = mapper.map([
      'k1',
      'A@X.com',
      '42',
      '1985-03-07',
      'yes',
      '2024-05-01T10:00:00+02:00',
      'say "hi"\n',
      'gold',
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { record } = result;
    expect(record.key).toBe('k1');
    expect(JSON.parse(record.fields)).toEqual({
      email: 'A@X.com',
      age: 42,
      born: '1985-03-07T00:00:00.000Z',
      vip: true,
    });
    // The last-modified column's text stays raw (it is not mapped); the primary key does not.
    expect(JSON.parse(record.raw)).toEqual({
      Modified: '2024-05-01T10:00:00+02:00',
      Notes: 'say "hi"\n',
      Tier: 'gold',
    });
    expect(record.lastModified).toBe('2024-05-01T08:00:00.000Z');
  });

  it('leaves blank values out of fields and raw', () => {
    const result = mapper.map(['k2', '', ' ', '', '', '', '  ', '']);
    expect(result).toEqual({
      ok: true,
      record: { key: 'k2', fields: '{}', raw: '{}', lastModified: null },
    });
  });

  it('writes JSON that escapes what needs escaping', () => {
    const text = 'quote " backslash \\ tab \t newline \n control \u0001 unicode é ✓ 😀';
    const result = mapper.map(['k3', text, '', '', '', '', text, '']);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(JSON.parse(result.record.fields)).toEqual({ email: text });
    expect(JSON.parse(result.record.raw)).toEqual({ Notes: text });
  });

  it('rejects a row with another number of columns than the header', () => {
    expect(mapper.map(['k', 'a'])).toEqual({
      ok: false,
      message: 'expected 8 columns (as in the header), found 2',
    });
    expect(mapper.map(new Array<string>(9).fill('x'))).toMatchObject({ ok: false });
  });

  it('rejects an empty or blank primary key', () => {
    expect(mapper.map(['', 'a', '', '', '', '', '', ''])).toEqual({
      ok: false,
      message: 'empty primary key (column "id")',
    });
    expect(mapper.map(['  ', 'a', '', '', '', '', '', ''])).toMatchObject({ ok: false });
  });

  it('names every value of a row that does not fit its type', () => {
    const result = mapper.map(['k', 'a', 'old', '31/02/2020', 'maybe', 'later', '', '']);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('column "Age" (field age): "old" is not a number');
    expect(result.message).toContain('column "Born" (field born): "31/02/2020" is not a date');
    expect(result.message).toContain('column "VIP" (field vip): "maybe" is not a boolean');
    expect(result.message).toContain(
      'last-modified column "Modified": "later" is not an ISO-8601 date or date-time',
    );
  });

  it('matches header names without their surrounding whitespace', () => {
    const padded = new RowMapper(
      plan,
      header.map((h) => ` ${h} `),
    );
    expect(padded.map(['k', 'e', '1', '', '', '', '', '']).ok).toBe(true);
  });

  it('keeps columns with an empty header name as column_<position>', () => {
    const m = new RowMapper(plan, [...header, '']);
    const result = m.map(['k', '', '', '', '', '', '', '', 'extra']);
    expect(result.ok && JSON.parse(result.record.raw)).toEqual({ column_9: 'extra' });
  });

  it('lets two fields read the same column', () => {
    const m = new RowMapper(
      { ...plan, mapping: { ...plan.mapping, contact: { column: 'Email', type: 'string' } } },
      header,
    );
    const result = m.map(['k', 'e@x', '', '', '', '', '', '']);
    expect(result.ok && JSON.parse(result.record.fields)).toEqual({ email: 'e@x', contact: 'e@x' });
  });

  describe('header problems', () => {
    it('names a missing primary key, mapped column and last-modified column', () => {
      const error = headerError(['Key', 'Email', 'Age', 'Born', 'VIP', 'Notes']);
      const messages = error.details.map((d) => d.message);
      expect(error.details.every((d) => d.path === 'line 1')).toBe(true);
      expect(messages).toContain(
        'the primary key column "id" is not in the header (columns: "Key", "Email", "Age", "Born", "VIP", "Notes")',
      );
      expect(
        messages.some((m) => m.startsWith('the last-modified column "Modified" is not in')),
      ).toBe(true);
      const vip = headerError(['id', 'Email', 'Age', 'Born', 'Modified']);
      expect(vip.details.map((d) => d.message)).toEqual([
        'the column "VIP" of field vip is not in the header (columns: "id", "Email", "Age", "Born", "Modified")',
      ]);
    });

    it('suggests a column that differs only in case', () => {
      const error = headerError(['ID', 'Email', 'Age', 'Born', 'VIP', 'Modified']);
      expect(error.message).toBe(
        'the primary key column "id" is not in the header (did you mean "ID"? names are case-sensitive)',
      );
    });

    it('refuses a header that repeats a column name', () => {
      const error = headerError([...header, 'Notes']);
      expect(error.message).toBe(
        'column "Notes" appears twice in the header (columns 7 and 9); column names must be unique',
      );
    });

    it('lists at most 20 columns', () => {
      const many = Array.from({ length: 30 }, (_, i) => `c${i}`);
      const error = headerError(many, { primaryKey: 'id', mapping: {}, lastModifiedColumn: null });
      expect(error.message).toContain('"c19", … 10 more)');
      expect(error.message).not.toContain('"c20"');
    });
  });
});
