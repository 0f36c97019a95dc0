import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Client } from 'pg';
import { SQLITE_FILE } from '@platform/database/data-source-options';

const TABLES = ['export_member_log', 'export_log', 'export_log_detail'];

/**
 * Bytes the per-member log takes in the store (tables and their indexes), and its rows: SQLite's
 * `dbstat` pages of the tables, or PostgreSQL's `pg_total_relation_size` (after a VACUUM, so dead
 * rows do not count). Read with the server stopped.
 */
export async function memberLogSize(o: {
  dataDir: string;
  databaseUrl?: string;
}): Promise<{ bytes: number; rows: number }> {
  if (!o.databaseUrl) {
    const db = new Database(join(o.dataDir, SQLITE_FILE), { readonly: true });
    try {
      const marks = TABLES.map(() => '?').join(', ');
      // The tables, their automatic (primary key, unique) indexes and ix_export_log_*.
      const size = db
        .prepare(
          `SELECT COALESCE(SUM(pgsize), 0) AS bytes FROM dbstat WHERE name IN (${marks})
           OR name LIKE 'sqlite_autoindex_export_log%' OR name LIKE 'ix_export_log%'`,
        )
        .get(...TABLES) as { bytes: number } | undefined;
      const rows = db.prepare('SELECT COUNT(*) AS n FROM export_member_log').get() as { n: number };
      return { bytes: size?.bytes ?? 0, rows: rows.n };
    } finally {
      db.close();
    }
  }
  const client = new Client({ connectionString: o.databaseUrl });
  await client.connect();
  try {
    await client.query(`VACUUM ${TABLES.join(', ')}`);
    const size = await client.query<{ bytes: string }>(
      `SELECT ${TABLES.map((t) => `pg_total_relation_size('${t}')`).join(' + ')} AS bytes`,
    );
    const rows = await client.query<{ n: string }>('SELECT COUNT(*) AS n FROM export_member_log');
    return { bytes: Number(size.rows[0].bytes), rows: Number(rows.rows[0].n) };
  } finally {
    await client.end();
  }
}
