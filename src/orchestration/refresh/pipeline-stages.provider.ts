import type { Provider } from '@nestjs/common';
import { SegmentsService } from '@stages/segments/segments.service';
import { SourcesService } from '@stages/sources/sources.service';
import { UnificationService } from '@stages/unification/unification.service';
import { PIPELINE_STAGES, type PipelineStages } from './refresh-pipeline';
import { RefreshHooks } from '@stages/contract/refresh-hooks';

/** The work of each stage of a refresh: the services that own it. */
export const pipelineStagesProvider: Provider = {
  provide: PIPELINE_STAGES,
  inject: [SourcesService, UnificationService, SegmentsService, RefreshHooks],
  useFactory: (
    sources: SourcesService,
    unification: UnificationService,
    segments: SegmentsService,
    hooks: RefreshHooks,
  ): PipelineStages => ({
    ingest: (ctx) => sources.refreshAll(ctx),
    unify: (ctx) => unification.runStage(ctx),
    segments: (ctx) => segments.evaluateAll(ctx),
    export: (ctx) => hooks.runExportStage(ctx),
  }),
};
