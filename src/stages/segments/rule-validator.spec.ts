import { AppError } from '@platform/errors/app-error';
import type { FieldType } from '@stages/contract/customer-field';
import { validateRule } from './rule-validator';

const FIELDS = new Map<string, FieldType>([
  ['customerId', 'string'],
  ['email', 'string'],
  ['country', 'string'],
  ['lifetimeValue', 'number'],
  ['lastPurchaseAt', 'date'],
  ['newsletter', 'boolean'],
]);

function errorsOf(rule: unknown): { path?: string; message: string }[] {
  try {
    validateRule(rule, FIELDS);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).details;
  }
  throw new Error('expected the rule to be refused');
}

describe('validateRule', () => {
  it('answers the typed tree of a valid rule', () => {
    const checked = validateRule(
      {
        all: [
          { field: 'country', op: 'in', value: ['DE', 'AT'] },
          {
            any: [
              { field: 'lifetimeValue', op: 'between', value: [10, 20] },
              { field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 3, unit: 'months' } },
              { field: 'email', op: 'endsWith', value: '@example.com', caseSensitive: true },
            ],
          },
          { field: 'newsletter', op: 'eq', value: false },
          { field: 'lastPurchaseAt', op: 'gt', value: '2024-05-01' },
        ],
      },
      FIELDS,
    );
    expect(checked).toEqual({
      kind: 'all',
      children: [
        {
          kind: 'condition',
          field: 'country',
          type: 'string',
          op: 'in',
          value: { kind: 'texts', values: ['DE', 'AT'] },
          caseSensitive: false,
        },
        {
          kind: 'any',
          children: [
            expect.objectContaining({ value: { kind: 'numberRange', low: 10, high: 20 } }),
            expect.objectContaining({ value: { kind: 'relative', amount: 3, unit: 'months' } }),
            expect.objectContaining({ op: 'endsWith', caseSensitive: true }),
          ],
        },
        expect.objectContaining({ type: 'boolean', value: { kind: 'boolean', value: false } }),
        expect.objectContaining({
          value: {
            kind: 'date',
            value: {
              kind: 'day',
              start: '2024-05-01T00:00:00.000Z',
              end: '2024-05-02T00:00:00.000Z',
            },
          },
        }),
      ],
    });
  });

  it('names the path of a wrong operator deep in the tree and lists the ones that fit', () => {
    const errors = errorsOf({
      all: [
        { field: 'email', op: 'isNotEmpty' },
        { any: [{ field: 'lifetimeValue', op: 'contains', value: '1' }] },
      ],
    });
    expect(errors).toEqual([
      {
        path: 'rule.all[1].any[0].op',
        message:
          'operator "contains" does not apply to lifetimeValue, a number field; use one of eq, ne, in, notIn, gt, gte, lt, lte, between, isEmpty, isNotEmpty',
      },
    ]);
  });

  it('suggests the closest field and operator', () => {
    const errors = errorsOf({
      any: [
        { field: 'emial', op: 'eq', value: 'a' },
        { field: 'email', op: 'startwith', value: 'a' },
      ],
    });
    expect(errors[0].path).toBe('rule.any[0].field');
    expect(errors[0].message).toMatch(
      /^unknown field "emial"; did you mean "email"\? \(customer fields: customerId, email,/,
    );
    expect(errors[1].path).toBe('rule.any[1].op');
    expect(errors[1].message).toMatch(/^unknown operator "startwith"; did you mean "startsWith"\?/);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf({
      all: [
        { field: 'lifetimeValue', op: 'gt', value: '100' },
        { field: 'lastPurchaseAt', op: 'eq', value: '2024-02-30' },
        { field: 'country', op: 'in', value: ['DE', 3] },
        { field: 'newsletter', op: 'eq', value: 'yes' },
      ],
    });
    expect(errors.map((e) => e.path)).toEqual([
      'rule.all[0].value',
      'rule.all[1].value',
      'rule.all[2].value[1]',
      'rule.all[3].value',
    ]);
    expect(errors[0].message).toBe('must be a number (got "100")');
    expect(errors[1].message).toMatch(/^must be a date \(2024-05-01, the whole UTC day\)/);
    expect(errors[2].message).toBe('must be a string (got 3)');
    expect(errors[3].message).toBe('must be true or false (got "yes")');
  });

  it.each([
    [
      { all: [{ field: 'email', op: 'eq' }] },
      'rule.all[0].value',
      /^is required: a non-empty string \(to match customers without a value, choose the operator "is empty", isEmpty\)$/,
    ],
    [{ all: [{ field: 'email', op: 'eq', value: '' }] }, 'rule.all[0].value', /^must not be empty/],
    [
      { all: [{ field: 'email', op: 'isEmpty', value: 'x' }] },
      'rule.all[0].value',
      /^"isEmpty" takes no value$/,
    ],
    [
      { all: [{ field: 'email', op: 'in', value: [] }] },
      'rule.all[0].value',
      /^must be a list of 1 to 1000 values/,
    ],
    [
      { all: [{ field: 'lifetimeValue', op: 'between', value: [5] }] },
      'rule.all[0].value',
      /^must be \[low, high\]/,
    ],
    [
      { all: [{ field: 'lifetimeValue', op: 'between', value: [5, 1] }] },
      'rule.all[0].value',
      /^low \(5\) is above high \(1\)$/,
    ],
    [
      { all: [{ field: 'lastPurchaseAt', op: 'between', value: ['2024-05-02', '2024-05-01'] }] },
      'rule.all[0].value',
      /is after high/,
    ],
    [
      { all: [{ field: 'lastPurchaseAt', op: 'eq', value: '2024-05-01T10:00:00' }] },
      'rule.all[0].value',
      /with its zone/,
    ],
    [
      { all: [{ field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 0, unit: 'days' } }] },
      'rule.all[0].value.amount',
      /^must be a whole number from 1/,
    ],
    [
      { all: [{ field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 2, unit: 'years' } }] },
      'rule.all[0].value.unit',
      /^must be one of days, weeks, months \(got "years"\)$/,
    ],
    [
      { all: [{ field: 'lastPurchaseAt', op: 'olderThan', value: 30 }] },
      'rule.all[0].value',
      /^must be \{ "amount"/,
    ],
    [
      { all: [{ field: 'lifetimeValue', op: 'eq', value: 1, caseSensitive: true }] },
      'rule.all[0].caseSensitive',
      /^applies only to text comparisons/,
    ],
    [
      { all: [{ field: 'email', op: 'eq', value: 'a', caseSensitive: 'yes' }] },
      'rule.all[0].caseSensitive',
      /^must be true or false$/,
    ],
    [
      { all: [{ field: 'email', op: 'eq', value: 'a', vale: 'b' }] },
      'rule.all[0].vale',
      /^unknown property; a condition has/,
    ],
    [{ all: [{ all: [] }], any: [] }, 'rule', /^has both "all" and "any"/],
    [
      { any: [] },
      'rule.any',
      /^must not be empty: a group with no alternatives matches no customer$/,
    ],
    [{ all: { field: 'email' } }, 'rule.all', /^must be an array of rules$/],
    [{ all: [42] }, 'rule.all[0]', /^must be a group/],
    [{ every: [] }, 'rule', /got keys "every"$/],
    [[], 'rule', /^must be a group/],
    [
      { all: [{ field: 'email', op: 'eq', value: 'a' }], extra: 1 },
      'rule.extra',
      /^unknown property; a group has only "all"$/,
    ],
    [
      { all: [{ field: 'newsletter', op: 'gt', value: true }] },
      'rule.all[0].op',
      /does not apply to newsletter, a boolean field; use one of eq, ne, isEmpty, isNotEmpty$/,
    ],
    [
      { all: [{ field: 'lastPurchaseAt', op: 'in', value: ['2024-01-01'] }] },
      'rule.all[0].op',
      /a date field/,
    ],
    [
      { all: [{ field: 'email', op: 'withinLast', value: { amount: 1, unit: 'days' } }] },
      'rule.all[0].op',
      /a string field/,
    ],
  ])('refuses %j at %s', (rule, path, message) => {
    const errors = errorsOf(rule);
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe(path);
    expect(errors[0].message).toMatch(message);
  });

  it('limits how deep groups nest', () => {
    let rule: unknown = { field: 'email', op: 'isEmpty' };
    for (let i = 0; i < 11; i++) rule = { all: [rule] };
    const errors = errorsOf(rule);
    expect(errors[0].message).toMatch(/nests too deep \(at most 10 levels of groups\)/);
  });

  it('accepts an empty "all" (every customer)', () => {
    expect(validateRule({ all: [] }, FIELDS)).toEqual({ kind: 'all', children: [] });
  });

  it('uses another root for the path when asked', () => {
    expect(() =>
      validateRule({ all: [{ field: 'x', op: 'eq', value: 1 }] }, FIELDS, 'segment.rule'),
    ).toThrow(/^segment\.rule\.all\[0\]\.field: unknown field "x"/);
  });
});
