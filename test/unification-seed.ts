import { Db } from '@platform/database/db.service';
import type { FieldType } from '@stages/contract/customer-field';
import type { TestApp } from './support/test-app';

/** Two exact rules many specs use: e-mail (the `email` normalizer), then phone digits. */
export const EMAIL_AND_PHONE_RULES = [
  {
    name: 'email',
    conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }],
  },
  {
    name: 'phone',
    conditions: [{ field: 'phone', normalizers: ['digitsOnly'], match: 'exact' }],
  },
];

/** A source as the unification tests define it (the body of `POST /api/sources`). */
export interface TestSourceDefinition {
  name: string;
  primaryKey: string;
  mapping: Record<string, string | { column: string; type: FieldType }>;
  lastModifiedColumn?: string;
}

/** One CSV row: column → text (blank or missing = no value). */
export type Row = Partial<Record<string, string>>;

export interface TestSource {
  id: string;
  definition: TestSourceDefinition;
}

/**
 * Sources and their records for the unification end-to-end tests, through the real API:
 * `POST /api/sources`, then CSV files uploaded to `POST /api/sources/:id/upload` (each upload
 * replaces the source's records).
 */
export class TestSources {
  constructor(private readonly t: TestApp) {}

  async create(definition: TestSourceDefinition): Promise<TestSource> {
    const res = await this.t
      .api()
      .post('/api/sources', { type: 'csv', ...definition })
      .expect(201);
    return { id: res.body.id as string, definition };
  }

  /** Uploads the rows as a CSV file; every row must be stored. */
  async upload(source: TestSource, rows: Row[]): Promise<void> {
    const def = source.definition;
    const columns = new Set<string>([def.primaryKey]);
    for (const m of Object.values(def.mapping)) columns.add(typeof m === 'string' ? m : m.column);
    if (def.lastModifiedColumn) columns.add(def.lastModifiedColumn);
    const header = [...columns];
    const lines = [header, ...rows.map((row) => header.map((c) => row[c] ?? ''))].map((cells) =>
      cells.map(csvCell).join(','),
    );
    const res = await this.t
      .api()
      .post(`/api/sources/${source.id}/upload`)
      .set('Content-Type', 'text/csv')
      .send(`${lines.join('\r\n')}\r\n`)
      .expect(200);
    expect(res.body).toMatchObject({
      rowsRead: rows.length,
      rowsStored: rows.length,
      rowsRejected: 0,
    });
  }
}

/** A CSV cell, quoted when it holds a delimiter, a quote, a line break or edge spaces. */
function csvCell(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The stored customers, identities and aliases, in a stable order (to compare two runs). */
export async function storedCustomers(t: TestApp) {
  const db = t.app.get(Db);
  return {
    customers: await db.query<{ customer_id: string; record_count: number | string }>(
      `SELECT customer_id, CAST(fields AS TEXT) AS fields, record_count, fields_hash
       FROM customer ORDER BY customer_id`,
    ),
    identities: await db.query(
      `SELECT source_id, record_key, customer_id FROM customer_identity
       ORDER BY source_id, record_key`,
    ),
    aliases: await db.query(
      'SELECT previous_id, customer_id FROM customer_alias ORDER BY previous_id',
    ),
  };
}

/** Forgets every customer (as before the first run), keeping the sources' records. */
export async function forgetCustomers(t: TestApp): Promise<void> {
  await t.app
    .get(Db)
    .atomic([
      { sql: 'DELETE FROM customer_identity' },
      { sql: 'DELETE FROM customer_alias' },
      { sql: 'DELETE FROM customer' },
      { sql: "DELETE FROM app_setting WHERE key = 'unification.customerSequence'" },
    ]);
}
