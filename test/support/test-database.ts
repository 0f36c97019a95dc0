import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The store an end-to-end test runs on. Without DATABASE_URL: SQLite in the test's data
 * directory. With DATABASE_URL=postgres://…: a fresh database created for the test and
 * dropped after it, so test files can run in parallel.
 */
export interface TestDatabase {
  /** DATABASE_URL for the application, or undefined for SQLite. */
  url?: string;
  drop(): Promise<void>;
}

export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env.DATABASE_URL ? 'postgres' : 'sqlite';
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) return { url: undefined, drop: () => Promise.resolve() };
  const name = `as_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(base, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(base, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(url: string, fn: (c: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
