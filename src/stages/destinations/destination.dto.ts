import { SYNC_MODES, type SyncMode } from '@audience-sync/exporter-contract';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CLIENT_TRIGGERS } from './export-run-status';
import { DEFAULT_REMOVAL_LIMIT } from './removal-limit';

/**
 * The removal guardrail: a mirror export holds a segment (status `held`, before any write) when
 * it would remove more than `minimum` members AND more than `percent` % of the list or more than
 * `count` members. Properties left out take their defaults; null turns that limit off.
 */
export class RemovalLimitDto {
  @ApiPropertyOptional({
    description:
      'Share of the list (0–100) one export may remove; null: no share limit. Default 10.',
    nullable: true,
    type: Number,
    example: DEFAULT_REMOVAL_LIMIT.percent,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: 'must be a number from 0 to 100, or null' },
  )
  @Min(0, { message: 'must be a number from 0 to 100, or null' })
  @Max(100, { message: 'must be a number from 0 to 100, or null' })
  percent?: number | null;

  @ApiPropertyOptional({
    description:
      'Members one export may remove whatever the list size; null: no count limit. Default 10,000.',
    nullable: true,
    type: Number,
    example: DEFAULT_REMOVAL_LIMIT.count,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt({ message: 'must be a whole number of members (0 or more), or null' })
  @Min(0, { message: 'must be a whole number of members (0 or more), or null' })
  count?: number | null;

  @ApiPropertyOptional({
    description: 'Removals up to this many never hold a segment (small lists churn). Default 10.',
    example: DEFAULT_REMOVAL_LIMIT.minimum,
  })
  @IsOptional()
  @IsInt({ message: 'must be a whole number of members (0 or more)' })
  @Min(0, { message: 'must be a whole number of members (0 or more)' })
  minimum?: number;
}

export class CreateDestinationDto {
  @ApiProperty({
    description: 'Destination type id (see GET /api/destination-types)',
    example: 'file',
  })
  @IsString()
  @Length(1, 64)
  type!: string;

  @ApiProperty({ description: 'Unique name shown in lists and run records', example: 'Sales (EU)' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({
    description:
      "Settings of the type, validated against its configSchema. Secret fields (the type's " +
      'secretFields) are stored encrypted and never returned: omit one to keep the stored value, ' +
      'send null to clear it.',
    type: 'object',
    additionalProperties: true,
    example: { folder: 'segments', format: 'csv', fields: ['customerId', 'email'] },
  })
  @IsObject()
  config!: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      "Customer field holding each member's key in the target (the Dynamics 365 contact id). " +
      'Required when the type has a memberKey; members without a value are skipped and counted.',
    example: 'contactId',
    nullable: true,
    type: String,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(64)
  contactIdField?: string | null;

  @ApiPropertyOptional({
    description: 'Segments to export, in this order',
    type: [String],
    default: [],
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique({ message: 'must not list a segment twice' })
  @IsString({ each: true })
  segmentIds?: string[];

  @ApiPropertyOptional({
    description: "How the target follows the segment; default: the type's defaultSyncMode",
    enum: SYNC_MODES,
  })
  @IsOptional()
  @IsIn([...SYNC_MODES])
  syncMode?: SyncMode;

  @ApiPropertyOptional({
    description: 'Exported by every refresh when true. Saving never runs an export.',
    default: true,
  })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({
    description:
      'Removal guardrail of mirror exports (default on: hold a segment that would remove more ' +
      'than 10 members and more than 10% of its list or more than 10,000). null: back to the default.',
    type: RemovalLimitDto,
    nullable: true,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsObject({ message: 'must be an object { percent, count, minimum }, or null' })
  @ValidateNested()
  @Type(() => RemovalLimitDto)
  removalLimit?: RemovalLimitDto | null;

  @ApiPropertyOptional({
    description:
      'Percent (0-100) of members skipped (no key, not found, invalid) above which a run sends the ' +
      '`skipped.threshold` notification; null: never.',
    nullable: true,
    type: Number,
    minimum: 0,
    maximum: 100,
    example: 10,
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  skippedAlertPercent?: number | null;
}

/**
 * An update: properties left out keep their values; `config`, when given, replaces the whole
 * configuration except secrets left out (kept) or sent as null (cleared). `type` cannot change.
 */
export class UpdateDestinationDto extends PartialType(CreateDestinationDto) {}

export class StartExportRunDto {
  @ApiPropertyOptional({
    description:
      'Re-check everything: forget members skipped as not found and compare the target with ' +
      'what Audience Sync believes it holds, correcting any drift.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  fullSync?: boolean;

  @ApiPropertyOptional({
    enum: CLIENT_TRIGGERS,
    default: 'api',
    description: 'Who asks: `ui` when a person clicked "Export now" in the admin UI.',
  })
  @IsOptional()
  @IsIn(CLIENT_TRIGGERS)
  trigger?: (typeof CLIENT_TRIGGERS)[number];

  @ApiPropertyOptional({
    description:
      "Let this run remove past the destination's removal limit (an approval): segments held " +
      'by an earlier run are exported with their removals.',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  approveRemovals?: boolean;
}
