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
  /** Dataverse reads: a full read or only the changes, pages and requests. */
  mode?: 'full' | 'incremental';
  fullReadReason?: string;
  pages?: number;
  requests?: number;
  throttled?: number;
  added?: number;
  updated?: number;
  removed?: number;
  notes?: string[];
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
  /** An upload is being ingested now. */
  ingesting: boolean;
  lastIngest: IngestSummary | null;
  /** Types with secret options: whether each is stored (never its value). */
  secrets?: Record<string, 'set' | 'not set'>;
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
  /** Asked with `keyField`: matches with a value in that field. */
  withKey?: { field: string; count: number };
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

export interface SignInState {
  status: 'pending' | 'signed-in' | 'failed' | 'expired';
  startedAt: string;
  userCode?: string;
  verificationUri?: string;
  expiresAt?: string;
  user?: { username: string; name?: string };
  signedInAt?: string;
  message?: string;
}

export interface SignInChallenge {
  userCode: string;
  verificationUri: string;
  message: string;
  expiresAt: string;
}

export interface ConnectionTestResult {
  ok: boolean;
  message: string;
  details?: Record<string, string | number | boolean>;
}

export interface Destination {
  id: string;
  type: string;
  displayName: string;
  config: Record<string, unknown>;
  /** Each secret field: whether a value is stored (`set`) or not; values are never returned. */
  secrets: Record<string, 'set' | 'not set'>;
  contactIdField: string | null;
  segmentIds: string[];
  syncMode: string;
  enabled: boolean;
  /** The removal guardrail in force (null: that limit is off). */
  removalLimit: { percent: number | null; count: number | null; minimum: number };
  signIn: SignInState | null;
  lastRun: {
    id: string;
    status: string;
    trigger: string;
    createdAt: string;
    finishedAt: string | null;
    /** Sums over its segments (`skipped` = no key + not found + invalid). */
    totals: { members: number; added: number; removed: number; skipped: number; failed: number };
    /** Segments held at the removal limit, not yet approved. */
    heldSegments: number;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export interface ExportSegmentResult {
  segmentId: string;
  segmentName: string | null;
  status: string;
  target: { id: string; name: string; url?: string } | null;
  members: number;
  added: number;
  removed: number;
  skippedNoKey: number;
  skippedNotFound: number;
  skippedInvalid: number;
  failed: number;
  requests: number;
  throttled: number;
  progress: { processed: number; total: number } | null;
  errors: string[];
  notes: string[];
  startedAt: string | null;
  finishedAt: string | null;
  /** Present when the removal limit held the segment (status `held`). */
  hold?: {
    reason: string;
    removals: number;
    listSize: number;
    approvedAt?: string;
    approvedRunId?: string;
  };
}

export interface ExportRunTotals {
  members: number;
  added: number;
  removed: number;
  skippedNoKey: number;
  skippedNotFound: number;
  skippedInvalid: number;
  failed: number;
  requests: number;
  throttled: number;
}

export interface ExportRun {
  id: string;
  destinationId: string;
  trigger: string;
  refreshRunId: string | null;
  status: string;
  fullSync: boolean;
  approveRemovals: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  cancelRequested: boolean;
  error: string | null;
  notes: string[];
  totals: ExportRunTotals;
  /** Work done of the work planned (all segments), while running. */
  progress: { processed: number; total: number } | null;
  segments: ExportSegmentResult[];
}

export interface ExportRunsPage {
  items: ExportRun[];
  nextCursor: string | null;
}

export interface CustomerSummary {
  customerId: string;
  fields: Record<string, string | number | boolean>;
  recordCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerPage {
  items: CustomerSummary[];
  next: string | null;
}

export interface CustomerDetail extends CustomerSummary {
  identities: { sourceId: string; source: string | null; key: string }[];
  identitiesTruncated: boolean;
  previousIds: string[];
  requestedId?: string;
  mergedInto?: string;
  mergedAt?: string;
}

export interface StageRecord {
  name: 'ingest' | 'unify' | 'segments' | 'export';
  status: string;
  startedAt: string | null;
  finishedAt: string | null;
  figures: Record<string, number | string>;
  errors: string[];
  note: string | null;
}

export interface RefreshRun {
  id: string;
  trigger: string;
  status: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
  cancelRequestedAt: string | null;
  owner: { host: string; pid: number } | null;
  heartbeatAt: string | null;
  stages: StageRecord[];
}

export interface RefreshRunsPage {
  items: RefreshRun[];
  nextCursor: string | null;
}

export interface Schedule {
  enabled: boolean;
  cron: string;
  timeZone: string;
  nextRunAt: string | null;
  lastScheduledRun: { id: string; status: string; createdAt: string } | null;
}

export interface SourceRecordPage {
  items: {
    key: string;
    fields: Record<string, string | number | boolean>;
    raw: Record<string, string>;
    lastModified: string | null;
  }[];
  next: string | null;
}

/** `POST /api/destinations/:id/dry-run`: what an export would do, without doing it. */
export interface DryRunMember {
  customerId: string | null;
  contactId: string;
}

export interface DryRunSegment {
  segmentId: string;
  segmentName: string | null;
  status: 'ready' | 'held' | 'skipped';
  reason: string | null;
  members: number;
  toAdd: number;
  toRemove: number;
  skippedNoContactId: number;
  skippedNotInTarget: number | null;
  listSize: number;
  requestsEstimate: number | null;
  sampleToAdd: DryRunMember[];
  sampleToRemove: DryRunMember[];
}

export interface DryRun {
  destinationId: string;
  syncMode: string;
  computedAt: string;
  segments: DryRunSegment[];
  totals: { members: number; toAdd: number; toRemove: number; held: number };
}

export type Role = 'admin' | 'editor' | 'operator' | 'viewer';

/** GET /api/me. */
export interface Me {
  kind: 'admin-token' | 'api-token' | 'user';
  id: string;
  name: string;
  role: Role;
  /** People only. */
  username?: string;
  /** People only: sent as X-CSRF-Token on every change. */
  csrfToken?: string;
}

export interface ApiToken {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired: boolean;
}

export interface CreatedApiToken extends ApiToken {
  token: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: { kind: string; id: string; name: string } | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  next: string | null;
}

export const NOTIFICATION_EVENTS = [
  'run.failed',
  'run.partial',
  'run.held',
  'run.recovered',
  'skipped.threshold',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export interface NotificationChannel {
  id: string;
  type: 'webhook' | 'email';
  name: string;
  url?: string;
  secretSet?: boolean;
  to?: string[];
  events: NotificationEvent[];
  createdAt: string;
  updatedAt: string;
}

export interface NotificationDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  responseCode: number | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
}

/** One member of an export run's per-member log (`GET /api/export-runs/:id/members`). */
export interface MemberLogItem {
  segmentId: string;
  customerId: string | null;
  contactId: string | null;
  outcome: 'added' | 'removed' | 'skipped' | 'failed' | 'pending';
  reason: string;
}

export interface MemberLogPage {
  items: MemberLogItem[];
  next: string | null;
}

/** `GET /api/destinations/:id/explain`: why a customer is (not) on each segment's list. */
export interface SegmentExplanation {
  segmentId: string;
  segmentName: string | null;
  member: boolean;
  memberSince: string | null;
  hasContactId: boolean;
  contactId: string | null;
  foundInTarget: boolean | null;
  onList: boolean;
  lastRun: { runId: string; at: string; outcome: string; reason: string | null } | null;
  explanation: string;
}

export interface Explanation {
  destinationId: string;
  destinationName: string;
  customerId: string;
  contactIdField: string;
  contactId: string | null;
  segments: SegmentExplanation[];
}
