import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class ExplainQueryDto {
  @ApiPropertyOptional({ description: 'The customer (or give contactId)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(36)
  customerId?: string;

  @ApiPropertyOptional({
    description: "The customer carrying this value in the destination's contactIdField",
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  contactId?: string;
}

export class ExplainedRunDoc {
  @ApiProperty()
  runId!: string;

  @ApiProperty({ description: 'When the run exported the segment' })
  at!: string;

  @ApiProperty({ enum: ['added', 'removed', 'skipped', 'failed', 'pending', 'unchanged'] })
  outcome!: string;

  @ApiProperty({ nullable: true, type: String })
  reason!: string | null;
}

export class SegmentExplanationDoc {
  @ApiProperty()
  segmentId!: string;

  @ApiProperty({ nullable: true, type: String })
  segmentName!: string | null;

  @ApiProperty()
  member!: boolean;

  @ApiProperty({ nullable: true, type: String, description: 'When the customer joined' })
  memberSince!: string | null;

  @ApiProperty()
  hasContactId!: boolean;

  @ApiProperty({ nullable: true, type: String })
  contactId!: string | null;

  @ApiProperty({
    nullable: true,
    type: Boolean,
    description: 'Whether the contact was found in the target at the last export (null: unknown)',
  })
  foundInTarget!: boolean | null;

  @ApiProperty({ description: 'Whether the target holds it, as far as the exports know' })
  onList!: boolean;

  @ApiProperty({ nullable: true, type: ExplainedRunDoc })
  lastRun!: ExplainedRunDoc | null;

  @ApiProperty({ description: 'Why it is or is not on the list, in one sentence' })
  explanation!: string;
}

export class ExplanationDoc {
  @ApiProperty()
  destinationId!: string;

  @ApiProperty()
  destinationName!: string;

  @ApiProperty()
  customerId!: string;

  @ApiProperty()
  contactIdField!: string;

  @ApiProperty({ nullable: true, type: String })
  contactId!: string | null;

  @ApiProperty({ type: [SegmentExplanationDoc] })
  segments!: SegmentExplanationDoc[];
}
