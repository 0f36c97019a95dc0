import { Logger } from '@nestjs/common';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_TOKEN_FILE } from '@platform/auth/admin-token.service';
import { SQLITE_FILE } from '@platform/database/data-source-options';
import { SECRET_KEY_FILE } from '@platform/secrets/secret-key-loader';
import { startTestApp } from './support/test-app';
import { createTestDatabase, testDatabaseKind } from './support/test-database';

const mode = (path: string) => statSync(path).mode & 0o777;

describe('data directory permissions', () => {
  let parent: string;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    parent = mkdtempSync(join(tmpdir(), 'audience-sync-data-dir-'));
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => {
    warn.mockRestore();
    rmSync(parent, { recursive: true, force: true });
  });

  it('creates a new data folder 0700 and every file in it 0600, warning about nothing', async () => {
    const dataDir = join(parent, 'new', 'data');
    const database = await createTestDatabase();
    const t = await startTestApp({ env: { API_TOKEN: '' }, reuse: { dataDir, database } });
    try {
      await t.api().get('/api/info').expect(200);
      expect([mode(join(parent, 'new')), mode(dataDir)]).toEqual([0o700, 0o700]);
      const files = readdirSync(dataDir).filter((f) => f !== 'exports');
      const expected = [ADMIN_TOKEN_FILE, SECRET_KEY_FILE];
      if (testDatabaseKind() === 'sqlite') {
        expected.push(SQLITE_FILE, `${SQLITE_FILE}-shm`, `${SQLITE_FILE}-wal`);
      }
      expect(files.sort()).toEqual(expected.sort());
      for (const file of files) expect([file, mode(join(dataDir, file))]).toEqual([file, 0o600]);
      expect(warn.mock.calls.flat().join('\n')).not.toMatch(/mode 0/);
    } finally {
      await t.close();
    }
  });

  it('warns, naming the path, its mode and the chmod, about an existing folder and files others may read', async () => {
    const dataDir = join(parent, 'shared');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const token = join(dataDir, ADMIN_TOKEN_FILE);
    writeFileSync(token, 'as_old\n');
    chmodSync(token, 0o644);
    const sqlite = join(dataDir, SQLITE_FILE);
    if (testDatabaseKind() === 'sqlite') {
      writeFileSync(sqlite, '');
      chmodSync(sqlite, 0o644);
    }
    const t = await startTestApp({ reuse: { dataDir, database: await createTestDatabase() } });
    try {
      const warnings = warn.mock.calls.map((call) => String(call[0]));
      const expected = [
        `The data folder ${dataDir} has mode 0755: other users of this machine may read the customer data and credentials in it. Run: chmod 0700 ${dataDir}`,
        `The data file ${token} has mode 0644: other users of this machine may read the customer data and credentials in it. Run: chmod 0600 ${token}`,
      ];
      if (testDatabaseKind() === 'sqlite') {
        expected.push(
          `The data file ${sqlite} has mode 0644: other users of this machine may read the customer data and credentials in it. Run: chmod 0600 ${sqlite}`,
        );
      }
      expect(warnings.filter((w) => w.includes(' has mode ')).sort()).toEqual(expected.sort());
      expect(mode(dataDir)).toBe(0o755); // left as the owner set it
    } finally {
      await t.close();
    }
  });
});
