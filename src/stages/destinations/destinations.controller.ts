import type { ExistingTarget } from '@audience-sync/exporter-contract';
import {
  Body,
  ConflictException,
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
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RunsQueryDto } from '@platform/http/runs-query.dto';
import { CreateDestinationDto, StartExportRunDto, UpdateDestinationDto } from './destination.dto';
import type { DestinationView } from './destination.view';
import {
  ConnectionTestDoc,
  ExistingTargetDoc,
  DestinationDoc,
  DryRunDoc,
  ExportRunDoc,
  ExportRunsPageDoc,
  SignInStartDoc,
} from './destinations.api';
import { DestinationsService, type ConnectionTestView } from './destinations.service';
import type { DryRunView } from './dry-run';
import { DryRunService } from './dry-run.service';
import { ExportAlreadyRunning } from './export-errors';
import { toExportRunView, type ExportRunView, type ExportRunsPage } from './export-run.view';
import { ExportRunsService } from './export-runs.service';
import { cursorToId, runsPage } from './runs-page';
import { SignInService, type SignInStart } from './sign-in.service';
import { Allow } from '@platform/auth/allow.decorator';
import { Audited, NotAudited } from '@platform/audit/audited.decorator';

@ApiTags('destinations')
@Audited('destination', { service: DestinationsService, load: (s, id) => s.get(id ?? '') })
@Controller('destinations')
export class DestinationsController {
  constructor(
    private readonly destinations: DestinationsService,
    private readonly runs: ExportRunsService,
    private readonly signIns: SignInService,
    private readonly dryRuns: DryRunService,
  ) {}

  @Post()
  @Allow('editor')
  @ApiOperation({
    summary: 'Create a destination (saving does not run an export)',
    description:
      "`config` is validated against the type's schema, then by the type itself; `contactIdField` must be a customer field (required when the type has a memberKey); segments must exist. Every problem is reported with its path (`config.auth.clientId`, `segmentIds[1]`). Secret values are stored encrypted and never returned.",
  })
  @ApiCreatedResponse({ type: DestinationDoc })
  @ApiConflictResponse({ description: 'Another destination has this displayName' })
  create(@Body() dto: CreateDestinationDto): Promise<DestinationView> {
    return this.destinations.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every destination, by name, with its last run' })
  @ApiOkResponse({ type: [DestinationDoc] })
  list(): Promise<DestinationView[]> {
    return this.destinations.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One destination (which secrets are set, never their values)' })
  @ApiOkResponse({ type: DestinationDoc })
  get(@Param('id') id: string): Promise<DestinationView> {
    return this.destinations.get(id);
  }

  @Put(':id')
  @Allow('editor')
  @ApiOperation({
    summary: 'Update a destination',
    description:
      'Properties left out keep their values. A `config` replaces the configuration, except secret fields: left out, the stored value is kept; `null` clears it. The type cannot change.',
  })
  @ApiOkResponse({ type: DestinationDoc })
  update(@Param('id') id: string, @Body() dto: UpdateDestinationDto): Promise<DestinationView> {
    return this.destinations.update(id, dto);
  }

  @Delete(':id')
  @Allow('editor')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a destination with its run history and checkpoints',
    description:
      'What was exported stays in the target (marketing lists, files): Audience Sync never deletes it. 409 while an export of the destination runs.',
  })
  @ApiNoContentResponse()
  async remove(@Param('id') id: string): Promise<void> {
    await this.destinations.remove(id);
  }

  @Post(':id/test')
  @Allow('editor')
  @NotAudited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Check the connection without changing anything',
    description: '`ok: false` with what is wrong and what to do when the check fails.',
  })
  @ApiOkResponse({ type: ConnectionTestDoc })
  test(@Param('id') id: string): Promise<ConnectionTestView> {
    return this.destinations.testConnection(id);
  }

  @Get(':id/targets')
  @ApiOperation({
    summary: 'Existing objects of the target a segment can be exported to',
    description:
      'For Dynamics 365 Sales: the active static contact lists (at most 500, by name), to choose as `config.lists[segmentId].listId`. 400 for types without; 409 when the target cannot be read.',
  })
  @ApiOkResponse({ type: [ExistingTargetDoc] })
  targets(@Param('id') id: string): Promise<ExistingTarget[]> {
    return this.destinations.targets(id);
  }

  @Post(':id/sign-in')
  @Allow('editor')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start the interactive sign-in (device code) of a type that offers one',
    description:
      'Answers the code and the address where a person signs in; the sign-in completes in the background and the destination then shows `signIn.status: "signed-in"` and who. 400 for types without a sign-in.',
  })
  @ApiOkResponse({ type: SignInStartDoc })
  signIn(@Param('id') id: string): Promise<SignInStart> {
    return this.signIns.start(id);
  }

  @Post(':id/dry-run')
  @Allow('operator')
  @NotAudited()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'What an export would do now, without doing it (dry run)',
    description:
      'Computes, for each of the destination\'s segments, the members the export would add and remove, those it would skip (no contact id; known missing in the target), an estimate of the requests, and up to 10 members to add and to remove. Nothing is written (no request to the target, no change to checkpoints or lists). `status: "held"` means the removal limit would stop that segment before any write. The figures assume the target still holds what Audience Sync exported (a list changed by hand is corrected by the export itself); `skippedNotInTarget` is null before a segment\'s first export (unknown without writing).',
  })
  @ApiOkResponse({ type: DryRunDoc })
  dryRun(@Param('id') id: string): Promise<DryRunView> {
    return this.dryRuns.run(id);
  }

  @Post(':id/runs')
  @Allow('operator')
  @Audited('destination', {
    action: 'export',
    service: DestinationsService,
    load: (s, id) => s.get(id ?? ''),
  })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Export now',
    description:
      'Answers the queued run at once (202). 409 with runningRunId while an export of this destination runs, and 409 "Nothing to export" when it has no segments. `fullSync` re-checks everything; `trigger: "ui"` records a click in the admin UI. `approveRemovals` lets this run remove past the removal limit (segments held by an earlier run go).',
  })
  @ApiAcceptedResponse({ type: ExportRunDoc })
  @ApiConflictResponse({
    description:
      'An export of this destination runs (the body has runningRunId), or it has no segments (nothing to export)',
  })
  async startRun(@Param('id') id: string, @Body() dto: StartExportRunDto): Promise<ExportRunView> {
    try {
      return toExportRunView(
        await this.runs.start(id, {
          trigger: dto.trigger ?? 'api',
          fullSync: dto.fullSync,
          approveRemovals: dto.approveRemovals,
        }),
      );
    } catch (error) {
      if (error instanceof ExportAlreadyRunning) {
        throw new ConflictException({ message: error.message, runningRunId: error.runningRunId });
      }
      throw error;
    }
  }

  @Get(':id/runs')
  @ApiOperation({ summary: "The destination's export runs, newest first" })
  @ApiOkResponse({ type: ExportRunsPageDoc })
  async listRuns(@Param('id') id: string, @Query() query: RunsQueryDto): Promise<ExportRunsPage> {
    const limit = query.limit ?? 20;
    return runsPage(await this.runs.list(id, limit + 1, cursorToId(query.cursor)), limit);
  }
}
