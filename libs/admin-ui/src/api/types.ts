/**
 * Shapes of the API answers the UI reads (from the OpenAPI description at /api/docs-json).
 * Only the properties the UI uses are listed.
 */
export type FieldType = 'string' | 'number' | 'date' | 'boolean';

export interface CustomerField {
  name: string;
  type: FieldType;
  sources: string[];
}

export interface FieldMapping {
  column: string;
  type: FieldType;
}

export interface IngestSummary {
  status: 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string;
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  errors: { line: number; message: string }[];
  error?: string;
}

export interface Source {
  id: string;
  name: string;
  type: string;
  primaryKey: string;
  mapping: Record<string, FieldMapping>;
  lastModifiedColumn: string | null;
  options: Record<string, unknown>;
  recordCount: number;
  lastIngest: IngestSummary | null;
  createdAt: string;
  updatedAt: string;
}

export interface UploadResult {
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  errors: { line: number; message: string }[];
}

export type RuleNode = { all: RuleNode[] } | { any: RuleNode[] } | RuleCondition;

export interface RuleCondition {
  field: string;
  op: string;
  value?: unknown;
  caseSensitive?: boolean;
}

export interface Membership {
  size: number;
  evaluatedAt: string | null;
  added: number;
  removed: number;
  stale: boolean;
  lastError: string | null;
  lastErrorAt: string | null;
}

export interface Segment {
  id: string;
  name: string;
  description: string | null;
  active: boolean;
  rule: RuleNode;
  membership: Membership;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerRow {
  customerId: string;
  fields: Record<string, string | number | boolean> | null;
}

export interface PreviewResult {
  count: number;
  sample: CustomerRow[];
}

export interface MembersPage {
  items: CustomerRow[];
  nextCursor: string | null;
}

export type MatchKind = 'exact' | { fuzzy: number };

export interface MatchCondition {
  field: string;
  normalizers: string[];
  match: MatchKind;
}

export interface MatchRule {
  name?: string;
  conditions: MatchCondition[];
}

export type MergePolicy = 'mostRecent' | 'leastRecent' | { sourcePriority: string[] };

export interface FieldGroup {
  name: string;
  fields: string[];
  policy?: MergePolicy;
}

export interface UnificationConfig {
  rules: MatchRule[];
  dedupeWithinSource: boolean;
  merge: {
    default: MergePolicy;
    fields: Record<string, MergePolicy>;
    groups: FieldGroup[];
  };
}
