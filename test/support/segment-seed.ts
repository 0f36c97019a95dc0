import { randomUUID } from 'node:crypto';
import type { Db } from '@platform/database/db.service';

export interface SeedMember {
  customerId: string;
  fields: Record<string, string | number | boolean>;
}

/**
 * Writes customers and an evaluated segment with these members straight into the tables, for
 * unit specs of export SQL (end-to-end specs go through the API instead: segment-fixtures.ts).
 * Replaces the segment's membership when called again with the same id.
 */
export async function seedSegment(
  db: Db,
  segment: { id?: string; name?: string; active?: boolean },
  members: SeedMember[],
): Promise<string> {
  const id = segment.id ?? randomUUID();
  const json = db.dialect.jsonParam();
  await db.atomic([
    ...db.insertRows(
      'customer',
      ['customer_id', 'fields', 'record_count'],
      members.map((m) => [m.customerId, JSON.stringify(m.fields), 1]),
      {
        casts: { fields: json },
        suffix: db.dialect.upsertSuffix(['customer_id'], ['fields']),
      },
    ),
    {
      sql: `INSERT INTO segment (id, name, name_key, active, rule, evaluated_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (id) DO NOTHING`,
      params: [
        id,
        segment.name ?? `segment ${id}`,
        (segment.name ?? `segment ${id}`).toLowerCase(),
        segment.active ?? true,
        '{"all":[]}',
        new Date().toISOString(),
      ],
    },
    { sql: 'DELETE FROM segment_member WHERE segment_id = ?', params: [id] },
    ...db.insertRows(
      'segment_member',
      ['segment_id', 'customer_id'],
      members.map((m) => [id, m.customerId]),
    ),
  ]);
  return id;
}
