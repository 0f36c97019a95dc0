import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IngestSummaryDto } from '../sources.dto';
import { MAX_PAGE_SIZE } from './dataverse-options';

/** OpenAPI documentation of a `dataverse` source's options (validated by dataverse-options.ts). */
export class DataverseAuthDto {
  @ApiProperty({
    enum: ['clientCredentials'],
    default: 'clientCredentials',
    description:
      'An app registration with a client secret, added to the organization as an application user with read access to the table',
  })
  kind!: 'clientCredentials';

  @ApiPropertyOptional({
    description:
      'Directory (tenant) id, or a verified domain; absent: the one of the app registration in Settings',
  })
  tenantId?: string;

  @ApiPropertyOptional({
    description:
      'Application (client) id (GUID); absent (with no client secret): the app registration in Settings signs in',
  })
  clientId?: string;

  @ApiPropertyOptional({
    description:
      'The secret’s Value. Required when creating; left out on update, the stored one is kept (unless the client id changes). Stored encrypted, never returned: the source shows secrets["auth.clientSecret"] = "set".',
    writeOnly: true,
  })
  clientSecret?: string;

  @ApiPropertyOptional({
    description:
      'https://host[:port] of the Entra ID sign-in; default: the Microsoft cloud of the server address. Other hosts must be in ALLOWED_HOSTS.',
  })
  authorityHost?: string;
}

export class DataverseOptionsDto {
  @ApiProperty({
    description:
      'Organization URL (https only; the Dynamics 365 clouds, or a host in ALLOWED_HOSTS), e.g. https://contoso.crm.dynamics.com',
  })
  serverAddress!: string;

  @ApiProperty({ type: DataverseAuthDto })
  auth!: DataverseAuthDto;

  @ApiPropertyOptional({ default: 'contacts', description: 'Entity set name of the table' })
  table?: string;

  @ApiPropertyOptional({
    type: [String],
    default: [],
    description:
      'Extra columns (logical names) to read and keep as raw attributes; the primary key, mapped columns and the last-modified column are always read',
  })
  columns?: string[];

  @ApiPropertyOptional({
    default: MAX_PAGE_SIZE,
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    description: 'Rows per page (Prefer: odata.maxpagesize)',
  })
  pageSize?: number;
}

export class DataverseIngestSummaryDto extends IngestSummaryDto {
  @ApiProperty({
    enum: ['full', 'incremental'],
    description:
      'full: every row read, replacing the records; incremental: only the changes since the last read (change tracking)',
  })
  mode!: 'full' | 'incremental';

  @ApiPropertyOptional({
    description:
      'Why this was a full read although the last read left a delta link (expired or refused by Dataverse, definition changed)',
  })
  fullReadReason?: string;

  @ApiProperty({ description: 'Pages read' })
  pages!: number;

  @ApiProperty({ description: 'HTTP requests sent to Dataverse (retries included)' })
  requests!: number;

  @ApiProperty({ description: '429 answers met (waited out as Retry-After said)' })
  throttled!: number;

  @ApiPropertyOptional({ description: 'Incremental reads: records new to the source' })
  added?: number;

  @ApiPropertyOptional({ description: 'Incremental reads: records that changed' })
  updated?: number;

  @ApiPropertyOptional({
    description:
      'Incremental reads: records that left the source (deleted in Dataverse, or now rejected)',
  })
  removed?: number;

  @ApiPropertyOptional({ type: [String] })
  notes?: string[];
}
