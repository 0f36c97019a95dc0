import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';
import { ProcessIdentity } from '@platform/locks/process-identity';
import { RunLocks } from '@platform/locks/run-locks';
import { RecordWriter, type SourceRecordInput } from './record-writer';
import { claimIngest } from './source-types';
import type { IngestSummary } from './source.entity';

const summary: IngestSummary = {
  status: 'succeeded',
  startedAt: '',
  finishedAt: '',
  rowsRead: 0,
  rowsStored: 0,
  rowsRejected: 0,
  errors: [],
};

describe('RecordWriter', () => {
  let s: SpecDb;
  let locks: RunLocks;
  beforeAll(async () => {
    s = await openSpecDb();
    locks = new RunLocks(s.db, new ProcessIdentity());
    for (const id of ['replace', 'patch']) {
      await s.db.query(
        `INSERT INTO source (id, name, type, primary_key, mapping, options, current_generation, record_count, created_at, updated_at)
         VALUES (?, ?, 'csv', 'ContactId', '{}', '{}', 0, 0, '2025-01-01', '2025-01-01')`,
        [id, id],
      );
    }
  });
  afterAll(async () => {
    await locks.beforeApplicationShutdown();
    await s.close();
  });

  const records: SourceRecordInput[] = [
    {
      key: 'a',
      fields: '{"firstName":"Zoë","city":"Coeur d’Alene 😀"}',
      raw: '{"Country":"US"}',
      lastModified: '2024-05-01T10:00:00.000Z',
    },
    { key: 'b', fields: '{"firstName":"Björn"}', raw: '{}', lastModified: null },
    { key: 'c', fields: { firstName: 'Ann' }, raw: { Notes: 'x' }, lastModified: null },
  ];

  /** The stored rows of a source: how each value is typed on SQLite, and its JSON. */
  async function stored(sourceId: string) {
    const sqlite = s.db.kind === 'sqlite';
    const rows = await s.db.query<{
      record_key: string;
      fields: unknown;
      raw: unknown;
      last_modified: string | null;
      types: string | null;
    }>(
      `SELECT record_key, fields, raw, last_modified,
         ${sqlite ? "typeof(fields) || ',' || typeof(raw)" : 'NULL'} AS types
       FROM source_record WHERE source_id = ? ORDER BY record_key`,
      [sourceId],
    );
    return rows.map((r) => ({
      key: r.record_key,
      // SQLite answers the stored text; PostgreSQL parses its jsonb.
      fields: typeof r.fields === 'string' ? r.fields : JSON.stringify(r.fields),
      raw: typeof r.raw === 'string' ? r.raw : JSON.stringify(r.raw),
      lastModified: r.last_modified,
      types: r.types,
    }));
  }

  it('stores JSON given as text or as values, as text on SQLite (replace)', async () => {
    const lease = await claimIngest(locks, {
      id: 'replace',
      name: 'replace',
    });
    try {
      const session = await new RecordWriter(s.db).startReplace(lease);
      await session.write(records);
      await session.publish({ lastIngest: summary });
    } finally {
      await lease.lock.release();
    }
    const rows = await stored('replace');
    const types = s.db.kind === 'sqlite' ? 'text,text' : null;
    // Compared as parsed JSON: PostgreSQL's jsonb orders keys its own way.
    const parse = (text: string): unknown => JSON.parse(text);
    expect(rows.map((r) => ({ ...r, fields: parse(r.fields), raw: parse(r.raw) }))).toEqual([
      {
        key: 'a',
        fields: { firstName: 'Zoë', city: 'Coeur d’Alene 😀' },
        raw: { Country: 'US' },
        lastModified: expect.stringMatching(/^2024-05-01T10:00:00(\.000)?Z$/) as unknown,
        types,
      },
      { key: 'b', fields: { firstName: 'Björn' }, raw: {}, lastModified: null, types },
      { key: 'c', fields: { firstName: 'Ann' }, raw: { Notes: 'x' }, lastModified: null, types },
    ]);
    if (s.db.kind === 'sqlite') {
      // Byte for byte what was given.
      expect(rows[0].fields).toBe('{"firstName":"Zoë","city":"Coeur d’Alene 😀"}');
    }
  });

  it('takes JSON text in a patch as well', async () => {
    const lease = await claimIngest(locks, {
      id: 'patch',
      name: 'patch',
    });
    try {
      const patch = await new RecordWriter(s.db).startPatch(lease);
      await patch.upsert(records.slice(0, 1));
      await patch.apply({ lastIngest: summary });
    } finally {
      await lease.lock.release();
    }
    const [row] = await stored('patch');
    expect(JSON.parse(row.fields)).toEqual({ firstName: 'Zoë', city: 'Coeur d’Alene 😀' });
    if (s.db.kind === 'sqlite') expect(row.types).toBe('text,text');
  });
});
