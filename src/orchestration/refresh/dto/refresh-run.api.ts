import { ApiProperty } from '@nestjs/swagger';
import type { StageRecord } from '../refresh-run';
import type { RefreshRunView, RefreshRunsPage } from '../refresh-run.view';
import {
  RUN_STATUSES,
  RUN_TRIGGERS,
  type RunStatus,
  type RunTrigger,
} from '@stages/contract/run-state';
import {
  STAGE_NAMES,
  type StageFigures,
  type StageName,
  type StageRunStatus,
} from '@stages/contract/stage';

/* OpenAPI descriptions of the refresh answers (the service returns the interfaces). */

export class StageDoc implements StageRecord {
  @ApiProperty({ enum: STAGE_NAMES })
  name!: StageName;

  @ApiProperty({
    enum: ['pending', 'running', 'succeeded', 'partial', 'failed', 'skipped', 'canceled'],
  })
  status!: StageRunStatus;

  @ApiProperty({ nullable: true, type: String })
  startedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Live while the stage runs',
  })
  figures!: StageFigures;

  @ApiProperty({ type: [String], description: 'Errors in words, each saying what and where' })
  errors!: string[];

  @ApiProperty({ nullable: true, type: String, description: 'Why it was skipped, or how it ended' })
  note!: string | null;
}

class OwnerDoc {
  @ApiProperty()
  host!: string;

  @ApiProperty()
  pid!: number;
}

export class RefreshRunDoc implements RefreshRunView {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: RUN_TRIGGERS })
  trigger!: RunTrigger;

  @ApiProperty({ enum: RUN_STATUSES })
  status!: RunStatus;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ nullable: true, type: String })
  startedAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  finishedAt!: string | null;

  @ApiProperty({ nullable: true, type: Number })
  durationMs!: number | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why it failed, was canceled or skipped',
  })
  error!: string | null;

  @ApiProperty({ nullable: true, type: String })
  cancelRequestedAt!: string | null;

  @ApiProperty({ nullable: true, type: OwnerDoc, description: 'The process running it' })
  owner!: OwnerDoc | null;

  @ApiProperty({ nullable: true, type: String })
  heartbeatAt!: string | null;

  @ApiProperty({ type: [StageDoc] })
  stages!: StageDoc[];
}

export class RefreshRunsPageDoc implements RefreshRunsPage {
  @ApiProperty({ type: [RefreshRunDoc] })
  items!: RefreshRunDoc[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor!: string | null;
}
