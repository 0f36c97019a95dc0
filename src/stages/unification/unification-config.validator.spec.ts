import { AppError } from '@platform/errors/app-error';
import type { CustomerField } from '@stages/contract/customer-field';
import {
  toPath,
  validateUnificationConfig,
  type ConfigCatalogue,
} from './unification-config.validator';

const field = (name: string, type: CustomerField['type'] = 'string'): CustomerField => ({
  name,
  type,
  sources: ['crm'],
});
const catalogue: ConfigCatalogue = {
  fields: [
    field('customerId'),
    field('email'),
    field('phone'),
    field('lastName'),
    field('ltv', 'number'),
    field('street'),
    field('city'),
  ],
  sources: [
    { id: 'uuid-crm', name: 'crm' },
    { id: 'uuid-shop', name: 'shop' },
  ],
};

/** The `{ path, message }` details of the validation error thrown for `body`. */
function problems(body: unknown): { path?: string; message: string }[] {
  try {
    validateUnificationConfig(body, catalogue);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details;
  }
  throw new Error('expected a validation error');
}

describe('validateUnificationConfig', () => {
  it('fills in defaults and resolves source names to IDs', () => {
    const config = validateUnificationConfig(
      {
        rules: [{ conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }] }],
        merge: { fields: { email: { sourcePriority: ['shop', 'uuid-crm'] } } },
      },
      catalogue,
    );
    expect(config).toEqual({
      rules: [
        {
          name: 'rule 1',
          conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }],
        },
      ],
      dedupeWithinSource: true,
      merge: {
        default: 'mostRecent',
        fields: { email: { sourcePriority: ['uuid-shop', 'uuid-crm'] } },
        groups: [],
      },
    });
  });

  it('accepts an empty rule list (every record its own customer)', () => {
    expect(validateUnificationConfig({ rules: [] }, catalogue).rules).toEqual([]);
  });

  it('names the path of shape errors', () => {
    expect(problems({})).toEqual([{ path: 'rules', message: 'is required' }]);
    expect(
      problems({
        rules: [
          { conditions: [{ field: 'email', match: 'exact' }] },
          { conditions: [{ field: 'email', normalizers: ['upper'], match: 'exact', extra: 1 }] },
        ],
        dedupeWithinSource: 'yes',
      }),
    ).toEqual(
      expect.arrayContaining([
        { path: 'rules[1].conditions[0].extra', message: 'is not an allowed property' },
        {
          path: 'rules[1].conditions[0].normalizers[0]',
          message: expect.stringMatching(/^must be one of: trim, lowercase/),
        },
        { path: 'dedupeWithinSource', message: 'must be a boolean' },
      ]),
    );
  });

  it('explains the forms of match and of merge policies', () => {
    expect(problems({ rules: [{ conditions: [{ field: 'email', match: 'fuzzy' }] }] })).toEqual([
      {
        path: 'rules[0].conditions[0].match',
        message: 'must be "exact" or { "fuzzy": <similarity threshold from 0 to 1> }',
      },
    ]);
    expect(
      problems({ rules: [{ conditions: [{ field: 'email', match: { fuzzy: 1.5 } }] }] }),
    ).toEqual([{ path: 'rules[0].conditions[0].match.fuzzy', message: 'must be <= 1' }]);
    expect(problems({ rules: [], merge: { default: 'newest' } })).toEqual([
      {
        path: 'merge.default',
        message: expect.stringMatching(/^must be "mostRecent", "leastRecent" or/),
      },
    ]);
    expect(problems({ rules: [], merge: { fields: { email: { sourcePriority: [] } } } })).toEqual([
      { path: 'merge.fields.email.sourcePriority', message: 'must NOT have fewer than 1 items' },
    ]);
  });

  it('rejects unknown fields, customerId, and fuzzy matching on non-text fields', () => {
    expect(
      problems({
        rules: [
          { conditions: [{ field: 'email', match: 'exact' }] },
          {
            conditions: [
              { field: 'emial', match: 'exact' },
              { field: 'customerId', match: 'exact' },
              { field: 'ltv', match: { fuzzy: 0.9 } },
            ],
          },
        ],
      }),
    ).toEqual([
      {
        path: 'rules[1].conditions[0].field',
        message: expect.stringMatching(/^unknown customer field "emial" \(fields: email, phone/),
      },
      {
        path: 'rules[1].conditions[1].field',
        message: 'customerId is assigned by unification; use source fields',
      },
      {
        path: 'rules[1].conditions[2].match',
        message: 'fuzzy matching compares text; field "ltv" is a number (use "exact")',
      },
    ]);
  });

  it('requires an exact condition beside fuzzy ones (the blocking key)', () => {
    expect(
      problems({
        rules: [
          { conditions: [{ field: 'email', match: 'exact' }] },
          {
            name: 'names',
            conditions: [{ field: 'lastName', normalizers: ['lowercase'], match: { fuzzy: 0.8 } }],
          },
        ],
      }),
    ).toEqual([
      {
        path: 'rules[1].conditions',
        message: expect.stringMatching(/needs at least one exact condition/),
      },
    ]);
  });

  it('checks rule names, sources and field groups', () => {
    expect(
      problems({
        rules: [
          { name: 'r', conditions: [{ field: 'email', match: 'exact' }] },
          { name: 'r', conditions: [{ field: 'phone', match: 'exact' }] },
        ],
        merge: {
          default: { sourcePriority: ['crm', 'nope', 'uuid-crm'] },
          fields: { street: 'mostRecent', zip: 'mostRecent' },
          groups: [
            { name: 'address', fields: ['street', 'city', 'street'] },
            { name: 'address', fields: ['city'] },
          ],
        },
      }),
    ).toEqual([
      { path: 'rules[1].name', message: 'duplicate rule name "r"' },
      { path: 'merge.groups[0].fields[2]', message: 'field "street" is listed twice' },
      { path: 'merge.groups[1].name', message: 'duplicate group name "address"' },
      {
        path: 'merge.groups[1].fields[0]',
        message: 'field "city" is already in group "address" (merge.groups[0])',
      },
      {
        path: 'merge.fields.street',
        message: 'field "street" is in group "address"; set the group\'s policy instead',
      },
      { path: 'merge.fields.zip', message: expect.stringMatching(/^unknown customer field "zip"/) },
      {
        path: 'merge.default.sourcePriority[1]',
        message: 'unknown source "nope" (sources: crm, shop)',
      },
      { path: 'merge.default.sourcePriority[2]', message: 'source "crm" is listed twice' },
    ]);
  });

  it('turns JSON pointers into API paths', () => {
    expect(toPath('/rules/1/conditions/0/field')).toBe('rules[1].conditions[0].field');
    expect(toPath('/merge/fields/email')).toBe('merge.fields.email');
    expect(toPath('')).toBe('(body)');
  });
});
