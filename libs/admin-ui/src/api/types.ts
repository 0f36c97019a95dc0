/**
 * Shapes of the API answers the UI reads. Those the server describes come from the generated
 * `schema.d.ts` (`npm run api-types`, from /api/docs-json); only the answers the OpenAPI document
 * does not describe yet (customers, unification, the customer-field vocabulary) are written here.
 */
import type { components } from './schema';

type Schemas = components['schemas'];

export type FieldType = Schemas['FieldMappingDto']['type'];
export type FieldMapping = Schemas['FieldMappingDto'];
export type RuleOperator = Schemas['RuleOperator'];
export type RuleOperators = Schemas['RuleOperatorsDoc'];

export interface CustomerField {
  name: string;
  type: FieldType;
  sources: string[];
}

/** A source's last ingest: a file upload, or a Dataverse read (which adds its own figures). */
export type IngestSummary = Schemas['IngestSummaryDto'] &
  Partial<Omit<Schemas['DataverseIngestSummaryDto'], keyof Schemas['IngestSummaryDto']>>;

export type Source = Omit<Schemas['SourceDto'], 'lastIngest'> & {
  lastIngest: IngestSummary | null;
};

export type UploadResult = Schemas['UploadResultDto'];

export type RuleNode = { all: RuleNode[] } | { any: RuleNode[] } | RuleCondition;

export interface RuleCondition {
  field: string;
  op: string;
  value?: unknown;
  caseSensitive?: boolean;
}

export type Membership = Schemas['MembershipDoc'];
export type Segment = Omit<Schemas['SegmentDoc'], 'rule'> & { rule: RuleNode };
export type CustomerRow = Schemas['CustomerRowDoc'];
export type PreviewResult = Schemas['PreviewDoc'];
export type MembersPage = Schemas['MembersPageDoc'];

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

export type SignInState = Schemas['SignInViewDoc'];
export type SignInChallenge = Omit<Schemas['SignInStartDoc'], 'status'>;
export type ConnectionTestResult = Schemas['ConnectionTestDoc'];
export type Destination = Schemas['DestinationDoc'];
export type AppRegistration = Schemas['AppRegistrationDoc'];
export type ExportSegmentResult = Schemas['SegmentResultDoc'];
export type ExportRunTotals = Schemas['ExportRunTotalsDoc'];
export type ExportRun = Schemas['ExportRunDoc'];
export type ExportRunsPage = Schemas['ExportRunsPageDoc'];

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

export type StageRecord = Schemas['StageDoc'];
export type RefreshRun = Schemas['RefreshRunDoc'];
export type RefreshRunsPage = Schemas['RefreshRunsPageDoc'];
export type Schedule = Schemas['ScheduleViewDoc'];
export type SourceRecordPage = Schemas['RecordPageDto'];

/** `POST /api/destinations/:id/dry-run`: what an export would do, without doing it. */
export type DryRunMember = Schemas['DryRunMemberDoc'];

export type DryRunSegment = Schemas['DryRunSegmentDoc'];

export type DryRun = Schemas['DryRunDoc'];

export type Role = 'admin' | 'editor' | 'operator' | 'viewer';

/** GET /api/me. */
export type Me = Schemas['MeDoc'];

export type ApiToken = Schemas['ApiTokenDoc'];

export type CreatedApiToken = Schemas['CreatedApiTokenDoc'];

export type AuditEntry = Schemas['AuditEntryDoc'];

export type AuditPage = Schemas['AuditPageDoc'];

export const NOTIFICATION_EVENTS = [
  'run.failed',
  'run.partial',
  'run.held',
  'run.recovered',
  'skipped.threshold',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export type NotificationChannel = Schemas['NotificationChannelDoc'];

export type NotificationDelivery = Schemas['DeliveryDoc'];

/** One member of an export run's per-member log (`GET /api/export-runs/:id/members`). */
export type MemberLogItem = Schemas['MemberLogItemDoc'];

export type MemberLogPage = Schemas['MemberLogPageDoc'];

/** `GET /api/destinations/:id/explain`: why a customer is (not) on each segment's list. */
export type SegmentExplanation = Schemas['SegmentExplanationDoc'];

export type Explanation = Schemas['ExplanationDoc'];
