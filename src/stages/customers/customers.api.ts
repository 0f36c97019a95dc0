import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  FIELD_TYPES,
  type CustomerField,
  type FieldType,
  type FieldValues,
} from '@stages/contract/customer-field';
import type {
  CustomerDetail,
  CustomerIdentity,
  CustomerPage,
  CustomerSummary,
} from './customers.service';

/** OpenAPI descriptions of the customers API's answers (the admin UI's types come from them). */
export class CustomerSummaryDoc implements CustomerSummary {
  @ApiProperty({ example: 'cus_000000000042' })
  customerId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    description: "The customer's merged fields (dates as UTC ISO-8601 text)",
  })
  fields!: FieldValues;

  @ApiProperty({ description: 'Source records merged into the customer' })
  recordCount!: number;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}

export class CustomerPageDoc implements CustomerPage {
  @ApiProperty({ type: [CustomerSummaryDoc] })
  items!: CustomerSummaryDoc[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `after` for the next page; null on the last page',
  })
  next!: string | null;
}

export class CustomerIdentityDoc implements CustomerIdentity {
  @ApiProperty()
  sourceId!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Name of the source (null if it was deleted since the last unification)',
  })
  source!: string | null;

  @ApiProperty({ description: "The record's key in its source" })
  key!: string;
}

export class CustomerDetailDoc extends CustomerSummaryDoc implements CustomerDetail {
  @ApiProperty({ type: [CustomerIdentityDoc] })
  identities!: CustomerIdentityDoc[];

  @ApiProperty({ description: 'True when only the first 1,000 identities are listed' })
  identitiesTruncated!: boolean;

  @ApiProperty({ type: [String], description: 'IDs this customer absorbed by merges' })
  previousIds!: string[];

  @ApiPropertyOptional({ description: 'The previous ID the request named' })
  requestedId?: string;

  @ApiPropertyOptional({ description: 'The customer that ID was merged into (= customerId)' })
  mergedInto?: string;

  @ApiPropertyOptional({ description: 'When that merge happened' })
  mergedAt?: string;
}

export class CustomerFieldDoc implements CustomerField {
  @ApiProperty({ example: 'email' })
  name!: string;

  @ApiProperty({ enum: FIELD_TYPES })
  type!: FieldType;

  @ApiProperty({
    type: [String],
    description: 'Names of the sources mapping the field (empty for customerId)',
  })
  sources!: string[];
}
