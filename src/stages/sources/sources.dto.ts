import {
  ApiProperty,
  ApiPropertyOptional,
  getSchemaPath,
  PartialType,
  type ApiPropertyOptions,
} from '@nestjs/swagger';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import { Type } from 'class-transformer';
import { FIELD_TYPES, type FieldType, type FieldValues } from '@stages/contract/customer-field';
import { ACCEPTED_FORMATS } from './field-conversion';
import type { FieldMapping, IngestSummary } from './source.entity';

/** A source definition as the service takes it (the DTOs below satisfy it). */
export interface SourceInput {
  name: string;
  type: string;
  primaryKey: string;
  mapping: Record<string, unknown>;
  lastModifiedColumn?: string | null;
  options?: Record<string, unknown>;
}

/** A source as the API answers it (documented by {@link SourceDto}). */
export interface SourceView {
  id: string;
  name: string;
  type: string;
  primaryKey: string;
  mapping: Record<string, FieldMapping>;
  lastModifiedColumn: string | null;
  options: Record<string, unknown>;
  recordCount: number;
  ingesting: boolean;
  lastIngest: IngestSummary | null;
  /** Types with secret options: whether each is stored (never its value). */
  secrets?: Record<string, 'set' | 'not set'>;
  createdAt: string;
  updatedAt: string;
}

/** A page of a source's records. */
export interface RecordPage {
  items: {
    key: string;
    fields: FieldValues;
    raw: Record<string, string>;
    lastModified: string | null;
  }[];
  next: string | null;
}

export class FieldMappingDto {
  @ApiProperty({
    description: 'Column of the file (header name) holding the value',
    example: 'Email',
  })
  column!: string;

  @ApiProperty({
    enum: FIELD_TYPES,
    default: 'string',
    description: `How values are read and stored. number: ${ACCEPTED_FORMATS.number}. date: ${ACCEPTED_FORMATS.date} (no zone: UTC), stored as UTC YYYY-MM-DDTHH:mm:ss.sssZ. boolean: ${ACCEPTED_FORMATS.boolean}, in any case. string: kept as written. Blank values are absent.`,
  })
  type!: FieldType;
}

export class CsvOptionsDto {
  @ApiPropertyOptional({ description: 'One character between fields', default: ',', example: ';' })
  delimiter?: string;

  @ApiPropertyOptional({
    description:
      'One character around fields that hold delimiters, quotes or line breaks; doubled inside them',
    default: '"',
  })
  quote?: string;

  @ApiPropertyOptional({
    description:
      'Text encoding of uploads: utf-8 (with or without BOM), utf-16le/be, windows-125x, iso-8859-x, shift_jis, gbk, big5… (labels such as latin1 are stored as their canonical name, windows-1252). A wrong name is answered with the supported list.',
    default: 'utf-8',
  })
  encoding?: string;
}

const MAPPING_SCHEMA: ApiPropertyOptions = {
  type: 'object',
  description:
    'Customer field → column. A field name is an identifier (email, firstName, lifetimeValue, contactId); customerId is reserved. A bare column name maps a string field; { column, type } picks the type. A field mapped by several sources has the same type in all. Columns not mapped (and not the primary key) are kept as raw attributes of each record.',
  additionalProperties: {
    oneOf: [{ type: 'string' }, { $ref: getSchemaPath(FieldMappingDto) }],
  },
  example: {
    email: 'Email',
    firstName: 'FirstName',
    birthDate: { column: 'BirthDate', type: 'date' },
    lifetimeValue: { column: 'LTV', type: 'number' },
  },
};

export class CreateSourceDto {
  @ApiProperty({
    description: 'Unique name (case-insensitive), 1-200 characters',
    example: 'crm',
    maxLength: 200,
  })
  @IsString()
  name!: string;

  @ApiProperty({
    description:
      'Source type: csv (uploaded files) or dataverse (a Dataverse table such as Dynamics 365 contacts, read by POST /api/sources/{id}/ingest and by every refresh).',
    example: 'csv',
  })
  @IsString()
  type!: string;

  @ApiProperty({
    description: 'Column holding each record’s key, unique within a file',
    example: 'ContactId',
  })
  @IsString()
  primaryKey!: string;

