import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  UNIFICATION_CONFIG_SCHEMA,
  UNIFICATION_CONFIG_VIEW_SCHEMA,
} from './unification-config.schema';
import { UnificationConfigService, type UnificationConfigView } from './unification-config.service';
import {
  UnificationService,
  type UnificationRun,
  type UnificationStatus,
} from './unification.service';
import { Allow } from '@platform/auth/allow.decorator';
import { Audited } from '@platform/audit/audited.decorator';

@ApiTags('unification')
@Controller('unification')
export class UnificationController {
  constructor(
    private readonly configs: UnificationConfigService,
    private readonly unification: UnificationService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The unification configuration',
    description:
      'Match rules, deduplication within sources and merge policies. Until a configuration is saved (`saved: false`) there are no rules: every source record is its own customer, and values are merged by `mostRecent`.',
  })
  @ApiOkResponse({ schema: UNIFICATION_CONFIG_VIEW_SCHEMA })
  get(): Promise<UnificationConfigView> {
    return this.configs.view();
  }

  @Put()
  @Allow('editor')
  @Audited('unification-rules', { service: UnificationConfigService, load: (s) => s.view() })
  @ApiOperation({
    summary: 'Replace the unification configuration',
    description:
      'Validated against the customer fields and sources (400 naming each wrong path, e.g. `rules[1].conditions[0].field`). A rule with a fuzzy condition needs an exact condition (its blocking key). Takes effect at the next run.',
  })
  @ApiBody({ schema: UNIFICATION_CONFIG_SCHEMA as object })
  @ApiOkResponse({ schema: UNIFICATION_CONFIG_VIEW_SCHEMA })
  put(@Body() body: unknown): Promise<UnificationConfigView> {
    return this.configs.replace(body);
  }

  @Post('run')
  @Allow('operator')
  @Audited('unification-run')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Unify all current source records now',
    description:
      'Answers when done, with figures: sourceRecords, customers, recordsMerged, customersCreated / Updated / Unchanged / Merged (IDs retired into previous IDs) / Split / Deleted, identitiesWritten, durationMs, per-rule merges and warnings (`status: partial` when there are warnings). 409 while another unification runs.',
  })
  @ApiOkResponse({ description: 'The run figures' })
  run(): Promise<UnificationRun> {
    return this.unification.run();
  }

  @Get('status')
  @ApiOperation({
    summary: 'Whether a unification is running (with live figures) and the last run',
  })
  status(): Promise<UnificationStatus> {
    return this.unification.status();
  }

  @Post('cancel')
  @Allow('operator')
  @Audited('unification-run')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cancel the unification running in this server',
    description:
      'It stops at its next safe point. Customers already written stay (each one whole); the next run completes the rest. 409 when none is running here.',
  })
  cancel(): { canceled: true; startedAt: string } {
    return this.unification.cancel();
  }
}
