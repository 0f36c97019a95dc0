import type { CheckedCondition, CheckedNode } from './checked-rule';
import { lowerBound, subtractRelative, type DateValue } from './date-values';
import type { SegmentSql } from './segment-sql';

/** A compiled rule: a boolean SQL expression over `customer c`, with `?` placeholders. */
export interface CompiledRule {
  where: string;
  params: unknown[];
}

/**
 * Compiles a validated rule to a parameterized WHERE expression for the store `sql` speaks to.
 * `now` anchors relative dates (`withinLast`, `olderThan`); it is taken once per evaluation.
 *
 * Semantics worth knowing (README.md in this folder has the full table):
 * - a customer without a value matches only `isEmpty`, `ne` and `notIn` (it is "not equal");
 * - text comparisons fold case (Unicode) unless `caseSensitive` is true;
 * - a date alone means its whole UTC day.
 */
export function compileRule(rule: CheckedNode, sql: SegmentSql, now: Date): CompiledRule {
  const params: unknown[] = [];
  const where = new Compiler(sql, now, params).node(rule);
  return { where, params };
}

class Compiler {
  constructor(
    private readonly sql: SegmentSql,
    private readonly now: Date,
    private readonly params: unknown[],
  ) {}

  node(node: CheckedNode): string {
    if (node.kind === 'condition') return this.condition(node);
    if (node.children.length === 0) return '1 = 1'; // { all: [] }: every customer
    const parts = node.children.map((child) => this.node(child));
    return parts.length === 1
      ? parts[0]
      : `(${parts.join(node.kind === 'all' ? ' AND ' : ' OR ')})`;
  }

  private condition(c: CheckedCondition): string {
    const x = this.sql.value(c.field, c.type);
    switch (c.type) {
      case 'string':
        return this.text(c, x);
      case 'number':
        return this.number(c, x);
      case 'date':
        return this.date(c, x);
      case 'boolean':
        return this.boolean(c, x);
    }
  }

  private text(c: CheckedCondition, x: string): string {
    const fold = !c.caseSensitive;
    const column = fold ? this.sql.fold(x) : x;
    const param = (value: string) => this.bind(value, fold);
    const v = c.value;
    switch (c.op) {
      case 'isEmpty':
        return `(${x} IS NULL OR ${x} = '')`;
      case 'isNotEmpty':
        return `(${x} IS NOT NULL AND ${x} <> '')`;
      case 'eq':
        return `${column} = ${param(textOf(v))}`;
      case 'ne':
        return `(${x} IS NULL OR ${column} <> ${param(textOf(v))})`;
      case 'in':
        return `${column} IN (${textsOf(v).map(param).join(', ')})`;
      case 'notIn':
        return `(${x} IS NULL OR ${column} NOT IN (${textsOf(v).map(param).join(', ')}))`;
      case 'contains':
        return this.sql.contains(column, param(textOf(v)));
      case 'startsWith': {
        const needle = param(textOf(v));
        this.params.push(this.params[this.params.length - 1]);
        return this.sql.startsWith(column, needle);
      }
      case 'endsWith': {
        const needle = param(textOf(v));
        this.params.push(this.params[this.params.length - 1]);
        return this.sql.endsWith(column, needle);
      }
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
      case 'between':
      case 'withinLast':
      case 'olderThan':
        return unsupported(c);
    }
  }

  private number(c: CheckedCondition, x: string): string {
    const v = c.value;
    switch (c.op) {
      case 'isEmpty':
        return `${x} IS NULL`;
      case 'isNotEmpty':
        return `${x} IS NOT NULL`;
      case 'eq':
        return `${x} = ${this.bind(numberOf(v))}`;
      case 'ne':
        return `(${x} IS NULL OR ${x} <> ${this.bind(numberOf(v))})`;
      case 'gt':
        return `${x} > ${this.bind(numberOf(v))}`;
      case 'gte':
        return `${x} >= ${this.bind(numberOf(v))}`;
      case 'lt':
        return `${x} < ${this.bind(numberOf(v))}`;
      case 'lte':
        return `${x} <= ${this.bind(numberOf(v))}`;
      case 'between': {
        if (v.kind !== 'numberRange') return unsupported(c);
        return `${x} BETWEEN ${this.bind(v.low)} AND ${this.bind(v.high)}`;
      }
      case 'in':
        return `${x} IN (${numbersOf(v)
          .map((n) => this.bind(n))
          .join(', ')})`;
      case 'notIn':
        return `(${x} IS NULL OR ${x} NOT IN (${numbersOf(v)
          .map((n) => this.bind(n))
          .join(', ')}))`;
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'withinLast':
      case 'olderThan':
        return unsupported(c);
    }
  }

