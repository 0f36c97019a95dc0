import type { DestinationTypeDescription, SyncMode } from '@audience-sync/exporter-contract';
import { SYNC_MODES } from '@audience-sync/exporter-contract';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DryRunMember, DryRunSegment, DryRunView } from './dry-run';
import type { SegmentHold, SegmentResult } from './export-run';
import {
  EXPORT_RUN_STATUSES,
  EXPORT_TRIGGERS,
  SEGMENT_RUN_STATUSES,
  type ExportRunStatus,
  type ExportTrigger,
  type SegmentRunStatus,
} from './export-run-status';
import {
  DestinationLastRunDoc,
  ExportRunTotalsDoc,
  ExportTargetDoc,
  ProgressDoc,
  SignInViewDoc,
  RemovalLimitViewDoc,
} from './nested.api';

/* OpenAPI descriptions of the answers (the services return plain interfaces). */

export class DestinationTypeDoc implements DestinationTypeDescription {
  @ApiProperty({ example: 'file' })
  type!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema (2020-12 subset) of `config`; `x-` keywords are UI hints',
  })
  configSchema!: DestinationTypeDescription['configSchema'];

  @ApiProperty({ type: [String], description: 'Dotted paths of secret values in `config`' })
  secretFields!: string[];

  @ApiProperty({ enum: SYNC_MODES, isArray: true })
  syncModes!: SyncMode[];

  @ApiProperty({ enum: SYNC_MODES })
  defaultSyncMode!: SyncMode;

  @ApiProperty({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: 'What contactIdField must hold; null when the type needs no member key',
  })
  memberKey!: DestinationTypeDescription['memberKey'];

  @ApiProperty({ enum: ['changes', 'snapshot'] })
  exportStyle!: DestinationTypeDescription['exportStyle'];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  signIn?: DestinationTypeDescription['signIn'];
}

export class DestinationDoc {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  type!: string;

  @ApiProperty()
  displayName!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Without secrets' })
  config!: Record<string, unknown>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['set', 'not set'] },
    example: { 'auth.clientSecret': 'set' },
    description: 'Whether each secret field has a stored value (values are never returned)',
  })
  secrets!: Record<string, 'set' | 'not set'>;

  @ApiProperty({ nullable: true, type: String })
  contactIdField!: string | null;

  @ApiProperty({ type: [String] })
  segmentIds!: string[];

  @ApiProperty({ enum: SYNC_MODES })
  syncMode!: SyncMode;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({
    type: RemovalLimitViewDoc,
    description:
      'The removal guardrail in force: a mirror export holds a segment (before any write) that would remove more than `minimum` members AND more than `percent` % of its list or more than `count` members. Default: 10%, 10,000, 10. null turns that limit off.',
  })
  removalLimit!: RemovalLimitViewDoc;

  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Percent of skipped members above which a run notifies `skipped.threshold`',
  })
  skippedAlertPercent!: number | null;

  @ApiProperty({
    nullable: true,
    type: SignInViewDoc,
    description: 'Interactive sign-in: user once signed in, the code while pending',
  })
  signIn!: SignInViewDoc | null;

  @ApiProperty({ nullable: true, type: DestinationLastRunDoc })
  lastRun!: DestinationLastRunDoc | null;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}

