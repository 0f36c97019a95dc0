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
import { AppError } from '@platform/errors/app-error';
import { decodeCursor, encodeCursor } from '@stages/segments/segment.mapper';
import { RefreshRunDoc, RefreshRunsPageDoc } from './dto/refresh-run.api';
import { RunsQueryDto } from '@platform/http/runs-query.dto';
import { RefreshAlreadyRunning } from './refresh-errors';
import { toRunView, type RefreshRunView, type RefreshRunsPage } from './refresh-run.view';
import { RefreshService } from './refresh.service';
import { Allow } from '@platform/auth/allow.decorator';
import { Audited } from '@platform/audit/audited.decorator';

@ApiTags('refresh')
@Audited('refresh-run')
@Controller('refresh')
export class RefreshController {
  constructor(private readonly refresh: RefreshService) {}

  @Post()
  @Allow('operator')
  @Audited('refresh-run', { action: 'start' })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Start a refresh: ingest → unify → segments → export',
    description:
      'Answers at once with the run (202). While another refresh is queued or running: 409 with runningRunId.',
  })
  @ApiAcceptedResponse({ type: RefreshRunDoc })
  @ApiConflictResponse({ description: 'A refresh is running; the body has runningRunId' })
  async start(): Promise<RefreshRunView> {
    try {
      return toRunView(await this.refresh.start('api'));
    } catch (error) {
      if (error instanceof RefreshAlreadyRunning) {
        throw new ConflictException({ message: error.message, runningRunId: error.runningRunId });
      }
      throw error;
    }
  }

  @Get('runs')
  @ApiOperation({ summary: 'Refresh runs, newest first' })
  @ApiOkResponse({ type: RefreshRunsPageDoc })
  async list(@Query() query: RunsQueryDto): Promise<RefreshRunsPage> {
    const limit = query.limit ?? 20;
    let before: string | undefined;
    if (query.cursor !== undefined) {
      before = decodeCursor(query.cursor);
      if (before === undefined)
        throw AppError.validation('cursor', 'is not a cursor this API gave out');
    }
    const runs = await this.refresh.list(limit + 1, before);
    const items = runs.slice(0, limit).map(toRunView);
    return {
      items,
      nextCursor: runs.length > limit ? encodeCursor(items[items.length - 1].id) : null,
    };
  }

  @Get('runs/:id')
  @ApiOperation({ summary: 'One refresh run with its stages (figures are live while it runs)' })
  @ApiOkResponse({ type: RefreshRunDoc })
  async get(@Param('id') id: string): Promise<RefreshRunView> {
    return toRunView(await this.refresh.get(id));
  }

  @Post('runs/:id/cancel')
  @Allow('operator')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Cancel a queued or running refresh at its next safe point',
    description:
      '202 with the run (still running until it reaches a safe point); 409 when it has already ended.',
  })
  @ApiAcceptedResponse({ type: RefreshRunDoc })
  async cancel(@Param('id') id: string): Promise<RefreshRunView> {
    return toRunView(await this.refresh.cancel(id));
  }
}
