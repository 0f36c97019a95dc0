import { join, resolve } from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import type { AppConfig } from '@platform/config/app-config';
import { MIGRATIONS } from './migrations';

export const SQLITE_FILE = 'audience-sync.sqlite';

/** WAL size at which SQLite checkpoints (see `prepareDatabase` below). */
const WAL_CHECKPOINT_BYTES = 40 * 1024 * 1024;

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
    prepareDatabase: (db: { pragma(sql: string, options?: { simple: true }): unknown }) => {
      // 32 KiB pages instead of 4 KiB, for a new database (an existing one keeps its size; this
      // runs before WAL mode, which fixes it): bulk writes of records and customers touch 8 times
      // fewer index pages and WAL frames. An ingest of 1,000,000 rows: ~8% less CPU, the file
      // 27% smaller; SQLite's own time for the same inserts 7.5 → 5.1 s (docs/benchmarks.md).
      db.pragma('page_size = 32768');
      db.pragma('synchronous = NORMAL');
      db.pragma('cache_size = -65536');
      db.pragma('temp_store = FILE');
      // Checkpoint every ~40 MB of WAL instead of SQLite's 1,000 pages: bulk writes (ingest,
      // unification) otherwise stop for a checkpoint and its fsync every few commits (an ingest
      // of 1,000,000 rows: ~6% faster). The setting counts pages: 40 MiB is 1,280 pages of 32 KiB
      // (ingest 10.4-11.0 s against 11.0-11.6 s with 10,000 such pages, 320 MB, whose rarer
      // checkpoints stall longer; docs/benchmarks.md) and 10,240 of an older 4 KiB database.
      const pageSize = Number(db.pragma('page_size', { simple: true }));
      db.pragma(`wal_autocheckpoint = ${Math.round(WAL_CHECKPOINT_BYTES / pageSize)}`);
    },
  };
}
