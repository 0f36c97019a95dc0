import type { FieldType } from '@stages/contract/customer-field';
import type { DateValue } from './date-values';
import type { Operator, RelativeUnit } from './rule';

/**
 * A rule after validation against the customer-field catalogue: every condition knows its
 * field's type and carries its value in a typed, canonical form. Only this is compiled to SQL.
 */
export type CheckedNode = CheckedGroup | CheckedCondition;

export interface CheckedGroup {
  kind: 'all' | 'any';
  children: CheckedNode[];
}

export interface CheckedCondition {
  kind: 'condition';
  field: string;
  type: FieldType;
  op: Operator;
  value: CheckedValue;
  caseSensitive: boolean;
}

export type CheckedValue =
  | { kind: 'none' }
  | { kind: 'text'; value: string }
  | { kind: 'texts'; values: string[] }
  | { kind: 'number'; value: number }
  | { kind: 'numbers'; values: number[] }
  | { kind: 'numberRange'; low: number; high: number }
  | { kind: 'date'; value: DateValue }
  | { kind: 'dateRange'; low: DateValue; high: DateValue }
  | { kind: 'relative'; amount: number; unit: RelativeUnit }
  | { kind: 'boolean'; value: boolean };
