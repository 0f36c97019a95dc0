import { AppError, type ErrorDetail } from '@platform/errors/app-error';
import type { FieldType } from '@stages/contract/customer-field';
import type { CheckedCondition, CheckedNode, CheckedValue } from './checked-rule';
import { lowerBound, parseDateValue, type DateValue } from './date-values';
import {
  OPERATORS,
  OPERATORS_BY_TYPE,
  RELATIVE_UNITS,
  RULE_LIMITS,
  TEXT_OPERATORS,
  type Operator,
  type RelativeUnit,
} from './rule';

/** The customer-field catalogue as the validator needs it: name → type. */
export type FieldTypes = ReadonlyMap<string, FieldType>;

const CONDITION_KEYS = new Set(['field', 'op', 'value', 'caseSensitive']);

/**
 * Checks a rule (any JSON) against the field catalogue and answers its typed form, or throws
 * a VALIDATION error listing every problem with its path (`rule.all[1].any[0].op`).
 *
 * Hand-written rather than a JSON schema: which operators and values are valid depends on each
 * field's type in the live catalogue, and schema errors on a recursive union (`oneOf`) would
 * name the wrong branch; this walks the tree once and says exactly what is wrong where.
 * What the rule costs to run (its number of conditions) is checked apart, by `checkRuleCost`.
 */
export function validateRule(input: unknown, fields: FieldTypes, root = 'rule'): CheckedNode {
  const checker = new RuleChecker(fields);
  const checked = checker.node(input, root, 1);
  if (checker.errors.length > 0 || !checked) throw AppError.validationMany(checker.errors);
  return checked;
}

class RuleChecker {
  readonly errors: ErrorDetail[] = [];
  private values = 0;

  constructor(private readonly fields: FieldTypes) {}

  node(input: unknown, path: string, depth: number): CheckedNode | null {
    if (!isObject(input)) {
      return this.fail(
        path,
        'must be a group ({ "all": [...] } or { "any": [...] }) or a condition ({ "field", "op", "value" })',
      );
    }
    const hasAll = 'all' in input;
    const hasAny = 'any' in input;
    if (hasAll && hasAny) {
      return this.fail(path, 'has both "all" and "any"; put each in its own group');
    }
    if (hasAll || hasAny) return this.group(input, hasAll ? 'all' : 'any', path, depth);
    if ('field' in input || 'op' in input) return this.condition(input, path);
    return this.fail(
      path,
      `must be a group ({ "all": [...] } or { "any": [...] }) or a condition ({ "field", "op", "value" }); got keys ${describeKeys(input)}`,
    );
  }

  private group(
    input: Record<string, unknown>,
    kind: 'all' | 'any',
    path: string,
    depth: number,
  ): CheckedNode | null {
    for (const key of Object.keys(input)) {
      if (key !== kind) {
        this.fail(`${path}.${key}`, `unknown property; a group has only "${kind}"`);
      }
    }
    const children = input[kind];
    const here = `${path}.${kind}`;
    if (!Array.isArray(children)) return this.fail(here, 'must be an array of rules');
    if (kind === 'any' && children.length === 0) {
      return this.fail(here, 'must not be empty: a group with no alternatives matches no customer');
    }
    if (depth >= RULE_LIMITS.depth && children.length > 0) {
      return this.fail(here, `nests too deep (at most ${RULE_LIMITS.depth} levels of groups)`);
    }
    const checked = children.map((child, i) => this.node(child, `${here}[${i}]`, depth + 1));
    if (checked.some((c) => c === null)) return null;
    return { kind, children: checked as CheckedNode[] };
  }

  private condition(input: Record<string, unknown>, path: string): CheckedCondition | null {
    const before = this.errors.length;
    for (const key of Object.keys(input)) {
      if (!CONDITION_KEYS.has(key)) {
        this.fail(
          `${path}.${key}`,
          'unknown property; a condition has "field", "op", "value" and "caseSensitive"',
        );
      }
    }
    const type = this.fieldType(input.field, `${path}.field`);
    const op = this.operator(input.op, type, input.field, `${path}.op`);
    const caseSensitive = this.caseSensitive(input, op, type, `${path}.caseSensitive`);
    if (type === null || op === null || this.errors.length > before) {
      return null;
    }
    const value = this.value(input, type, op, `${path}.value`);
    if (!value) return null;
    return { kind: 'condition', field: input.field as string, type, op, value, caseSensitive };
  }

