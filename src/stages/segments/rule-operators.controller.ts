import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RuleOperatorsDoc } from './dto/operators.api';
import { OPERATORS_BY_TYPE, TEXT_OPERATORS, type Operator } from './rule';
import type { FieldType } from '@stages/contract/customer-field';

export interface RuleOperators {
  byType: Record<FieldType, readonly Operator[]>;
  text: readonly Operator[];
}

/** The operator table of segment rules, so clients need not copy it. */
@ApiTags('segments')
@Controller('segment-operators')
export class RuleOperatorsController {
  @Get()
  @ApiOperation({ summary: 'The operators a segment condition accepts, per customer-field type' })
  @ApiOkResponse({ type: RuleOperatorsDoc })
  operators(): RuleOperators {
    return { byType: OPERATORS_BY_TYPE, text: TEXT_OPERATORS };
  }
}
