import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface BenchDatabase {
  /** The PostgreSQL database's URL; undefined: SQLite. */
  url?: string;
  drop: () => Promise<void>;
}

/**
 * The store a benchmark runs on: with DATABASE_URL, a fresh database of its own on that
 * PostgreSQL server (`url`; `drop` removes it); without, nothing (the app's embedded SQLite).
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) return { drop: () => Promise.resolve() };
  const name = `as_bench_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: base });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
