import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExplainQueryDto, ExplanationDoc } from './explain.dto';
import { ExplainService, type Explanation } from './explain.service';

@ApiTags('destinations')
@Controller('destinations')
export class ExplainController {
  constructor(private readonly explainer: ExplainService) {}

  @Get(':id/explain')
  @ApiOperation({
    summary: 'Why a customer is (or is not) on the lists of a destination',
    description:
      "For each of the destination's segments: membership and since when, the contact id, whether the contact was found in the target at the last export, what the last run did with it (from the per-member log) and one sentence saying why. Give `customerId` or `contactId` (exactly one; 400 otherwise); 404 for an unknown destination or customer.",
  })
  @ApiOkResponse({ type: ExplanationDoc })
  explain(@Param('id') id: string, @Query() query: ExplainQueryDto): Promise<Explanation> {
    return this.explainer.explain(id, query);
  }
}
