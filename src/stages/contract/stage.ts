/**
 * The contract between the refresh pipeline and the work of each stage (ingest, unify, segments,
 * export). A stage's service receives a context and answers with an outcome; the pipeline records
 * both on the run and decides what happens to the later stages.
 */
export type StageName = 'ingest' | 'unify' | 'segments' | 'export';

/** `skipped`: the stage did not run (an earlier stage failed, or it had nothing to do). */
export type StageStatus = 'succeeded' | 'partial' | 'failed' | 'skipped';

export type StageFigures = Record<string, number | string>;

export interface StageContext {
  /** The refresh run this work belongs to (absent when run on its own, e.g. an API upload). */
  runId?: string;
  /** Aborted when the run is canceled: stop at the next safe point and throw `StageCanceled`. */
  signal: AbortSignal;
  /** Reports live figures (rows read, customers written, members exported …). */
  progress(figures: StageFigures): void;
}

export interface StageOutcome {
  /** `succeeded`, `partial` (a result, with some errors), `failed`, or `skipped` (nothing to do). */
  status: StageStatus;
  figures: StageFigures;
  /** Errors in words, each saying what and where (`source "crm": line 12: …`). */
  errors: string[];
}

/** Thrown by stage work that stopped because its context's signal was aborted. */
export class StageCanceled extends Error {
  constructor() {
    super('canceled');
    this.name = 'StageCanceled';
  }
}

/** A context for work started outside a refresh (the API's own buttons). */
export function standaloneContext(
  signal: AbortSignal = new AbortController().signal,
): StageContext {
  return { signal, progress: () => undefined };
}

/** A stage as a refresh run records it: not yet started, running, or one of the outcomes. */
export type StageRunStatus = 'pending' | 'running' | StageStatus | 'canceled';

/** The stages of a refresh, in order. */
export const STAGE_NAMES: readonly StageName[] = ['ingest', 'unify', 'segments', 'export'];

/** What a stage of a refresh run receives: a context that always carries the run id. */
export interface PipelineContext extends StageContext {
  runId: string;
  /** Outcomes of the stages that ran before this one in the same run. */
  earlier: Partial<Record<StageName, StageOutcome>>;
}

/** The work of one stage. Throws `StageCanceled` when stopped by the signal. */
export type StageRunner = (ctx: PipelineContext) => Promise<StageOutcome>;

/**
 * What runs in the `export` stage, registered by the destinations module at start-up through
 * `RefreshHooks.registerExportStage` (src/stages/contract/refresh-hooks.ts). It exports after segments
 * were evaluated; `ctx.earlier.segments` says how that went.
 */
export type ExportStageRunner = StageRunner;
