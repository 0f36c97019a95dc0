import { SYNC_MODES, type SyncMode } from '@audience-sync/exporter-contract';
import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

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
}
