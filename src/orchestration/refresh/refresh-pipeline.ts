import {
  STAGE_NAMES,
  StageCanceled,
  type PipelineContext,
  type StageFigures,
  type StageName,
  type StageOutcome,
  type StageRunner,
  type StageRunStatus,
} from '@stages/contract/stage';

/** The work of each stage, in pipeline order (built in refresh.module.ts). */
export type PipelineStages = Record<StageName, StageRunner>;
export const PIPELINE_STAGES = Symbol('PIPELINE_STAGES');

/** Where the pipeline reports what happens to a run's stages (the run recorder). */
export interface StageEvents {
  started(stage: StageName): void;
  progress(stage: StageName, figures: StageFigures): void;
  finished(
    stage: StageName,
    status: Exclude<StageRunStatus, 'pending' | 'running'>,
    result: { figures?: StageFigures; errors?: string[]; note?: string },
  ): void;
}

export interface PipelineResult {
  status: 'succeeded' | 'partial' | 'failed' | 'canceled';
  /** Why the run failed or was canceled, in words. */
  error: string | null;
}

/**
 * Runs the stages of one refresh in order: ingest → unify → segments → export.
 *
 * - A stage that fails (answers `failed` or throws) marks the later stages `skipped` and the
 *   run `failed`.
 * - A stage with some errors but a result (`partial`) lets the pipeline go on; the run ends
 *   `partial` unless something worse happens.
 * - `skipped` (nothing to do) is not an error.
 * - A cancel (the signal) stops at the next safe point: the stage that noticed it (throwing
 *   StageCanceled) is `canceled`, the later ones `skipped`, the run `canceled`.
 */
export async function runPipeline(
  stages: PipelineStages,
  runId: string,
  signal: AbortSignal,
  events: StageEvents,
): Promise<PipelineResult> {
  let result: PipelineResult | undefined;
  let partial = false;
  const earlier: Partial<Record<StageName, StageOutcome>> = {};
  for (const name of STAGE_NAMES) {
    if (result) {
      events.finished(name, 'skipped', {
        note: result.status === 'canceled' ? 'the run was canceled' : 'an earlier stage failed',
      });
      continue;
    }
    if (signal.aborted) {
      result = { status: 'canceled', error: `canceled before the ${name} stage` };
      events.finished(name, 'skipped', { note: 'the run was canceled' });
      continue;
    }
    events.started(name);
    const ctx: PipelineContext = {
      runId,
      signal,
      earlier: { ...earlier },
      progress: (figures) => {
        events.progress(name, figures);
      },
    };
    try {
      const outcome = await stages[name](ctx);
      earlier[name] = outcome;
      events.finished(name, outcome.status, { figures: outcome.figures, errors: outcome.errors });
      if (outcome.status === 'failed') {
        result = {
          status: 'failed',
          error: `the ${name} stage failed${firstError(outcome.errors)}`,
        };
      } else if (outcome.status === 'partial') {
        partial = true;
      }
    } catch (error) {
      if (error instanceof StageCanceled || isAborted(signal)) {
        result = { status: 'canceled', error: `canceled during the ${name} stage` };
        events.finished(name, 'canceled', { note: 'stopped at a safe point' });
      } else {
        const message = error instanceof Error ? error.message : String(error);
        result = { status: 'failed', error: `the ${name} stage failed: ${message}` };
        events.finished(name, 'failed', { errors: [message] });
      }
    }
  }
  return result ?? { status: partial ? 'partial' : 'succeeded', error: null };
}

/** Read through a call so the compiler does not narrow it across awaits. */
function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}

function firstError(errors: string[]): string {
  if (errors.length === 0) return '';
  return `: ${errors[0]}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`;
}
