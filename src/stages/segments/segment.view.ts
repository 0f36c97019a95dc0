import type { FieldValues } from '@stages/contract/customer-field';

/** What the API answers for a segment (documented for OpenAPI by dto/segment.api.ts). */
export interface SegmentView {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  rule: unknown;
  membership: MembershipView;
  createdAt: string;
  updatedAt: string;
}

export interface MembershipView {
  /** Members after the last evaluation. */
  size: number;
  /** When it was last evaluated (ISO-8601 UTC); null: never. */
  evaluatedAt: string | null;
  /** Members that joined / left at the last evaluation. */
  added: number;
  removed: number;
  /** The rule changed since the last evaluation (or there was none). */
  stale: boolean;
  /** Why the last evaluation failed (the membership then stayed as it was). */
  lastError: string | null;
  lastErrorAt: string | null;
}

/** A customer as segments show it; `fields` null: gone since the evaluation (merged, deleted). */
export interface CustomerRow {
  customerId: string;
  fields: FieldValues | null;
}

export interface MembersPage {
  items: CustomerRow[];
  nextCursor: string | null;
}

export interface PreviewResult {
  count: number;
  sample: CustomerRow[];
  /** When the preview was asked with `keyField`: how many matches have a value in it. */
  withKey?: { field: string; count: number };
}
