import { join, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { MIGRATIONS } from './migrations';

export const SQLITE_FILE = 'audience-sync.sqlite';

/** TypeORM options for the configured store: PostgreSQL when DATABASE_URL is set, else SQLite. */
export function dataSourceOptions(
  config: Pick<AppConfig, 'DATABASE_URL' | 'DATA_DIR'>,
): DataSourceOptions {
  const common = {
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const, 'warn' as const],
  };
  if (config.DATABASE_URL) {
    return { ...common, type: 'postgres', url: config.DATABASE_URL, poolSize: 10 };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: join(resolve(config.DATA_DIR), SQLITE_FILE),
    enableWAL: true,
    // Waits of other processes (the CLI) for the write lock; within this process access is
    // serialized (sqlite-serial.ts) and write transactions are kept short.
    timeout: 10_000,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      // 32 KiB pages instead of 4 KiB, for a new database (an existing one keeps its size; this
      // runs before WAL mode, which fixes it): bulk writes of records and customers touch 8 times
      // fewer index pages and WAL frames. An ingest of 1,000,000 rows: ~8% less CPU, the file
      // 27% smaller; SQLite's own time for the same inserts 7.5 → 5.1 s (docs/benchmarks.md).
      db.pragma('page_size = 32768');
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = MEMORY');
      // Checkpoint every ~40 MB of WAL instead of SQLite's 4 MB: bulk writes (ingest, unification)
      // otherwise stop for a checkpoint and its fsync every few commits (an ingest of 1,000,000
      // rows: ~6% faster, docs/benchmarks.md); the WAL file stays small enough to read fast.
      db.pragma('wal_autocheckpoint = 10000');
    },
  };
}