  private fieldType(field: unknown, path: string): FieldType | null {
    if (typeof field !== 'string' || field === '') {
      return this.fail(path, 'must be the name of a customer field');
    }
    const type = this.fields.get(field);
    if (type === undefined) {
      const hint = suggest(field, [...this.fields.keys()]);
      return this.fail(
        path,
        `unknown field "${field}"${hint ? `; did you mean "${hint}"?` : ''} (customer fields: ${[...this.fields.keys()].join(', ')})`,
      );
    }
    return type;
  }

  private operator(
    op: unknown,
    type: FieldType | null,
    field: unknown,
    path: string,
  ): Operator | null {
    if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
      const hint = typeof op === 'string' ? suggest(op, OPERATORS) : undefined;
      return this.fail(
        path,
        `${typeof op === 'string' ? `unknown operator "${op}"` : 'must be an operator'}${hint ? `; did you mean "${hint}"?` : ''} (operators: ${OPERATORS.join(', ')})`,
      );
    }
    if (type === null) return op as Operator;
    const allowed = OPERATORS_BY_TYPE[type];
    if (!allowed.includes(op as Operator)) {
      return this.fail(
        path,
        `operator "${op}" does not apply to ${String(field)}, a ${type} field; use one of ${allowed.join(', ')}`,
      );
    }
    return op as Operator;
  }

  private caseSensitive(
    input: Record<string, unknown>,
    op: Operator | null,
    type: FieldType | null,
    path: string,
  ): boolean {
    if (!('caseSensitive' in input) || input.caseSensitive === undefined) return false;
    if (typeof input.caseSensitive !== 'boolean') {
      this.fail(path, 'must be true or false');
      return false;
    }
    if (type !== null && op !== null && (type !== 'string' || !TEXT_OPERATORS.includes(op))) {
      this.fail(
        path,
        `applies only to text comparisons (${TEXT_OPERATORS.join(', ')} on string fields)`,
      );
      return false;
    }
    return input.caseSensitive;
  }

  private value(
    input: Record<string, unknown>,
    type: FieldType,
    op: Operator,
    path: string,
  ): CheckedValue | null {
    const raw = input.value;
    switch (op) {
      case 'isEmpty':
      case 'isNotEmpty':
        if ('value' in input && raw !== undefined && raw !== null) {
          return this.fail(path, `"${op}" takes no value`);
        }
        return { kind: 'none' };
      case 'withinLast':
      case 'olderThan':
        return this.relative(raw, path);
      case 'in':
      case 'notIn':
        return this.list(raw, type, path);
      case 'between':
        return this.range(raw, type, path);
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'eq':
      case 'ne':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
        return this.scalar(raw, type, path);
    }
  }

  private scalar(raw: unknown, type: FieldType, path: string): CheckedValue | null {
    if (raw === undefined || raw === null) {
      return this.fail(
        path,
        `is required: ${expected(type)} (to match customers without a value, choose the operator "is empty", isEmpty)`,
      );
    }
    this.values++;
    switch (type) {
      case 'string': {
        const text = this.text(raw, path);
        return text === null ? null : { kind: 'text', value: text };
      }
      case 'number': {
        const n = this.number(raw, path);
        return n === null ? null : { kind: 'number', value: n };
      }
      case 'date': {
        const d = this.date(raw, path);
        return d === null ? null : { kind: 'date', value: d };
      }
      case 'boolean':
        if (typeof raw !== 'boolean')
          return this.fail(path, `must be true or false (got ${show(raw)})`);
        return { kind: 'boolean', value: raw };
    }
  }

  private list(raw: unknown, type: FieldType, path: string): CheckedValue | null {
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > RULE_LIMITS.listValues) {
      return this.fail(
        path,
        `must be a list of 1 to ${RULE_LIMITS.listValues} values, each ${expected(type)}`,
      );
    }
    this.values += raw.length;
    if (this.values > RULE_LIMITS.totalValues) {
      return this.fail(path, `too many values in one rule (at most ${RULE_LIMITS.totalValues})`);
    }
    if (type === 'string') {
      const values = raw.map((v, i) => this.text(v, `${path}[${i}]`));
      return values.includes(null) ? null : { kind: 'texts', values: values as string[] };
    }
    const values = raw.map((v, i) => this.number(v, `${path}[${i}]`));
    return values.includes(null) ? null : { kind: 'numbers', values: values as number[] };
  }

  private range(raw: unknown, type: FieldType, path: string): CheckedValue | null {
    if (!Array.isArray(raw) || raw.length !== 2) {
      return this.fail(path, `must be [low, high] (both included), each ${expected(type)}`);
    }
    this.values += 2;
    if (type === 'number') {
      const low = this.number(raw[0], `${path}[0]`);
      const high = this.number(raw[1], `${path}[1]`);
      if (low === null || high === null) return null;
      if (low > high) return this.fail(path, `low (${low}) is above high (${high})`);
      return { kind: 'numberRange', low, high };
    }
    const low = this.date(raw[0], `${path}[0]`);
    const high = this.date(raw[1], `${path}[1]`);
    if (low === null || high === null) return null;
    if (lowerBound(low) > lowerBound(high)) {
      return this.fail(path, `low (${String(raw[0])}) is after high (${String(raw[1])})`);
    }
    return { kind: 'dateRange', low, high };
  }

  private relative(raw: unknown, path: string): CheckedValue | null {
    const shape = `must be { "amount": <whole number from 1 to ${RULE_LIMITS.relativeAmount}>, "unit": ${RELATIVE_UNITS.map((u) => `"${u}"`).join(' | ')} }`;
    if (!isObject(raw)) return this.fail(path, shape);
    const before = this.errors.length;
    for (const key of Object.keys(raw)) {
      if (key !== 'amount' && key !== 'unit')
        this.fail(`${path}.${key}`, `unknown property; ${shape}`);
    }
    const { amount, unit } = raw;
    if (
      typeof amount !== 'number' ||
      !Number.isInteger(amount) ||
      amount < 1 ||
      amount > RULE_LIMITS.relativeAmount
    ) {
      this.fail(
        `${path}.amount`,
        `must be a whole number from 1 to ${RULE_LIMITS.relativeAmount} (got ${show(amount)})`,
      );
    }
    if (typeof unit !== 'string' || !(RELATIVE_UNITS as readonly string[]).includes(unit)) {
      this.fail(`${path}.unit`, `must be one of ${RELATIVE_UNITS.join(', ')} (got ${show(unit)})`);
    }
    if (this.errors.length > before) return null;
    this.values++;
    return { kind: 'relative', amount: amount as number, unit: unit as RelativeUnit };
  }

  private text(raw: unknown, path: string): string | null {
    if (typeof raw !== 'string') return this.fail(path, `must be a string (got ${show(raw)})`);
    if (raw === '') {
      return this.fail(
        path,
        'must not be empty (to match customers without a value, choose the operator "is empty", isEmpty)',
      );
    }
    if (raw.length > RULE_LIMITS.stringLength) {
      return this.fail(path, `is longer than ${RULE_LIMITS.stringLength} characters`);
    }
    return raw;
  }

  private number(raw: unknown, path: string): number | null {
    if (typeof raw !== 'number' || !Number.isFinite(raw)) {
      return this.fail(path, `must be a number (got ${show(raw)})`);
    }
    return raw;
  }

  private date(raw: unknown, path: string): DateValue | null {
    const parsed = typeof raw === 'string' ? parseDateValue(raw) : undefined;
    if (!parsed) {
      return this.fail(
        path,
        `must be a date (2024-05-01, the whole UTC day) or a date-time with its zone (2024-05-01T10:00:00Z, 2024-05-01T12:00:00+02:00); got ${show(raw)}`,
      );
    }
    return parsed;
  }

  private fail(path: string, message: string): null {
    this.errors.push({ path, message });
    return null;
  }
}

function expected(type: FieldType): string {
  switch (type) {
    case 'string':
      return 'a non-empty string';
    case 'number':
      return 'a number';
    case 'date':
      return 'a date (2024-05-01) or date-time with zone (2024-05-01T10:00:00Z)';
    case 'boolean':
      return 'true or false';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeKeys(input: Record<string, unknown>): string {
  const keys = Object.keys(input);
  return keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(', ');
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The closest candidate within two edits (case-insensitive), for "did you mean" hints. */
function suggest(input: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(input.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (inputs are short names). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}
