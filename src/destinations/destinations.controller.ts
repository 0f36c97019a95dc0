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
import { RunsQueryDto } from '../refresh/dto/runs-query.dto';
import { CreateDestinationDto, StartExportRunDto, UpdateDestinationDto } from './destination.dto';
import type { DestinationView } from './destination.view';
import {
  ConnectionTestDoc,
  DestinationDoc,
  ExportRunDoc,
  ExportRunsPageDoc,
  SignInStartDoc,
} from './destinations.api';
import { DestinationsService, type ConnectionTestView } from './destinations.service';
import { ExportAlreadyRunning } from './export-errors';
import { toExportRunView, type ExportRunView, type ExportRunsPage } from './export-run.view';
import { ExportRunsService } from './export-runs.service';
import { cursorToId, runsPage } from './runs-page';
import { SignInService, type SignInStart } from './sign-in.service';
import { Allow } from '../auth/allow.decorator';
import { Audited, NotAudited } from '../audit/audited.decorator';

@ApiTags('destinations')
@Audited('destination', { service: DestinationsService, load: (s, id) => s.get(id ?? '') })
@Controller('destinations')
export class DestinationsController {
  constructor(
    private readonly destinations: DestinationsService,
    private readonly runs: ExportRunsService,
    private readonly signIns: SignInService,
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
      'Answers the queued run at once (202). 409 with runningRunId while an export of this destination runs. `fullSync` re-checks everything.',
  })
  @ApiAcceptedResponse({ type: ExportRunDoc })
  @ApiConflictResponse({
    description: 'An export of this destination runs; the body has runningRunId',
  })
  async startRun(@Param('id') id: string, @Body() dto: StartExportRunDto): Promise<ExportRunView> {
    try {
      return toExportRunView(await this.runs.start(id, { trigger: 'api', fullSync: dto.fullSync }));
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
