import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, IsString, Max, Min } from 'class-validator';
import type { RuleNode } from '../rule';
import { RULE_DESCRIPTION, RULE_EXAMPLE } from './segment.dto';

export class PreviewDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: RULE_EXAMPLE,
    description: RULE_DESCRIPTION,
  })
  @IsObject()
  rule!: RuleNode;

  @ApiPropertyOptional({
    default: 10,
    minimum: 0,
    maximum: 100,
    description: 'Customers in the sample',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  sampleSize?: number;

  @ApiPropertyOptional({
    description:
      'A customer field a destination keys members on (e.g. the Sales contact id): the answer ' +
      'also says how many matching customers have a value in it (the others would be skipped).',
    example: 'contactid',
  })
  @IsOptional()
  @IsString()
  keyField?: string;
}
