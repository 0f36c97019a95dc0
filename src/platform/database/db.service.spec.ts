import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';

describe('Db.atomicStream', () => {
  let spec: SpecDb;

  beforeEach(async () => {
    spec = await openSpecDb();
  });

  afterEach(async () => {
    await spec.close();
  });

  const settings = () =>
    spec.db.query<{ key: string; value: string }>(
      "SELECT key, value FROM app_setting WHERE key LIKE 'spec.%' ORDER BY key",
    );

  it('runs the emitted statements in order and returns the rows each changed', async () => {
    const { db } = spec;
    const rows = Array.from({ length: 1_200 }, (_, i) => [
      `spec.${String(i).padStart(4, '0')}`,
      '1',
      '2026-01-01 00:00:00',
    ]);
    const changes = await db.atomicStream((emit) => {
      db.insertRows('app_setting', ['key', 'value', 'updated_at'], rows).forEach(emit);
      emit({ sql: "UPDATE app_setting SET value = '2' WHERE key >= ?", params: ['spec.1000'] });
    });
    expect(changes).toEqual([500, 500, 200, 200]);
    const stored = await settings();
    expect(stored).toHaveLength(1_200);
    expect(stored[999].value).toBe('1');
    expect(stored[1_000].value).toBe('2');
  });

  it('writes nothing when building the transaction fails', async () => {
    const { db } = spec;
    await expect(
      db.atomicStream((emit) => {
        emit({
          sql: 'INSERT INTO app_setting (key, value, updated_at) VALUES (?, ?, ?)',
          params: ['spec.a', '1', '2026-01-01 00:00:00'],
        });
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect(await settings()).toEqual([]);
  });
});
