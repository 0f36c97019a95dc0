import { badRequest, unknownProperty } from '../dataverse/dataverse-error';
import { normalizeGuid } from '../util/ids';
import type { CellValue, ColumnType, EntitySchema, Row } from './schema';

/**
 * The `$filter` subset the emulator understands: eq/ne/gt/ge/lt/le, and/or/not, parentheses,
 * `in (…)`, contains/startswith/endswith and `Microsoft.Dynamics.CRM.In`/`NotIn`. Written by
 * hand (a recursive-descent parser of ~200 lines) because the OData parsers on npm either target
 * a whole OData server framework or are unmaintained; string comparisons are case-insensitive,
 * as in Dataverse.
 */
export type Filter =
  | { kind: 'and' | 'or'; left: Filter; right: Filter }
  | { kind: 'not'; expr: Filter }
  | { kind: 'cmp'; op: CmpOp; prop: string; value: CellValue }
  | { kind: 'in'; prop: string; values: CellValue[]; negate: boolean }
  | { kind: 'fn'; fn: 'contains' | 'startswith' | 'endswith'; prop: string; value: string };

type CmpOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const CMP_OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

interface Token {
  type: 'ident' | 'string' | 'number' | 'guid' | 'datetime' | 'punct';
  text: string;
  pos: number;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?/;
const NUMBER = /^-?\d+(\.\d+)?/;
const IDENT = /^[A-Za-z_@$][\w.@$]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const rest = text.slice(pos);
    const space = /^\s+/.exec(rest);
    if (space) {
      pos += space[0].length;
      continue;
    }
    if (rest[0] === "'") {
      let value = '';
      let i = 1;
      for (;;) {
        if (i >= rest.length) throw syntax(text, pos, 'unterminated string literal');
        if (rest[i] === "'") {
          if (rest[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          break;
        }
        value += rest[i];
        i += 1;
      }
      tokens.push({ type: 'string', text: value, pos });
      pos += i + 1;
      continue;
    }
    if ('(),[]='.includes(rest[0])) {
      tokens.push({ type: 'punct', text: rest[0], pos });
      pos += 1;
      continue;
    }
    const found = matchToken(rest);
    if (!found) throw syntax(text, pos, `unexpected character '${rest[0]}'`);
    const [type, value] = found;
    tokens.push({ type, text: value, pos });
    pos += value.length;
  }
  return tokens;
}

function matchToken(rest: string): [Token['type'], string] | undefined {
  const guid = GUID.exec(rest);
  if (guid) return ['guid', guid[0]];
  const datetime = /^\d{4}-\d{2}-\d{2}/.test(rest) ? DATETIME.exec(rest) : null;
  if (datetime) return ['datetime', datetime[0]];
  const number = NUMBER.exec(rest);
  if (number) return ['number', number[0]];
  const ident = IDENT.exec(rest);
  return ident ? ['ident', ident[0]] : undefined;
}

function syntax(text: string, pos: number, detail: string) {
  return badRequest(`Syntax error at position ${pos} in '${text}': ${detail}.`);
}

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly schema: EntitySchema,
  ) {}

  parse(): Filter {
    const expr = this.or();
    const extra = this.tokens[this.i] as Token | undefined;
    if (extra) throw syntax(this.text, extra.pos, `unexpected '${extra.text}'`);
    return expr;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private next(what: string): Token {
    const token = this.tokens[this.i] as Token | undefined;
    if (!token) throw syntax(this.text, this.text.length, `expected ${what}`);
    this.i += 1;
    return token;
  }

  private expect(punct: string): void {
    const token = this.next(`'${punct}'`);
    if (token.type !== 'punct' || token.text !== punct) {
      throw syntax(this.text, token.pos, `expected '${punct}' but found '${token.text}'`);
    }
  }

  private keyword(word: string): boolean {
    const token = this.peek();
    if (token?.type === 'ident' && token.text.toLowerCase() === word) {
      this.i += 1;
      return true;
    }
    return false;
  }

  private or(): Filter {
    let left = this.and();
    while (this.keyword('or')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Filter {
    let left = this.unary();
    while (this.keyword('and')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  private unary(): Filter {
    if (this.keyword('not')) return { kind: 'not', expr: this.unary() };
    const token = this.peek();
    if (token?.type === 'punct' && token.text === '(') {
      this.i += 1;
      const expr = this.or();
      this.expect(')');
      return expr;
    }
    return this.predicate();
  }

  private predicate(): Filter {
    const head = this.next('a property name');
    if (head.type !== 'ident')
      throw syntax(this.text, head.pos, `expected a property name but found '${head.text}'`);
    const name = head.text.toLowerCase();
    if (name === 'contains' || name === 'startswith' || name === 'endswith') {
      this.expect('(');
      const prop = this.property();
      this.expect(',');
      const literal = this.next('a string');
      if (literal.type !== 'string')
        throw syntax(this.text, literal.pos, `${name} needs a string literal`);
      this.expect(')');
      this.requireType(prop, ['string'], name);
      return { kind: 'fn', fn: name, prop, value: literal.text };
    }
    if (name === 'microsoft.dynamics.crm.in' || name === 'microsoft.dynamics.crm.notin') {
      return this.crmIn(name.endsWith('notin'));
    }
    const prop = this.checkProperty(head);
    const op = this.next('an operator');
    const opName = op.text.toLowerCase();
    if (op.type === 'ident' && opName === 'in') {
      this.expect('(');
      const values = this.literalList(prop, ')');
      return { kind: 'in', prop, values, negate: false };
    }
    if (op.type !== 'ident' || !CMP_OPS.has(opName)) {
      throw syntax(
        this.text,
        op.pos,
        `expected an operator (eq, ne, gt, ge, lt, le, in) but found '${op.text}'`,
      );
    }
    return { kind: 'cmp', op: opName as CmpOp, prop, value: this.literal(prop) };
  }

  private crmIn(negate: boolean): Filter {
    this.expect('(');
    this.namedArgument('PropertyName');
    const name = this.next('a property name');
    if (name.type !== 'string')
      throw syntax(this.text, name.pos, 'PropertyName needs a string literal');
    const prop = this.checkProperty(name);
    this.expect(',');
    this.namedArgument('PropertyValues');
    this.expect('[');
    const values = this.literalList(prop, ']', true);
    this.expect(')');
    return { kind: 'in', prop, values, negate };
  }

  private namedArgument(expected: string): void {
    const token = this.next(expected);
    if (token.text.toLowerCase() !== expected.toLowerCase()) {
      throw syntax(this.text, token.pos, `expected ${expected}`);
    }
    this.expect('=');
  }

  private literalList(prop: string, close: string, quotedGuids = false): CellValue[] {
    const values: CellValue[] = [this.literal(prop, quotedGuids)];
    for (;;) {
      const token = this.next(`',' or '${close}'`);
      if (token.type === 'punct' && token.text === close) return values;
      if (token.type !== 'punct' || token.text !== ',') {
        throw syntax(this.text, token.pos, `expected ',' or '${close}'`);
      }
      values.push(this.literal(prop, quotedGuids));
    }
  }

  private property(): string {
    return this.checkProperty(this.next('a property name'));
  }

  private checkProperty(token: Token): string {
    const name = token.text.toLowerCase();
    if (!(name in this.schema.columns)) throw unknownProperty(token.text, this.schema.logicalName);
    return name;
  }

  private requireType(prop: string, types: ColumnType[], what: string): void {
    if (!types.includes(this.schema.columns[prop])) {
      throw badRequest(
        `${what} is not supported on '${prop}' (type Edm.${edmType(this.schema.columns[prop])}).`,
      );
    }
  }

  private literal(prop: string, quotedGuids = false): CellValue {
    const token = this.next('a value');
    const type = this.schema.columns[prop];
    if (token.type === 'ident') {
      const word = token.text.toLowerCase();
      if (word === 'null') return null;
      if ((word === 'true' || word === 'false') && type === 'bool') return word === 'true';
    }
    const mismatch = () =>
      badRequest(
        `A binary operator with incompatible types was detected. Found operand types 'Edm.${edmType(type)}' and '${literalType(token)}' for the property '${prop}'.`,
      );
    switch (type) {
      case 'guid': {
        if (token.type === 'guid' || (quotedGuids && token.type === 'string')) {
          const guid = normalizeGuid(token.text);
          if (guid) return guid;
        }
        throw mismatch();
      }
      case 'string':
        if (token.type === 'string') return token.text;
        throw mismatch();
      case 'int':
        if (token.type === 'number') return Number(token.text);
        if (quotedGuids && token.type === 'string' && NUMBER.test(token.text))
          return Number(token.text);
        throw mismatch();
      case 'bool':
        throw mismatch();
      case 'datetime':
        if (token.type === 'datetime' || (quotedGuids && token.type === 'string')) {
          const ms = Date.parse(token.text);
          if (!Number.isNaN(ms)) return ms;
        }
        throw mismatch();
    }
  }
}

function edmType(type: ColumnType): string {
  return {
    guid: 'Guid',
    string: 'String',
    int: 'Int32',
    bool: 'Boolean',
    datetime: 'DateTimeOffset',
  }[type];
}

function literalType(token: Token): string {
  return {
    ident: 'Edm.Untyped',
    string: 'Edm.String',
    number: 'Edm.Int32',
    guid: 'Edm.Guid',
    datetime: 'Edm.DateTimeOffset',
    punct: 'Edm.Untyped',
  }[token.type];
}

export function parseFilter(text: string, schema: EntitySchema): Filter {
  return new Parser(text, tokenize(text), schema).parse();
}

/** Values in rows: datetimes as ISO strings are compared as instants. */
function comparable(value: CellValue, type: ColumnType): CellValue {
  if (value === null) return null;
  if (type === 'datetime' && typeof value === 'string') return Date.parse(value);
  if ((type === 'string' || type === 'guid') && typeof value === 'string')
    return value.toLowerCase();
  return value;
}

export function matches(filter: Filter, row: Row, schema: EntitySchema): boolean {
  switch (filter.kind) {
    case 'and':
      return matches(filter.left, row, schema) && matches(filter.right, row, schema);
    case 'or':
      return matches(filter.left, row, schema) || matches(filter.right, row, schema);
    case 'not':
      return !matches(filter.expr, row, schema);
    case 'in': {
      const type = schema.columns[filter.prop];
      const value = comparable(row[filter.prop] ?? null, type);
      const found = filter.values.some((v) => comparable(v, type) === value);
      return found !== filter.negate;
    }
    case 'fn': {
      const value = row[filter.prop];
      if (typeof value !== 'string') return false;
      const hay = value.toLowerCase();
      const needle = filter.value.toLowerCase();
      if (filter.fn === 'contains') return hay.includes(needle);
      return filter.fn === 'startswith' ? hay.startsWith(needle) : hay.endsWith(needle);
    }
    case 'cmp': {
      const type = schema.columns[filter.prop];
      const left = comparable(row[filter.prop] ?? null, type);
      const right = comparable(filter.value, type);
      switch (filter.op) {
        case 'eq':
          return left === right;
        case 'ne':
          return left !== right;
        case 'gt':
        case 'ge':
        case 'lt':
        case 'le':
          if (left === null || right === null) return false;
          return compare(filter.op, left, right);
      }
    }
  }
}

function compare(op: 'gt' | 'ge' | 'lt' | 'le', left: CellValue, right: CellValue): boolean {
  const l = left as number | string;
  const r = right as number | string;
  switch (op) {
    case 'gt':
      return l > r;
    case 'ge':
      return l >= r;
    case 'lt':
      return l < r;
    case 'le':
      return l <= r;
  }
}

/**
 * The primary-key values a filter restricts rows to, when it does (eq, in, or of those, and
 * with one such side); undefined when any row may match. Lets key lookups skip the scan.
 */
export function keyCandidates(filter: Filter, key: string): Set<string> | undefined {
  switch (filter.kind) {
    case 'cmp':
      return filter.prop === key && filter.op === 'eq' && typeof filter.value === 'string'
        ? new Set([filter.value])
        : undefined;
    case 'in':
      return filter.prop === key && !filter.negate
        ? new Set(filter.values.filter((v): v is string => typeof v === 'string'))
        : undefined;
    case 'or': {
      const left = keyCandidates(filter.left, key);
      const right = keyCandidates(filter.right, key);
      return left && right ? new Set([...left, ...right]) : undefined;
    }
    case 'and':
      return keyCandidates(filter.left, key) ?? keyCandidates(filter.right, key);
    case 'not':
    case 'fn':
      return undefined;
  }
}

/** The properties a filter reads. */
export function filterColumns(filter: Filter, into = new Set<string>()): Set<string> {
  switch (filter.kind) {
    case 'and':
    case 'or':
      filterColumns(filter.left, into);
      filterColumns(filter.right, into);
      break;
    case 'not':
      filterColumns(filter.expr, into);
      break;
    case 'cmp':
    case 'in':
    case 'fn':
      into.add(filter.prop);
  }
  return into;
}
