import { assertIdentifier, type SqlDialect } from '@platform/database/sql-dialect';
import { CUSTOMER_ID_FIELD, type FieldType } from '@stages/contract/customer-field';
import { FOLD_FUNCTION } from './text-fold';

/** Alias of the `customer` table in compiled rules. */
export const CUSTOMER_ALIAS = 'c';

/**
 * The SQL pieces of segment rules that differ between SQLite and PostgreSQL. Field names reach
 * SQL only through here, after validation against the catalogue (and `assertIdentifier`);
 * values never do: every value is a bound parameter.
 */
export class SegmentSql {
  /**
   * @param icu PostgreSQL has the ICU root collation (`und-x-icu`), used for Unicode case folding
   * that matches {@link foldText}; without it PostgreSQL's `lower()` is used.
   */
  constructor(
    readonly dialect: SqlDialect,
    readonly icu = false,
  ) {}

  get kind(): SqlDialect['kind'] {
    return this.dialect.kind;
  }

  /**
   * The field's value in a form that compares correctly for its type: text for strings and
   * dates (ISO-8601 UTC text orders as time), a number for numbers, `'true'`/`'false'` text for
   * booleans; NULL when the customer has no value.
   */
  value(field: string, type: FieldType): string {
    if (field === CUSTOMER_ID_FIELD) return `${CUSTOMER_ALIAS}.customer_id`;
    assertIdentifier(field);
    const column = `${CUSTOMER_ALIAS}.fields`;
    const text = this.dialect.jsonText(column, field);
    if (this.kind === 'sqlite') {
      // json_extract answers JSON numbers as SQL numbers, JSON booleans as 1/0; json_type
      // spells booleans 'true'/'false' like PostgreSQL's ->> does.
      return type === 'boolean' ? `json_type(${column}, '$.${field}')` : text;
    }
    switch (type) {
      case 'string':
      case 'boolean':
        return text;
      case 'date':
        // Byte order, whatever the database's collation: ISO text then orders as time.
        return `(${text} COLLATE "C")`;
      case 'number':
        // A guarded cast: a value that is not a JSON number reads as absent instead of failing.
        return `(CASE WHEN jsonb_typeof(${column} -> '${field}') = 'number' THEN (${text})::double precision END)`;
    }
  }

  /** Unicode case folding of a text expression (see text-fold.ts). */
  fold(expression: string): string {
    if (this.kind === 'sqlite') {
      if (expression === '?') return `${FOLD_FUNCTION}(?)`;
      // ASCII text (as many bytes as characters) folds the same with SQLite's own lower(),
      // without a call into JavaScript per value; text with any other character (accents, ß)
      // goes through the full folding. Measured on 1M rows: a GLOB character class as the
      // test cost a third of the scan; a check over the whole row was slower still (CASE
      // around a rule loses SQLite's short-circuit jumps).
      return `(CASE WHEN octet_length(${expression}) = length(${expression}) THEN lower(${expression}) ELSE ${FOLD_FUNCTION}(${expression}) END)`;
    }
    // Folded text compares byte for byte: both forms end in the "C" collation (which also
    // keeps lower() to ASCII rules whatever the database's collation: no Turkish dotless i).
    const full = this.icu
      ? `(lower(upper(normalize(${expression}, NFC) COLLATE "und-x-icu")) COLLATE "C")`
      : `(lower(normalize(${expression}, NFC)) COLLATE "C")`;
    if (expression === '?') return full;
    // The same ASCII fast path as on SQLite: ICU case mapping measured twice as slow as lower().
    return `(CASE WHEN octet_length(${expression}) = length(${expression}) THEN lower(${expression} COLLATE "C") ELSE ${full} END)`;
  }

  /** `haystack` contains `needle` (both text; no LIKE, so `%` and `_` are plain characters). */
  contains(haystack: string, needle: string): string {
    return this.kind === 'sqlite'
      ? `instr(${haystack}, ${needle}) > 0`
      : `strpos(${haystack}, ${needle}) > 0`;
  }

  /** `haystack` starts with `needle`; `needle` appears twice (bind its value twice). */
  startsWith(haystack: string, needle: string): string {
    return this.kind === 'sqlite'
      ? `substr(${haystack}, 1, length(${needle})) = ${needle}`
      : `left(${haystack}, length(${needle})) = ${needle}`;
  }

  /** `haystack` ends with `needle`; `needle` appears twice (bind its value twice). */
  endsWith(haystack: string, needle: string): string {
    return this.kind === 'sqlite'
      ? `substr(${haystack}, -length(${needle})) = ${needle}`
      : `right(${haystack}, length(${needle})) = ${needle}`;
  }
}