  private date(c: CheckedCondition, x: string): string {
    const v = c.value;
    switch (c.op) {
      case 'isEmpty':
        return `${x} IS NULL`;
      case 'isNotEmpty':
        return `${x} IS NOT NULL`;
      case 'eq':
        return this.onDate(x, dateOf(v));
      case 'ne':
        return `(${x} IS NULL OR NOT (${this.onDate(x, dateOf(v))}))`;
      case 'gt': {
        const d = dateOf(v);
        return d.kind === 'day' ? `${x} >= ${this.bind(d.end)}` : `${x} > ${this.bind(d.at)}`;
      }
      case 'gte':
        return `${x} >= ${this.bind(lowerBound(dateOf(v)))}`;
      case 'lt':
        return `${x} < ${this.bind(lowerBound(dateOf(v)))}`;
      case 'lte':
        return this.upTo(x, dateOf(v));
      case 'between': {
        if (v.kind !== 'dateRange') return unsupported(c);
        return `(${x} >= ${this.bind(lowerBound(v.low))} AND ${this.upTo(x, v.high)})`;
      }
      case 'withinLast': {
        if (v.kind !== 'relative') return unsupported(c);
        const from = subtractRelative(this.now, v).toISOString();
        return `(${x} >= ${this.bind(from)} AND ${x} <= ${this.bind(this.now.toISOString())})`;
      }
      case 'olderThan': {
        if (v.kind !== 'relative') return unsupported(c);
        return `${x} < ${this.bind(subtractRelative(this.now, v).toISOString())}`;
      }
      case 'in':
      case 'notIn':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        return unsupported(c);
    }
  }

  private boolean(c: CheckedCondition, x: string): string {
    const v = c.value;
    switch (c.op) {
      case 'isEmpty':
        return `${x} IS NULL`;
      case 'isNotEmpty':
        return `${x} IS NOT NULL`;
      case 'eq':
        return `${x} = ${this.bind(String(booleanOf(v)))}`;
      case 'ne':
        return `(${x} IS NULL OR ${x} <> ${this.bind(String(booleanOf(v)))})`;
      case 'in':
      case 'notIn':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
      case 'gt':
      case 'gte':
      case 'lt':
      case 'lte':
      case 'between':
      case 'withinLast':
      case 'olderThan':
        return unsupported(c);
    }
  }

  /** On that day (a date) or at that instant (a date-time). */
  private onDate(x: string, d: DateValue): string {
    return d.kind === 'day'
      ? `(${x} >= ${this.bind(d.start)} AND ${x} < ${this.bind(d.end)})`
      : `${x} = ${this.bind(d.at)}`;
  }

  /** Up to the end of that day (a date) or up to and including that instant. */
  private upTo(x: string, d: DateValue): string {
    return d.kind === 'day' ? `${x} < ${this.bind(d.end)}` : `${x} <= ${this.bind(d.at)}`;
  }

  /** Adds a parameter and answers its placeholder (folded on the SQL side when asked). */
  private bind(value: unknown, fold = false): string {
    this.params.push(value);
    return fold ? this.sql.fold('?') : '?';
  }
}

function textOf(v: CheckedCondition['value']): string {
  if (v.kind !== 'text') throw new Error(`expected a text value, got ${v.kind}`);
  return v.value;
}

function textsOf(v: CheckedCondition['value']): string[] {
  if (v.kind !== 'texts') throw new Error(`expected text values, got ${v.kind}`);
  return v.values;
}

function numberOf(v: CheckedCondition['value']): number {
  if (v.kind !== 'number') throw new Error(`expected a number value, got ${v.kind}`);
  return v.value;
}

function numbersOf(v: CheckedCondition['value']): number[] {
  if (v.kind !== 'numbers') throw new Error(`expected number values, got ${v.kind}`);
  return v.values;
}

function dateOf(v: CheckedCondition['value']): DateValue {
  if (v.kind !== 'date') throw new Error(`expected a date value, got ${v.kind}`);
  return v.value;
}

function booleanOf(v: CheckedCondition['value']): boolean {
  if (v.kind !== 'boolean') throw new Error(`expected a boolean value, got ${v.kind}`);
  return v.value;
}

/** The validator lets no such condition through; reaching this is a programming error. */
function unsupported(c: CheckedCondition): never {
  throw new Error(`operator ${c.op} is not compiled for ${c.type} fields`);
}
