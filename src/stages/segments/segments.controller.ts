import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { MembersQueryDto } from './dto/members-query.dto';
import { PreviewDto } from './dto/preview.dto';
import { SegmentBodyDto } from './dto/segment.dto';
import { MembersPageDoc, PreviewDoc, SegmentDoc } from './dto/segment.api';
import { RULE_LIMITS } from './rule';
import type { MembersPage, PreviewResult, SegmentView } from './segment.view';
import { SegmentsService } from './segments.service';
import { Allow } from '@platform/auth/allow.decorator';
import { Audited, NotAudited } from '@platform/audit/audited.decorator';

@ApiTags('segments')
@Audited('segment', { service: SegmentsService, load: (s, id) => s.get(id ?? '') })
@Controller('segments')
export class SegmentsController {
  constructor(private readonly segments: SegmentsService) {}

  @Post()
  @Allow('editor')
  @ApiOperation({
    summary: 'Create a segment',
    description: `The rule is checked against the customer fields (400 naming the path, e.g. rule.all[1].op) and refused as too costly beyond ${RULE_LIMITS.conditions} conditions (400). Names are unique regardless of case (409).`,
  })
  @ApiCreatedResponse({ type: SegmentDoc })
  create(@Body() body: SegmentBodyDto): Promise<SegmentView> {
    return this.segments.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List the segments (by name)' })
  @ApiOkResponse({ type: [SegmentDoc] })
  list(): Promise<SegmentView[]> {
    return this.segments.list();
  }

  @Post('preview')
  @Allow('viewer')
  @NotAudited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Count the customers a rule matches now, with a sample; saves nothing',
    description: `The server keeps answering other requests while a preview runs. 400 when the rule is invalid (naming the path) or too costly: more than ${RULE_LIMITS.conditions} conditions (refused before it runs), or matching it against the customers took longer than the setting SEGMENT_QUERY_TIMEOUT_MS (30 s by default; the preview is then stopped).`,
  })
  @ApiOkResponse({ type: PreviewDoc })
  preview(@Body() body: PreviewDto): Promise<PreviewResult> {
    return this.segments.preview(body.rule, body.sampleSize, body.keyField);
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A segment with its membership figures (size, last evaluation, added / removed then)',
  })
  @ApiOkResponse({ type: SegmentDoc })
  get(@Param('id') id: string): Promise<SegmentView> {
    return this.segments.get(id);
  }

  @Put(':id')
  @Allow('editor')
  @ApiOperation({
    summary: 'Replace a segment (a changed rule takes effect at the next evaluation)',
    description: `The rule is checked as on create: 400 naming the path, or as too costly beyond ${RULE_LIMITS.conditions} conditions.`,
  })
  @ApiOkResponse({ type: SegmentDoc })
  update(@Param('id') id: string, @Body() body: SegmentBodyDto): Promise<SegmentView> {
    return this.segments.update(id, body);
  }

  @Delete(':id')
  @Allow('editor')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a segment and its membership' })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string): Promise<void> {
    await this.segments.remove(id);
  }

  @Get(':id/members')
  @ApiOperation({
    summary: 'Page through the members (as of the last evaluation) with their fields',
  })
  @ApiOkResponse({ type: MembersPageDoc })
  members(@Param('id') id: string, @Query() query: MembersQueryDto): Promise<MembersPage> {
    return this.segments.members(id, query.limit, query.cursor);
  }

  @Post(':id/evaluate')
  @Allow('operator')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Evaluate an active segment now',
    description: `Materializes its membership as a refresh would; 409 when inactive or when its rule no longer fits the customer fields; 400 when its rule is too costly (more than ${RULE_LIMITS.conditions} conditions, or matching it took longer than SEGMENT_QUERY_TIMEOUT_MS, 30 s by default). The membership then stays as it was, with the reason in lastError.`,
  })
  @ApiOkResponse({ type: SegmentDoc })
  evaluate(@Param('id') id: string): Promise<SegmentView> {
    return this.segments.evaluate(id);
  }
}
