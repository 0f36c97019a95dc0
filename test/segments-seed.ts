import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Db } from '@platform/database/db.service';
import type { FieldType, FieldValues } from '@stages/contract/customer-field';

/**
 * Seeds the tables segments read, directly with SQL: a source whose mapping defines the customer
 * fields (the catalogue comes from source mappings) and unified customers. Used by the segment
 * and refresh specs where the data, not its ingestion, is under test.
 */
export async function seedFields(
  app: INestApplication,
  fields: Record<string, FieldType>,
  sourceName = 'seed',
): Promise<void> {
  const mapping = Object.fromEntries(
    Object.entries(fields).map(([name, type]) => [name, { column: name, type }]),
  );
  await app
    .get(Db)
    .query(
      'INSERT INTO source (id, name, type, primary_key, mapping, options) VALUES (?, ?, ?, ?, ?, ?)',
      [randomUUID(), sourceName, 'csv', 'id', JSON.stringify(mapping), '{}'],
    );
}

/** Inserts (or replaces) customers: id → canonical field values. */
export async function upsertCustomers(
  app: INestApplication,
  customers: Record<string, FieldValues>,
): Promise<void> {
  const db = app.get(Db);
  const rows = Object.entries(customers).map(([id, fields]) => [id, JSON.stringify(fields), 1]);
  await db.atomic(
    db.insertRows('customer', ['customer_id', 'fields', 'record_count'], rows, {
      casts: { fields: db.dialect.jsonParam() },
      suffix: db.dialect.upsertSuffix(['customer_id'], ['fields']),
    }),
  );
}

export async function deleteCustomers(app: INestApplication, ids: string[]): Promise<void> {
  const db = app.get(Db);
  await db.atomic(
    ids.map((id) => ({ sql: 'DELETE FROM customer WHERE customer_id = ?', params: [id] })),
  );
}
