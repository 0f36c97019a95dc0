import { SqlDialect } from '@platform/database/sql-dialect';
import type { FieldType } from '@stages/contract/customer-field';
import { compileRule } from './rule-compiler';
import { validateRule } from './rule-validator';
import { SegmentSql } from './segment-sql';

const FIELDS = new Map<string, FieldType>([
  ['customerId', 'string'],
  ['email', 'string'],
  ['lifetimeValue', 'number'],
  ['lastPurchaseAt', 'date'],
  ['newsletter', 'boolean'],
]);
const NOW = new Date('2024-03-31T12:00:00.000Z');
const SQLITE = new SegmentSql(new SqlDialect('sqlite'));
const PG = new SegmentSql(new SqlDialect('postgres'), true);

function compile(rule: unknown, sql: SegmentSql) {
  return compileRule(validateRule(rule, FIELDS), sql, NOW);
}

const PG_FULL = (x: string) =>
  `(lower(upper(normalize(${x}, NFC) COLLATE "und-x-icu")) COLLATE "C")`;
const PG_FOLD = (x: string) =>
  x === '?'
    ? PG_FULL(x)
    : `(CASE WHEN octet_length(${x}) = length(${x}) THEN lower(${x} COLLATE "C") ELSE ${PG_FULL(x)} END)`;
const SQLITE_FOLD = (x: string) =>
  `(CASE WHEN octet_length(${x}) = length(${x}) THEN lower(${x}) ELSE as_fold(${x}) END)`;

