import { Injectable } from '@nestjs/common';
import type BetterSqlite3 from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { AsyncLock } from './async-lock';
import { SqlDialect, assertIdentifier, toPostgresPlaceholders } from './sql-dialect';

export interface Statement {
  sql: string;
  params?: unknown[];
}

/** Rows per multi-row statement before the parameter limit is considered. */
const MAX_ROWS_PER_STATEMENT = 500;

/**
 * Raw SQL access for the hot paths (ingest, unify, segment membership, export diffs), written
 * once for SQLite and PostgreSQL. Statements use `?` placeholders.
 *
 * Rule for SQLite: never hold a write transaction across an `await`. {@link atomic} runs its
 * whole statement list synchronously inside one transaction, so long jobs commit in chunks
 * (and make the result visible at the end with a single small statement, e.g. a generation flip).
 */
@Injectable()
export class Db {
  readonly dialect: SqlDialect;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(
    readonly dataSource: DataSource,
    readonly sqliteLock: AsyncLock,
  ) {
    this.dialect = new SqlDialect(dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite');
  }

  get kind(): SqlDialect['kind'] {
    return this.dialect.kind;
  }

  /** Runs a read (or a single auto-committed write) and returns its rows. */
  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.kind === 'sqlite') {
      return this.sqliteLock.run(() => {
        const stmt = this.prepare(sql);
        const values = sqliteParams(params);
        return (stmt.reader ? stmt.all(values) : (stmt.run(values), [])) as T[];
      });
    }
    return this.dataSource.query<T[]>(toPostgresPlaceholders(sql), params);
  }

  /**
   * PostgreSQL: runs one read in a transaction of its own, with `settings` set for it alone
   * (`set_config(…, true)`, like `SET LOCAL`): e.g. `statement_timeout`, past which the read
   * fails with SQLSTATE 57014. SQLite has no such settings (better-sqlite3 cannot interrupt a
   * statement): bound the work there by running it in chunks.
   */
  async queryWithSettings<T = Record<string, unknown>>(
    settings: Record<string, string>,
    sql: string,
    params: unknown[],
  ): Promise<T[]> {
    if (this.kind === 'sqlite') throw new Error('SQLite has no per-transaction settings');
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      for (const [name, value] of Object.entries(settings)) {
        await runner.query('SELECT set_config($1, $2, true)', [name, value]);
      }
      const rows = (await runner.query(toPostgresPlaceholders(sql), params)) as T[];
      await runner.commitTransaction();
      return rows;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Runs the statements in one transaction; returns the rows changed by each. */
  async atomic(statements: Statement[]): Promise<number[]> {
    if (statements.length === 0) return [];
    if (this.kind === 'sqlite') {
      return this.sqliteLock.run(() => {
        const db = this.sqlite;
        return db.transaction(() =>
          statements.map((s) => this.prepare(s.sql).run(sqliteParams(s.params ?? [])).changes),
        )();
      });
    }
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const changes: number[] = [];
      for (const s of statements) {
        const result = (await runner.query(
          toPostgresPlaceholders(s.sql),
          s.params ?? [],
          true,
        )) as {
          affected?: number;
        };
        changes.push(result.affected ?? 0);
      }
      await runner.commitTransaction();
      return changes;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  /**
   * Runs the statements `build` emits in one transaction; returns the rows changed by each, in
   * emit order. On SQLite each statement runs as soon as it is emitted, inside one synchronous
   * transaction (so `build` must not await), which lets a large transaction be written without
   * holding all its rows in memory; on PostgreSQL they are collected and run as {@link atomic}.
   */
  async atomicStream(build: (emit: (statement: Statement) => void) => void): Promise<number[]> {
    if (this.kind === 'sqlite') {
      return this.sqliteLock.run(() =>
        this.sqlite.transaction(() => {
          const changes: number[] = [];
          build((s) => {
            changes.push(this.prepare(s.sql).run(sqliteParams(s.params ?? [])).changes);
          });
          return changes;
        })(),
      );
    }
    const statements: Statement[] = [];
    build((s) => statements.push(s));
    return this.atomic(statements);
  }

  /**
   * Multi-row INSERT statements for `rows`, as few as the parameter limit allows.
   * `suffix` is appended to each (e.g. an ON CONFLICT clause); `casts` maps a column to a
   * placeholder expression such as `?::jsonb`.
   */
  insertRows(
    table: string,
    columns: string[],
    rows: unknown[][],
    options: { suffix?: string; casts?: Record<string, string> } = {},
  ): Statement[] {
    assertIdentifier(table);
    columns.forEach(assertIdentifier);
    const perStatement = Math.max(
      1,
      Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(this.dialect.maxParameters / columns.length)),
    );
    const tuple = `(${columns.map((c) => options.casts?.[c] ?? '?').join(', ')})`;
    const head = `INSERT INTO ${table} (${columns.join(', ')}) VALUES `;
    const out: Statement[] = [];
    for (let i = 0; i < rows.length; i += perStatement) {
      const slice = rows.slice(i, i + perStatement);
      const sql = `${head}${new Array<string>(slice.length).fill(tuple).join(', ')}${options.suffix ? ` ${options.suffix}` : ''}`;
      out.push({ sql, params: slice.flat() });
    }
    return out;
  }

  private get sqlite(): BetterSqlite3.Database {
    return (this.dataSource.driver as unknown as { databaseConnection: BetterSqlite3.Database })
      .databaseConnection;
  }

  private prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.sqlite.prepare(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

/**
 * better-sqlite3 binds numbers, strings, bigints, buffers and null only. The array itself is
 * bound (not spread into arguments), and copied only when a value needs converting: bulk
 * writes pass thousands of parameters per statement.
 */
function sqliteParams(params: unknown[]): unknown[] {
  if (!params.some((p) => p === undefined || typeof p === 'boolean' || p instanceof Date)) {
    return params;
  }
  return params.map((p) =>
    p === undefined
      ? null
      : typeof p === 'boolean'
        ? p
          ? 1
          : 0
        : p instanceof Date
          ? p.toISOString()
          : p,
  );
}
