import type { FieldType } from '@stages/contract/customer-field';

/**
 * A segment rule: a tree of groups (`{ all: [...] }` — every child holds; `{ any: [...] }` —
 * at least one holds) whose leaves are conditions on the unified customer's fields.
 * See README.md in this folder for the operators each field type accepts.
 */
export type RuleNode = AllGroup | AnyGroup | Condition;

export interface AllGroup {
  all: RuleNode[];
}

export interface AnyGroup {
  any: RuleNode[];
}

export interface Condition {
  field: string;
  op: Operator;
  value?: unknown;
  /** String comparisons ignore case (Unicode case folding) unless this is `true`. */
  caseSensitive?: boolean;
}

export const OPERATORS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'contains',
  'startsWith',
  'endsWith',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'withinLast',
  'olderThan',
  'isEmpty',
  'isNotEmpty',
] as const;
export type Operator = (typeof OPERATORS)[number];

export const RELATIVE_UNITS = ['days', 'weeks', 'months'] as const;
export type RelativeUnit = (typeof RELATIVE_UNITS)[number];

export interface RelativeAmount {
  amount: number;
  unit: RelativeUnit;
}

/** Which operators fit which field type. */
export const OPERATORS_BY_TYPE: Record<FieldType, readonly Operator[]> = {
  string: [
    'eq',
    'ne',
    'in',
    'notIn',
    'contains',
    'startsWith',
    'endsWith',
    'isEmpty',
    'isNotEmpty',
  ],
  number: ['eq', 'ne', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'between', 'isEmpty', 'isNotEmpty'],
  date: [
    'eq',
    'ne',
    'gt',
    'gte',
    'lt',
    'lte',
    'between',
    'withinLast',
    'olderThan',
    'isEmpty',
    'isNotEmpty',
  ],
  boolean: ['eq', 'ne', 'isEmpty', 'isNotEmpty'],
};

/** Operators that compare text and so accept `caseSensitive`. */
export const TEXT_OPERATORS: readonly Operator[] = [
  'eq',
  'ne',
  'in',
  'notIn',
  'contains',
  'startsWith',
  'endsWith',
];

/**
 * Limits that keep one rule's SQL reasonable. `conditions` bounds the work per customer (each
 * condition is computed for every customer: rule-cost.ts); the others bound the rule's size.
 */
export const RULE_LIMITS = {
  depth: 10,
  conditions: 100,
  listValues: 1000,
  totalValues: 10_000,
  stringLength: 1000,
  relativeAmount: 100_000,
};

export function isAllGroup(node: RuleNode): node is AllGroup {
  return 'all' in node;
}

export function isAnyGroup(node: RuleNode): node is AnyGroup {
  return 'any' in node;
}
