import type { Provider } from '@nestjs/common';
import { SegmentsService } from '../segments/segments.service';
import { UnificationService } from '../unification/unification.service';
import { PIPELINE_STAGES, type PipelineStages } from './refresh-pipeline';
import { RefreshHooks } from './refresh-hooks';
import type { StageName, StageRunner } from './stage';

/** The work of each stage of a refresh: the services that own it. */
export const pipelineStagesProvider: Provider = {
  provide: PIPELINE_STAGES,
  inject: [UnificationService, SegmentsService, RefreshHooks],
  useFactory: (
    unification: UnificationService,
    segments: SegmentsService,
    hooks: RefreshHooks,
  ): PipelineStages => ({
    ingest: notWiredYet('ingest'),
    unify: (ctx) => unification.runStage(ctx),
    segments: (ctx) => segments.evaluateAll(ctx),
    export: (ctx) => hooks.runExportStage(ctx),
  }),
};

/** Until the service owning a stage is committed, the stage has nothing to do. */
function notWiredYet(name: StageName): StageRunner {
  return () =>
    Promise.resolve({
      status: 'skipped',
      figures: {},
      errors: [`the ${name} stage is not available in this build`],
    });
}