describe('compileRule', () => {
  it('folds case on both sides of a string comparison, per store', () => {
    const rule = { all: [{ field: 'email', op: 'eq', value: 'Ann@Example.com' }] };
    // SQLite: the built-in lower() for ASCII, the JavaScript fold for anything else.
    expect(compile(rule, SQLITE)).toEqual({
      where: `${SQLITE_FOLD("json_extract(c.fields, '$.email')")} = as_fold(?)`,
      params: ['Ann@Example.com'],
    });
    expect(compile(rule, PG)).toEqual({
      where: `${PG_FOLD("(c.fields ->> 'email')")} = ${PG_FOLD('?')}`,
      params: ['Ann@Example.com'],
    });
  });

  it('falls back to lower() on PostgreSQL without ICU, and compares as is when case-sensitive', () => {
    const noIcu = new SegmentSql(new SqlDialect('postgres'), false);
    const x = "(c.fields ->> 'email')";
    expect(compile({ all: [{ field: 'email', op: 'contains', value: 'x' }] }, noIcu).where).toBe(
      `strpos((CASE WHEN octet_length(${x}) = length(${x}) THEN lower(${x} COLLATE "C") ELSE (lower(normalize(${x}, NFC)) COLLATE "C") END), (lower(normalize(?, NFC)) COLLATE "C")) > 0`,
    );
    expect(
      compile(
        { all: [{ field: 'email', op: 'startsWith', value: 'A', caseSensitive: true }] },
        SQLITE,
      ),
    ).toEqual({
      where: "substr(json_extract(c.fields, '$.email'), 1, length(?)) = ?",
      params: ['A', 'A'],
    });
    expect(
      compile({ all: [{ field: 'email', op: 'endsWith', value: '.de', caseSensitive: true }] }, PG),
    ).toEqual({
      where: "right((c.fields ->> 'email'), length(?)) = ?",
      params: ['.de', '.de'],
    });
  });

  it('never puts a value into the SQL text', () => {
    const evil = "x'); DROP TABLE customer; --";
    for (const sql of [SQLITE, PG]) {
      const compiled = compile(
        {
          any: [
            { field: 'email', op: 'contains', value: evil },
            { field: 'email', op: 'in', value: [evil, '%_'] },
            { field: 'customerId', op: 'ne', value: evil },
          ],
        },
        sql,
      );
      expect(compiled.where).not.toContain('DROP');
      expect(compiled.where).not.toContain('%');
      expect(compiled.params).toEqual([evil, evil, '%_', evil]);
      expect(compiled.where.split('?').length - 1).toBe(compiled.params.length);
    }
  });

  it('reads customerId from its column and typed values from the JSON', () => {
    expect(
      compile({ all: [{ field: 'customerId', op: 'eq', value: 'A1', caseSensitive: true }] }, PG)
        .where,
    ).toBe('c.customer_id = ?');
    expect(compile({ all: [{ field: 'lifetimeValue', op: 'gte', value: 100 }] }, PG).where).toBe(
      "(CASE WHEN jsonb_typeof(c.fields -> 'lifetimeValue') = 'number' THEN ((c.fields ->> 'lifetimeValue'))::double precision END) >= ?",
    );
    expect(
      compile({ all: [{ field: 'lifetimeValue', op: 'between', value: [1, 2] }] }, SQLITE),
    ).toEqual({
      where: "json_extract(c.fields, '$.lifetimeValue') BETWEEN ? AND ?",
      params: [1, 2],
    });
    expect(compile({ all: [{ field: 'newsletter', op: 'eq', value: true }] }, SQLITE)).toEqual({
      where: "json_type(c.fields, '$.newsletter') = ?",
      params: ['true'],
    });
    expect(compile({ all: [{ field: 'newsletter', op: 'ne', value: true }] }, PG)).toEqual({
      where: "((c.fields ->> 'newsletter') IS NULL OR (c.fields ->> 'newsletter') <> ?)",
      params: ['true'],
    });
  });

  it('treats a date alone as its whole UTC day and a date-time as an instant', () => {
    const x = "json_extract(c.fields, '$.lastPurchaseAt')";
    const cases: [string, unknown, string, string[]][] = [
      [
        'eq',
        '2024-05-01',
        `(${x} >= ? AND ${x} < ?)`,
        ['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z'],
      ],
      ['eq', '2024-05-01T12:00:00+02:00', `${x} = ?`, ['2024-05-01T10:00:00.000Z']],
      ['gt', '2024-05-01', `${x} >= ?`, ['2024-05-02T00:00:00.000Z']],
      ['gt', '2024-05-01T10:00:00Z', `${x} > ?`, ['2024-05-01T10:00:00.000Z']],
      ['gte', '2024-05-01', `${x} >= ?`, ['2024-05-01T00:00:00.000Z']],
      ['lt', '2024-05-01', `${x} < ?`, ['2024-05-01T00:00:00.000Z']],
      ['lte', '2024-05-01', `${x} < ?`, ['2024-05-02T00:00:00.000Z']],
      ['lte', '2024-05-01T10:00:00Z', `${x} <= ?`, ['2024-05-01T10:00:00.000Z']],
      [
        'between',
        ['2024-05-01', '2024-05-03'],
        `(${x} >= ? AND ${x} < ?)`,
        ['2024-05-01T00:00:00.000Z', '2024-05-04T00:00:00.000Z'],
      ],
      [
        'ne',
        '2024-05-01',
        `(${x} IS NULL OR NOT ((${x} >= ? AND ${x} < ?)))`,
        ['2024-05-01T00:00:00.000Z', '2024-05-02T00:00:00.000Z'],
      ],
    ];
    for (const [op, value, where, params] of cases) {
      expect(compile({ all: [{ field: 'lastPurchaseAt', op, value }] }, SQLITE)).toEqual({
        where,
        params,
      });
    }
  });

  it('evaluates relative dates against "now", months by the calendar', () => {
    const x = '((c.fields ->> \'lastPurchaseAt\') COLLATE "C")';
    expect(
      compile(
        {
          all: [
            { field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 1, unit: 'months' } },
          ],
        },
        PG,
      ),
    ).toEqual({
      where: `(${x} >= ? AND ${x} <= ?)`,
      params: ['2024-02-29T12:00:00.000Z', '2024-03-31T12:00:00.000Z'],
    });
    expect(
      compile(
        {
          all: [{ field: 'lastPurchaseAt', op: 'olderThan', value: { amount: 2, unit: 'weeks' } }],
        },
        PG,
      ),
    ).toEqual({ where: `${x} < ?`, params: ['2024-03-17T12:00:00.000Z'] });
  });

  it('lets customers without a value match ne / notIn / isEmpty only', () => {
    const x = "json_extract(c.fields, '$.email')";
    expect(compile({ all: [{ field: 'email', op: 'notIn', value: ['a', 'b'] }] }, SQLITE)).toEqual({
      where: `(${x} IS NULL OR ${SQLITE_FOLD(x)} NOT IN (as_fold(?), as_fold(?)))`,
      params: ['a', 'b'],
    });
    expect(compile({ all: [{ field: 'email', op: 'isEmpty' }] }, SQLITE).where).toBe(
      `(${x} IS NULL OR ${x} = '')`,
    );
    expect(compile({ all: [{ field: 'lifetimeValue', op: 'isNotEmpty' }] }, SQLITE).where).toBe(
      "json_extract(c.fields, '$.lifetimeValue') IS NOT NULL",
    );
  });

  it('nests groups in parentheses and matches everyone with an empty "all"', () => {
    expect(compile({ all: [] }, SQLITE)).toEqual({ where: '1 = 1', params: [] });
    const compiled = compile(
      {
        any: [
          {
            all: [
              { field: 'lifetimeValue', op: 'gt', value: 1 },
              { field: 'lifetimeValue', op: 'lt', value: 9 },
            ],
          },
          { field: 'newsletter', op: 'isEmpty' },
        ],
      },
      SQLITE,
    );
    expect(compiled.where).toBe(
      "((json_extract(c.fields, '$.lifetimeValue') > ? AND json_extract(c.fields, '$.lifetimeValue') < ?) OR json_type(c.fields, '$.newsletter') IS NULL)",
    );
    expect(compiled.params).toEqual([1, 9]);
  });
});
