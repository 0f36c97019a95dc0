import { Module } from '@nestjs/common';
import { ClockModule } from '../schedule/clock.module';
import { SchedulingModule } from '../schedule/scheduling.module';
import { SegmentsModule } from '../segments/segments.module';
import { SourcesModule } from '../sources/sources.module';
import { UnificationModule } from '../unification/unification.module';
import { pipelineStagesProvider } from './pipeline-stages.provider';
import { RefreshHooks } from './refresh-hooks';
import { RefreshScheduleService } from './refresh-schedule.service';
import { RefreshController } from './refresh.controller';
import { RefreshService } from './refresh.service';
import { RunStore } from './run-store';
import { ScheduleController } from './schedule.controller';

/**
 * The refresh pipeline (ingest → unify → segments → export), its runs and its schedule.
 * Exports {@link RefreshHooks} (the destinations module registers the export stage there) and
 * {@link RefreshService} (the CLI).
 */
@Module({
  imports: [SourcesModule, UnificationModule, SegmentsModule, ClockModule, SchedulingModule],
  controllers: [RefreshController, ScheduleController],
  providers: [
    RefreshHooks,
    RefreshService,
    RefreshScheduleService,
    RunStore,
    pipelineStagesProvider,
  ],
  exports: [RefreshHooks, RefreshService],
})
export class RefreshModule {}
