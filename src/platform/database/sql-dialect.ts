export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * The few places where SQLite and PostgreSQL SQL differ. Statements elsewhere are written once
 * with `?` placeholders and the portable subset of SQL; {@link toPostgresPlaceholders} rewrites
 * the placeholders for PostgreSQL.
 */
export class SqlDialect {
  constructor(readonly kind: DatabaseKind) {}

  /** Largest number of bound parameters one statement may carry. */
  get maxParameters(): number {
    return this.kind === 'sqlite' ? 32_000 : 65_000;
  }

  /** Text value of a top-level key of a JSON column (`NULL` when absent). */
  jsonText(column: string, key: string): string {
    assertIdentifier(key);
    return this.kind === 'sqlite'
      ? `json_extract(${column}, '$.${key}')`
      : `(${column} ->> '${key}')`;
  }

  /** The JSON column type used by migrations for data columns. */
  get jsonType(): string {
    return this.kind === 'sqlite' ? 'text' : 'jsonb';
  }

  /** Casts a bound parameter holding JSON text to the JSON column type. */
  jsonParam(): string {
    return this.kind === 'sqlite' ? '?' : '?::jsonb';
  }

  /** `INSERT … ON CONFLICT (keys) DO NOTHING` works on both; this spells the update form. */
  upsertSuffix(keys: string[], updateColumns: string[]): string {
    const set = updateColumns.map((c) => `${c} = excluded.${c}`).join(', ');
    return `ON CONFLICT (${keys.join(', ')}) DO ${set ? `UPDATE SET ${set}` : 'NOTHING'}`;
  }
}

/** Rewrites `?` placeholders to `$1…$n`. Statements must not contain a literal `?`. */
export function toPostgresPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertIdentifier(name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`not an identifier: ${JSON.stringify(name)}`);
}
