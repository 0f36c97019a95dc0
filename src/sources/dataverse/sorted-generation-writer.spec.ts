import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';
import { ProcessIdentity } from '../../platform/process-identity';
import { RunLocks } from '../../platform/run-locks';
import { claimIngest } from '../source-types';
import { RecordWriter } from '../record-writer';
import { SortedGenerationWriter, type ReadRecord } from './sorted-generation-writer';

describe('SortedGenerationWriter', () => {
  let s: SpecDb;
  let locks: RunLocks;
  beforeAll(async () => {
    s = await openSpecDb();
    locks = new RunLocks(s.db, new ProcessIdentity());
    await s.db.query(
      `INSERT INTO source (id, name, type, primary_key, mapping, options, current_generation, record_count, created_at, updated_at)
       VALUES ('src', 'Sales', 'dataverse', 'contactid', '{}', '{}', 0, 0, '2025-01-01', '2025-01-01')`,
    );
  });
  afterAll(async () => {
    await locks.beforeApplicationShutdown();
    await s.close();
  });

  const read = (keys: string[], firstLine: number): ReadRecord[] =>
    keys.map((key, i) => ({
      record: { key, fields: { email: `${key}@example.com` }, raw: {}, lastModified: null },
      line: firstLine + i,
    }));

  it('writes pages in sorted runs and keeps the first row of a key read twice', async () => {
    const writer = new RecordWriter(s.db);
    const lease = await claimIngest(locks, {
      id: 'src',
      name: 'Sales',
    });
    try {
      const session = await writer.startReplace(lease);
      const out = new SortedGenerationWriter(session, { run: 4, write: 3 });
      await out.add(read(['d', 'b', 'a', 'b'], 1)); // a run of 4: b twice within it
      await out.add(read(['c', 'a', 'e'], 5)); // a: written in the run before
      await out.add(read(['f', 'e'], 8)); // e: twice within the last run
      await out.finish();
      expect(out.rejected).toBe(3);
      expect(
        out
          .errors()
          .map((e) => e.line)
          .sort((x, y) => x - y),
      ).toEqual([4, 6, 9]);
      expect(out.errors()[0].message).toMatch(/duplicate primary key/);
      await session.publish({
        lastIngest: {
          status: 'succeeded',
          startedAt: '',
          finishedAt: '',
          rowsRead: 9,
          rowsStored: session.rows,
          rowsRejected: 3,
          errors: [],
        },
      });
      const rows = await s.db.query<{ record_key: string; fields: unknown }>(
        'SELECT record_key, fields FROM source_record WHERE source_id = ? ORDER BY record_key',
        ['src'],
      );
      expect(rows.map((r) => r.record_key)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
      const fields = rows[0].fields;
      expect(typeof fields === 'string' ? JSON.parse(fields) : fields).toEqual({
        email: 'a@example.com',
      });
    } finally {
      await lease.lock.release();
    }
  });
});
