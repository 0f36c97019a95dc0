import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { FieldValues } from '@stages/contract/customer-field';
import type {
  CustomerRow,
  MembersPage,
  MembershipView,
  PreviewResult,
  SegmentView,
} from '../segment.view';

/* OpenAPI descriptions of the segment answers (the service returns the interfaces). */

export class MembershipDoc implements MembershipView {
  @ApiProperty({ description: 'Members after the last evaluation' })
  size!: number;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Last evaluation (ISO-8601 UTC); null: never',
  })
  evaluatedAt!: string | null;

  @ApiProperty({ description: 'Members that joined at the last evaluation' })
  added!: number;

  @ApiProperty({ description: 'Members that left at the last evaluation' })
  removed!: number;

  @ApiProperty({ description: 'The rule changed since the last evaluation, or there was none' })
  stale!: boolean;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the last evaluation failed; the membership then stayed as it was',
  })
  lastError!: string | null;

  @ApiProperty({ nullable: true, type: String })
  lastErrorAt!: string | null;
}

export class SegmentDoc implements SegmentView {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ nullable: true, type: String })
  description!: string | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: true })
  rule!: unknown;

  @ApiProperty({ type: MembershipDoc })
  membership!: MembershipDoc;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}

export class CustomerRowDoc implements CustomerRow {
  @ApiProperty()
  customerId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: "The customer's fields; null when the customer is gone since the evaluation",
  })
  fields!: FieldValues | null;
}

export class MembersPageDoc implements MembersPage {
  @ApiProperty({ type: [CustomerRowDoc] })
  items!: CustomerRowDoc[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Pass as ?cursor= for the next page; null on the last one',
  })
  nextCursor!: string | null;
}

export class KeyCountDoc {
  @ApiProperty({ description: 'The customer field asked as `keyField`' })
  field!: string;

  @ApiProperty({ description: 'Matching customers with a value in it' })
  count!: number;
}

export class PreviewDoc implements PreviewResult {
  @ApiProperty({ description: 'Customers matching the rule now' })
  count!: number;

  @ApiProperty({ type: [CustomerRowDoc], description: 'The first matching customers by id' })
  sample!: CustomerRowDoc[];

  @ApiPropertyOptional({
    type: KeyCountDoc,
    description: 'With `keyField` asked: how many matching customers have a value in that field',
  })
  withKey?: KeyCountDoc;
}
