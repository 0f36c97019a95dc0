import type { FieldValues } from '@stages/contract/customer-field';
import type { CustomerRow, SegmentView } from './segment.view';
import type { Segment } from './segment.entity';

export function toSegmentView(segment: Segment): SegmentView {
  return {
    id: segment.id,
    name: segment.name,
    description: segment.description,
    active: segment.active,
    rule: segment.rule,
    membership: {
      size: segment.size,
      evaluatedAt: segment.evaluatedAt,
      added: segment.lastAdded,
      removed: segment.lastRemoved,
      stale: segment.evaluatedRuleVersion !== segment.ruleVersion,
      lastError: segment.lastError,
      lastErrorAt: segment.lastErrorAt,
    },
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
  };
}

/** A `customer` row read by raw SQL (fields are JSON text on SQLite, parsed jsonb on PostgreSQL). */
export function toCustomerRow(row: { customer_id: string; fields: unknown }): CustomerRow {
  const fields =
    row.fields === null || row.fields === undefined
      ? null
      : typeof row.fields === 'string'
        ? (JSON.parse(row.fields) as FieldValues)
        : (row.fields as FieldValues);
  return { customerId: row.customer_id, fields };
}

export function encodeCursor(key: string): string {
  return Buffer.from(key, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string | undefined {
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  return key !== '' && encodeCursor(key) === cursor ? key : undefined;
}
