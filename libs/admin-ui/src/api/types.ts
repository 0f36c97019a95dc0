/**
 * Shapes of the API answers the UI reads. Those the server describes come from the generated
 * `schema.d.ts` (`npm run api-types`, from /api/docs-json); only what the OpenAPI document does
 * not describe yet is written here: the segment rule tree (a recursive shape).
 */
import type { components, operations } from './schema';

type Schemas = components['schemas'];

export type FieldType = Schemas['FieldMappingDto']['type'];
export type FieldMapping = Schemas['FieldMappingDto'];
export type RuleOperator = Schemas['RuleOperator'];
export type RuleOperators = Schemas['RuleOperatorsDoc'];

export type CustomerField = Schemas['CustomerFieldDoc'];

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

/** The unification settings as GET /api/unification answers them (`saved` left out). */
type UnificationView =
  operations['UnificationController_get']['responses'][200]['content']['application/json'];
/** A rule as edited: its name may be left empty (the server then calls it "rule <n>"). */
export type MatchRule = Omit<UnificationView['rules'][number], 'name'> & { name?: string };
export type UnificationConfig = Omit<UnificationView, 'saved' | 'rules'> & { rules: MatchRule[] };
export type MatchCondition = MatchRule['conditions'][number];
export type Normalizer = MatchCondition['normalizers'][number];
export type MatchKind = MatchCondition['match'];
export type MergePolicy = UnificationConfig['merge']['default'];
export type FieldGroup = UnificationConfig['merge']['groups'][number];

export type SignInState = Schemas['SignInViewDoc'];
export type SignInChallenge = Omit<Schemas['SignInStartDoc'], 'status'>;
export type ConnectionTestResult = Schemas['ConnectionTestDoc'];
export type Destination = Schemas['DestinationDoc'];
export type AppRegistration = Schemas['AppRegistrationDoc'];
export type ExportSegmentResult = Schemas['SegmentResultDoc'];
export type ExportRunTotals = Schemas['ExportRunTotalsDoc'];
export type ExportRun = Schemas['ExportRunDoc'];
export type ExportRunsPage = Schemas['ExportRunsPageDoc'];

export type CustomerSummary = Schemas['CustomerSummaryDoc'];
export type CustomerPage = Schemas['CustomerPageDoc'];
export type CustomerDetail = Schemas['CustomerDetailDoc'];

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
