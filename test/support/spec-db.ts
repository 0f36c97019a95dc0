import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AsyncLock } from '@platform/database/async-lock';
import { dataSourceOptions } from '@platform/database/data-source-options';
import { Db } from '@platform/database/db.service';
import { serializeSqliteAccess } from '@platform/database/sqlite-serial';
import { createTestDatabase } from './test-database';

export interface SpecDb {
  db: Db;
  dataSource: DataSource;
  /** Closes the connection and removes the store. */
  close(): Promise<void>;
}

/**
 * A migrated store for unit specs of SQL (no Nest application): SQLite in a temporary folder,
 * or a fresh PostgreSQL database when DATABASE_URL is set.
 */
export async function openSpecDb(): Promise<SpecDb> {
  const dir = mkdtempSync(join(tmpdir(), 'audience-sync-spec-'));
  const database = await createTestDatabase();
  const lock = new AsyncLock();
  const dataSource = new DataSource(
    dataSourceOptions({ DATA_DIR: dir, DATABASE_URL: database.url }),
  );
  if (!database.url) serializeSqliteAccess(dataSource, lock);
  await dataSource.initialize();
  return {
    db: new Db(dataSource, lock),
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
