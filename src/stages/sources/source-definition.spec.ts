import {
  checkName,
  checkSharedFields,
  normalizeMapping,
  type OtherSource,
} from './source-definition';

describe('source definitions', () => {
  describe('mapping', () => {
    it('reads bare column names as string fields and { column, type } as typed ones', () => {
      expect(
        normalizeMapping({
          email: ' Email ',
          born: { column: 'Born', type: 'date' },
          note: { column: 'Note' },
        }),
      ).toEqual({
        mapping: {
          email: { column: 'Email', type: 'string' },
          born: { column: 'Born', type: 'date' },
          note: { column: 'Note', type: 'string' },
        },
        errors: [],
      });
    });

    it('names each wrong entry by its path', () => {
      const { errors } = normalizeMapping({
        '1st': 'A',
        'first-name': 'B',
        customerId: 'C',
        age: { column: 'Age', type: 'integer' },
        city: { column: '', type: 'string' },
        zip: { col: 'Zip' },
        vip: 42,
        Email: 'E',
        email: 'F',
      });
      expect(errors).toEqual([
        {
          path: 'mapping.1st',
          message: expect.stringContaining('field names are identifiers') as string,
        },
        {
          path: 'mapping.first-name',
          message: expect.stringContaining('field names are identifiers') as string,
        },
        {
          path: 'mapping.customerId',
          message: 'customerId is reserved: unification assigns it to every customer',
        },
        { path: 'mapping.age.type', message: 'must be one of string, number, date, boolean' },
        { path: 'mapping.city.column', message: 'must not be empty' },
        { path: 'mapping.zip.col', message: 'unknown property (expected column, type)' },
        { path: 'mapping.zip.column', message: 'must be a column name (a string)' },
        {
          path: 'mapping.vip',
          message:
            'must be a column name or { column, type } with type string, number, date or boolean',
        },
        { path: 'mapping.email', message: 'differs from field Email only in case; use one name' },
      ]);
    });

    it('refuses names that every JavaScript object has as a property', () => {
      const mapping = JSON.parse('{"__proto__":"P","constructor":"C","toString":"T"}') as unknown;
      expect(normalizeMapping(mapping)).toEqual({
        mapping: {},
        errors: [
          {
            path: 'mapping.__proto__',
            message: expect.stringContaining('field names are') as string,
          },
          {
            path: 'mapping.constructor',
            message: 'constructor is reserved (every JavaScript object has it)',
          },
          {
            path: 'mapping.toString',
            message: 'toString is reserved (every JavaScript object has it)',
          },
        ],
      });
    });

    it('must be an object', () => {
      expect(normalizeMapping(['email']).errors).toEqual([
        { path: 'mapping', message: 'must be an object' },
      ]);
    });
  });

  it('requires a field to have the same type in every source, naming the other source', () => {
    const others: OtherSource[] = [
      { name: 'crm', mapping: { birthDate: { column: 'Born', type: 'date' } } },
      { name: 'shop', mapping: { LTV: { column: 'ltv', type: 'number' } } },
    ];
    expect(
      checkSharedFields(
        {
          birthDate: { column: 'dob', type: 'string' },
          ltv: { column: 'x', type: 'number' },
        },
        others,
      ),
    ).toEqual([
      {
        path: 'mapping.birthDate.type',
        message:
          'field birthDate is a date in source "crm"; a field has the same type in every source',
      },
      {
        path: 'mapping.ltv',
        message: 'differs only in case from field LTV of source "shop"; use the same name',
      },
    ]);
    expect(checkSharedFields({ birthDate: { column: 'b', type: 'date' } }, others)).toEqual([]);
  });

  it('checks names', () => {
    expect(checkName('crm')).toEqual([]);
    expect(checkName('')).toEqual([{ path: 'name', message: 'must not be empty' }]);
    expect(checkName(' crm')).toEqual([
      { path: 'name', message: 'must not start or end with whitespace' },
    ]);
    expect(checkName('a\tb')).toEqual([
      { path: 'name', message: 'must not contain control characters' },
    ]);
    expect(checkName('x'.repeat(201))).toEqual([
      { path: 'name', message: 'must be at most 200 characters' },
    ]);
  });
});
