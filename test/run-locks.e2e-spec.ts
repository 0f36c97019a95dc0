import { Db } from '@platform/database/db.service';
import { RunLocks } from '@platform/locks/run-locks';
import { startTestApp } from './support/test-app';

describe('run locks in the application', () => {
  it('gives back a lock still held at shutdown, before the store closes', async () => {
    const first = await startTestApp();
    try {
      await first.app.get(RunLocks).acquire('unification', 'a run', 'unexpected: held');
      await first.stop();
      const second = await startTestApp({
        reuse: { dataDir: first.dataDir, database: first.database },
      });
      try {
        expect(await second.app.get(Db).query('SELECT name FROM run_lock')).toEqual([]);
        await second.api().post('/api/unification/run').expect(200);
      } finally {
        await second.stop();
      }
    } finally {
      await first.close();
    }
  });
});
