import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { LOG_OUTCOMES, type LogOutcomeName } from './member-log-codes';

export class MemberLogQueryDto {
  @ApiPropertyOptional({ description: "Only this segment's members" })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  segmentId?: string;

  @ApiPropertyOptional({ enum: LOG_OUTCOMES })
  @IsOptional()
  @IsIn(LOG_OUTCOMES, { message: `must be one of ${LOG_OUTCOMES.join(', ')}` })
  outcome?: LogOutcomeName;

  @ApiPropertyOptional({ description: 'Only this customer (search)' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(36)
  customerId?: string;

  @ApiPropertyOptional({
    description: 'Only this contact id (search; letter case ignored for GUIDs)',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  contactId?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: '`next` of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  after?: string;
}

export class MemberLogItemDoc {
  @ApiProperty()
  segmentId!: string;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null when no customer carries a removed contact id any more',
  })
  customerId!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The key in the target; null when the customer has none',
  })
  contactId!: string | null;

  @ApiProperty({
    enum: [...LOG_OUTCOMES, 'pending'],
    description: '`pending` only while the segment is being exported',
  })
  outcome!: string;

  @ApiProperty({ description: 'Why, in words' })
  reason!: string;
}

export class MemberLogPageDoc {
  @ApiProperty({ type: [MemberLogItemDoc] })
  items!: MemberLogItemDoc[];

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Give it as `after` for the next page',
  })
  next!: string | null;
}