  @ApiProperty(MAPPING_SCHEMA)
  @IsObject()
  mapping!: Record<string, unknown>;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Column with the time each record last changed (ISO-8601), used by the mostRecent / leastRecent merge policies. Its text stays in raw unless mapped.',
    example: 'ModifiedOn',
  })
  @IsOptional()
  @IsString()
  lastModifiedColumn?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      'Options of the type. csv: the dialect (CsvOptionsDto). dataverse: { serverAddress, auth: { kind: "clientCredentials", tenantId, clientId, clientSecret, authorityHost? }, table?, columns?, pageSize? } (DataverseOptionsDto); the client secret is stored encrypted and never returned.',
  })
  @IsOptional()
  @IsObject()
  options?: Record<string, unknown>;
}

/**
 * Every property is optional: the given ones replace the stored ones. `type` cannot change.
 */
export class UpdateSourceDto extends PartialType(CreateSourceDto) {}

export class RowErrorDto {
  @ApiProperty({ description: 'Physical line of the file (the header is line 1)', example: 12 })
  line!: number;

  @ApiProperty({
    example: 'column "BirthDate" (field birthDate): "31/02/2020" is not a date (expected …)',
  })
  message!: string;
}

/** Figures of an ingest. */
export class IngestFiguresDto {
  @ApiProperty({ description: 'Data rows read (blank lines are not rows)' })
  rowsRead!: number;

  @ApiProperty({ description: 'Records stored: the source now holds exactly these' })
  rowsStored!: number;

  @ApiProperty({
    description:
      'Rows rejected (wrong column count, empty or duplicate key, a value that does not fit its type)',
  })
  rowsRejected!: number;

  @ApiProperty({ type: [RowErrorDto], description: 'The first 100 rejected rows, by line' })
  errors!: RowErrorDto[];

  @ApiProperty({ format: 'date-time' })
  startedAt!: string;

  @ApiProperty({ format: 'date-time' })
  finishedAt!: string;
}

export class UploadResultDto extends IngestFiguresDto {
  @ApiProperty({
    enum: ['succeeded'],
    description: 'A refused file is answered with an error instead',
  })
  status!: 'succeeded';
}

export class IngestSummaryDto extends IngestFiguresDto {
  @ApiProperty({ enum: ['succeeded', 'failed'] })
  status!: 'succeeded' | 'failed';

  @ApiPropertyOptional({ description: 'Why the ingest failed (the previous records were kept)' })
  error?: string;
}

export class SourceDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'csv' })
  type!: string;

  @ApiProperty()
  primaryKey!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(FieldMappingDto) },
    description: 'Customer field → { column, type }',
  })
  mapping!: Record<string, FieldMappingDto>;

  @ApiProperty({ type: String, nullable: true })
  lastModifiedColumn!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Options with defaults filled in',
  })
  options!: Record<string, unknown>;

  @ApiProperty({ description: 'Records currently stored (from the last successful ingest)' })
  recordCount!: number;

  @ApiProperty({ description: 'An ingest is running on this source right now' })
  ingesting!: boolean;

  @ApiProperty({
    type: IngestSummaryDto,
    nullable: true,
    description: 'The last ingest, successful or failed (a failed one kept the previous records)',
  })
  lastIngest!: IngestSummaryDto | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', enum: ['set', 'not set'] },
    description:
      'Types with secret options (dataverse): whether each secret is stored, by option path (e.g. { "auth.clientSecret": "set" }); values are never returned',
  })
  secrets?: Record<string, 'set' | 'not set'>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class RecordsQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 50, description: 'Records per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'Cursor: the `next` of the previous page (a record key)' })
  @IsOptional()
  @IsString()
  after?: string;
}

export class AllowEmptyQueryDto {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'true: an upload that leaves no records (a header alone, or every row rejected), or a full read that finds none, empties the source instead of being refused',
  })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'must be true or false' })
  allowEmpty?: 'true' | 'false';
}

export class SourceRecordDto {
  @ApiProperty({ description: 'The record’s primary key' })
  key!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'Mapped fields in their canonical form (dates as UTC ISO-8601); blank values are absent',
  })
  fields!: FieldValues;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Columns that are not mapped (nor the primary key), as written in the file',
  })
  raw!: Record<string, string>;

  @ApiProperty({ type: String, nullable: true, format: 'date-time' })
  lastModified!: string | null;
}

export class RecordPageDto {
  @ApiProperty({ type: [SourceRecordDto] })
  items!: SourceRecordDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Cursor of the next page; null on the last',
  })
  next!: string | null;
}
