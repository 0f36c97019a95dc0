import { Module } from '@nestjs/common';
import { ClockModule } from '@platform/clock/clock.module';
import { SchedulingModule } from '@platform/schedule/scheduling.module';
import { StageContractModule } from '@stages/contract/stage-contract.module';
import { SegmentsModule } from '@stages/segments/segments.module';
import { SourcesModule } from '@stages/sources/sources.module';
import { UnificationModule } from '@stages/unification/unification.module';
import { pipelineStagesProvider } from './pipeline-stages.provider';
import { RefreshScheduleService } from './refresh-schedule.service';
import { RefreshController } from './refresh.controller';
import { RefreshService } from './refresh.service';
import { RunStore } from './run-store';
import { ScheduleController } from './schedule.controller';

/**
 * The refresh pipeline (ingest → unify → segments → export), its runs and its schedule.
 * Runs the export stage through RefreshHooks (the stage contract), and exports
 * {@link RefreshService} (the CLI).
 */
@Module({
  imports: [
    StageContractModule,
    SourcesModule,
    UnificationModule,
    SegmentsModule,
    ClockModule,
    SchedulingModule,
  ],
  controllers: [RefreshController, ScheduleController],
  providers: [RefreshService, RefreshScheduleService, RunStore, pipelineStagesProvider],
  exports: [StageContractModule, RefreshService],
})
export class RefreshModule {}