export class ExistingTargetDoc {
  @ApiProperty({ description: 'Its id in the target (e.g. the marketing list id)' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({ description: 'Members it holds now, when known' })
  members?: number;
}

export class ConnectionTestDoc {
  @ApiProperty()
  ok!: boolean;

  @ApiProperty({ description: 'What was checked, or what is wrong and what to do' })
  message!: string;

  @ApiPropertyOptional({ description: 'The kind of failure (AUTH, FORBIDDEN, CONFIG, …)' })
  code?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  details?: Record<string, string | number | boolean>;
}

export class SignInStartDoc {
  @ApiProperty({ enum: ['pending'] })
  status!: 'pending';

  @ApiProperty()
  userCode!: string;

  @ApiProperty()
  verificationUri!: string;

  @ApiProperty()
  message!: string;

  @ApiProperty()
  expiresAt!: string;
}

export class SegmentHoldDoc implements SegmentHold {
  @ApiProperty({
    example: 'would remove 4,200 of 5,000 members (84%), over the limit of 10%',
  })
  reason!: string;

  @ApiProperty({ description: 'Removals the export would have made' })
  removals!: number;

  @ApiProperty({ description: 'Members the target held' })
  listSize!: number;

  @ApiPropertyOptional({ description: 'When the hold was approved' })
  approvedAt?: string;

  @ApiPropertyOptional({ description: 'The run that exported the segment on approval' })
  approvedRunId?: string;
}

export class SegmentResultDoc implements SegmentResult {
  @ApiProperty()
  segmentId!: string;

  @ApiProperty({ nullable: true, type: String })
  segmentName!: string | null;

  @ApiProperty({ enum: SEGMENT_RUN_STATUSES })
  status!: SegmentRunStatus;

  @ApiProperty({ nullable: true, type: ExportTargetDoc })
  target!: ExportTargetDoc | null;

  @ApiProperty()
  members!: number;

  @ApiProperty()
  added!: number;

  @ApiProperty()
  removed!: number;

  @ApiProperty({ description: 'Members without a value in contactIdField' })
  skippedNoKey!: number;

  @ApiProperty({ description: 'Keys the target does not know (e.g. contacts deleted in Sales)' })
  skippedNotFound!: number;

  @ApiProperty()
  skippedInvalid!: number;

  @ApiProperty()
  failed!: number;

  @ApiProperty()
  requests!: number;

  @ApiProperty()
  throttled!: number;

  @ApiProperty({ nullable: true, type: ProgressDoc })
  progress!: ProgressDoc | null;

  @ApiProperty({ type: [String] })
  errors!: string[];

  @ApiProperty({ type: [String] })
  notes!: string[];

  @ApiProperty({ nullable: true, type: String })
  startedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiPropertyOptional({
    type: SegmentHoldDoc,
    description: 'Present when the removal limit held the segment (status `held`)',
  })
  hold?: SegmentHoldDoc;
}

export class ExportRunDoc {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  destinationId!: string;

  @ApiProperty({ enum: EXPORT_TRIGGERS })
  trigger!: ExportTrigger;

  @ApiProperty({ nullable: true, type: String })
  refreshRunId!: string | null;

  @ApiProperty({ enum: EXPORT_RUN_STATUSES })
  status!: ExportRunStatus;

  @ApiProperty()
  fullSync!: boolean;

  @ApiProperty({ description: 'The run may remove past the removal limit (an approval)' })
  approveRemovals!: boolean;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ nullable: true, type: String })
  startedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  durationMs!: number | null;

  @ApiProperty()
  cancelRequested!: boolean;

  @ApiProperty({ nullable: true, type: String })
  error!: string | null;

  @ApiProperty({ type: [String] })
  notes!: string[];

  @ApiProperty({ type: ExportRunTotalsDoc })
  totals!: ExportRunTotalsDoc;

  @ApiProperty({ nullable: true, type: ProgressDoc })
  progress!: ProgressDoc | null;

  @ApiProperty({ type: [SegmentResultDoc] })
  segments!: SegmentResultDoc[];
}

export class ExportRunsPageDoc {
  @ApiProperty({ type: [ExportRunDoc] })
  items!: ExportRunDoc[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}

export class DryRunMemberDoc implements DryRunMember {
  @ApiProperty({ nullable: true, type: String })
  customerId!: string | null;

  @ApiProperty({ description: "The member's key in the target (contactIdField)" })
  contactId!: string;
}

export class DryRunSegmentDoc implements DryRunSegment {
  @ApiProperty()
  segmentId!: string;

  @ApiProperty({ nullable: true, type: String })
  segmentName!: string | null;

  @ApiProperty({
    enum: ['ready', 'held', 'skipped'],
    description:
      'held: the removal limit would stop the segment before any write; skipped: nothing would be exported',
  })
  status!: DryRunSegment['status'];

  @ApiProperty({ nullable: true, type: String, description: 'Why held or skipped, in words' })
  reason!: string | null;

  @ApiProperty()
  members!: number;

  @ApiProperty()
  toAdd!: number;

  @ApiProperty()
  toRemove!: number;

  @ApiProperty()
  skippedNoContactId!: number;

  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Members whose key earlier exports found missing in the target; null before the first export (unknown without writing)',
  })
  skippedNotInTarget!: number | null;

  @ApiProperty({ description: 'Members the target holds now, as far as Audience Sync knows' })
  listSize!: number;

  @ApiProperty({ nullable: true, type: Number })
  requestsEstimate!: number | null;

  @ApiProperty({ type: [DryRunMemberDoc], description: 'Up to 10, in key order' })
  sampleToAdd!: DryRunMemberDoc[];

  @ApiProperty({ type: [DryRunMemberDoc], description: 'Up to 10, in key order' })
  sampleToRemove!: DryRunMemberDoc[];
}

export class DryRunDoc implements DryRunView {
  @ApiProperty()
  destinationId!: string;

  @ApiProperty({ enum: SYNC_MODES })
  syncMode!: string;

  @ApiProperty()
  computedAt!: string;

  @ApiProperty({ type: [DryRunSegmentDoc] })
  segments!: DryRunSegmentDoc[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  totals!: DryRunView['totals'];
}
