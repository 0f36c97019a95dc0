import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

describe('SQLite settings of a new database', () => {
  it('uses 32 KiB pages in WAL mode and checkpoints every ~40 MB of WAL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'audience-sync-spec-'));
    const dataSource = new DataSource(dataSourceOptions({ DATA_DIR: dir }));
    try {
      await dataSource.initialize();
      const pragma = async (name: string) =>
        Object.values((await dataSource.query<object[]>(`PRAGMA ${name}`))[0] ?? {})[0];
      expect(await pragma('page_size')).toBe(32768);
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('wal_autocheckpoint')).toBe(1280);
    } finally {
      await dataSource.destroy();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
