import type { DestinationTypeDescription, SyncMode } from '@audience-sync/exporter-contract';
import { SYNC_MODES } from '@audience-sync/exporter-contract';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { SegmentResult } from './export-run';
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
