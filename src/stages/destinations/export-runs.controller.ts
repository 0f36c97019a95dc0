import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ExportRunDoc, ExportRunsPageDoc } from './destinations.api';
import { toExportRunView, type ExportRunView, type ExportRunsPage } from './export-run.view';
import { cursorToId, runsPage } from './runs-page';
import { ExportRunsQueryDto } from './export-runs-query.dto';
import { ExportAlreadyRunning } from './export-errors';
import { ExportRunsService } from './export-runs.service';
import { Allow } from '@platform/auth/allow.decorator';
import { Audited } from '@platform/audit/audited.decorator';

@ApiTags('destinations')
// Every change of a run (cancel, approve) is an operator's and is audited; reads are viewers'.
@Allow('operator')
@Audited('export-run')
@Controller('export-runs')
export class ExportRunsController {
  constructor(private readonly runs: ExportRunsService) {}

  @Get()
  @Allow('viewer')
  @ApiOperation({
    summary: 'Export runs of every destination, newest first',
    description: 'With `refreshRunId`: only the export runs that refresh run started.',
  })
  @ApiOkResponse({ type: ExportRunsPageDoc })
  async list(@Query() query: ExportRunsQueryDto): Promise<ExportRunsPage> {
    const limit = query.limit ?? 20;
    const before = cursorToId(query.cursor);
    const filter = { refreshRunId: query.refreshRunId };
    return runsPage(await this.runs.listAll(filter, limit + 1, before), limit);
  }

  @Get(':id')
  @Allow('viewer')
  @ApiOperation({
    summary: 'One export run with its figures per segment (live while it runs)',
  })
  @ApiOkResponse({ type: ExportRunDoc })
  async get(@Param('id') id: string): Promise<ExportRunView> {
    return toExportRunView(await this.runs.get(id));
  }

  @Post(':id/cancel')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Cancel a queued or running export at its next batch',
    description:
      '202 with the run (still running until it stops; what landed is kept and the next run goes on from there); 409 when it has already ended.',
  })
  @ApiAcceptedResponse({ type: ExportRunDoc })
  async cancel(@Param('id') id: string): Promise<ExportRunView> {
    return toExportRunView(await this.runs.cancel(id));
  }

  @Post(':id/approve')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Approve the removals of the segments a run held at the removal limit',
    description:
      'Exports the held segments now in a new run that may remove past the limit (202 with that run; its `approveRemovals` is true) and marks them approved on the held run (`hold.approvedAt`, `hold.approvedRunId`). 409 when the run holds nothing (not held, or approved already), or with runningRunId while another export of the destination runs.',
  })
  @ApiAcceptedResponse({ type: ExportRunDoc })
  @ApiConflictResponse({ description: 'Nothing is held, or an export of the destination runs' })
  async approve(@Param('id') id: string): Promise<ExportRunView> {
    try {
      return toExportRunView(await this.runs.approve(id));
    } catch (error) {
      if (error instanceof ExportAlreadyRunning) {
        throw new ConflictException({ message: error.message, runningRunId: error.runningRunId });
      }
      throw error;
    }
  }
}
