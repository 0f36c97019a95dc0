import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import { RULE_LIMITS, type RuleNode } from '../rule';

export const RULE_EXAMPLE = {
  all: [
    { field: 'country', op: 'in', value: ['DE', 'AT', 'CH'] },
    {
      any: [
        { field: 'lifetimeValue', op: 'gte', value: 500 },
        { field: 'lastPurchaseAt', op: 'withinLast', value: { amount: 90, unit: 'days' } },
      ],
    },
    { field: 'email', op: 'isNotEmpty' },
  ],
};

export const RULE_DESCRIPTION =
  'A tree of groups ({ "all": [...] } or { "any": [...] }) and conditions ({ "field", "op", "value", "caseSensitive"? }). ' +
  'Operators by field type — string: eq, ne, in, notIn, contains, startsWith, endsWith; number: eq, ne, in, notIn, gt, gte, lt, lte, between; ' +
  'date: eq, ne, gt, gte, lt, lte, between, withinLast / olderThan ({ "amount", "unit": "days" | "weeks" | "months" }); boolean: eq, ne; ' +
  'every type: isEmpty, isNotEmpty (no value). String comparisons ignore case unless "caseSensitive": true. ' +
  `Limits: groups nest up to ${RULE_LIMITS.depth} levels; at most ${RULE_LIMITS.conditions} conditions per rule (each is computed for every customer; more is refused with 400 as too costly), ` +
  `${RULE_LIMITS.listValues} values per list and ${RULE_LIMITS.totalValues} per rule, strings of up to ${RULE_LIMITS.stringLength} characters.`;

/** Body of `POST /api/segments` and `PUT /api/segments/:id` (PUT replaces the segment). */
export class SegmentBodyDto {
  @ApiProperty({
    example: 'DACH high value',
    maxLength: 200,
    description: 'Unique, regardless of case',
  })
  @IsString()
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string | null;

  @ApiPropertyOptional({
    default: true,
    description: 'Inactive segments are neither evaluated nor exported',
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: RULE_EXAMPLE,
    description: RULE_DESCRIPTION,
  })
  @IsObject()
  rule!: RuleNode;
}
