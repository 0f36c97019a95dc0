import { QueryFailedError } from 'typeorm';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import type { FieldType } from '@stages/contract/customer-field';
import { checkRuleCost, isStatementTimeout, ruleTooSlow } from './rule-cost';
import { validateRule } from './rule-validator';

const FIELDS = new Map<string, FieldType>([
  ['email', 'string'],
  ['lifetimeValue', 'number'],
]);

const endsWith = (i: number, length = 20) => ({
  field: 'email',
  op: 'endsWith',
  value: `@${i}`.padStart(length, 'x'),
});

function costError(rule: unknown): AppError | undefined {
  try {
    checkRuleCost(validateRule(rule, FIELDS));
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
}

describe('checkRuleCost', () => {
  it('refuses the rule of the finding (500 endsWith of 1,000 characters), naming the limit', () => {
    const error = costError({ any: Array.from({ length: 500 }, (_, i) => endsWith(i, 1000)) });
    expect(error?.code).toBe(ErrorCode.VALIDATION);
    expect(error?.details).toEqual([
      {
        path: 'rule',
        message: expect.stringMatching(
          /^is too costly: it has 500 conditions, at most 100 per rule \(each is computed for every customer/,
        ) as unknown,
      },
    ]);
  });

  it('counts the conditions of nested groups', () => {
    const group = (n: number, from: number) => ({
      all: Array.from({ length: n }, (_, i) => endsWith(from + i)),
    });
    expect(costError({ any: [group(50, 0), { all: [group(50, 50)] }] })).toBeUndefined();
    expect(costError({ any: [group(50, 0), { all: [group(51, 50)] }] })?.message).toMatch(
      /it has 101 conditions, at most 100/,
    );
  });

  it('accepts a rule at the limit, long values included', () => {
    expect(
      costError({ all: Array.from({ length: 100 }, (_, i) => endsWith(i, 1000)) }),
    ).toBeUndefined();
    expect(costError({ all: [] })).toBeUndefined();
  });
});

describe('ruleTooSlow', () => {
  it('names the time limit and its setting', () => {
    expect(ruleTooSlow(30_000).message).toBe(
      'rule: is too costly: matching it against the customers took longer than the limit of 30 s (setting SEGMENT_QUERY_TIMEOUT_MS); use fewer or simpler conditions',
    );
    expect(ruleTooSlow(250).details[0].message).toMatch(/the limit of 250 ms/);
  });
});

describe('isStatementTimeout', () => {
  const failed = (code: string) =>
    new QueryFailedError('SELECT 1', [], Object.assign(new Error('canceled'), { code }));

  it('recognizes PostgreSQL cancelling a statement at statement_timeout', () => {
    expect(isStatementTimeout(failed('57014'))).toBe(true);
    expect(isStatementTimeout(failed('23505'))).toBe(false);
    expect(isStatementTimeout(new Error('57014'))).toBe(false);
  });
});
