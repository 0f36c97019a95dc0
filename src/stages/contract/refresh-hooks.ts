import { Injectable, Logger } from '@nestjs/common';
import {
  StageCanceled,
  type ExportStageRunner,
  type PipelineContext,
  type StageFigures,
  type StageOutcome,
  type StageStatus,
} from './stage';

/**
 * The extension point of the refresh pipeline: what runs in its `export` stage. The
 * destinations module imports RefreshModule and registers its runner at start-up
 * (`onModuleInit`), so the pipeline never depends on destinations:
 *
 * ```ts
 * constructor(hooks: RefreshHooks, exports: ExportRunsService) {}
 * onModuleInit() { this.hooks.registerExportStage('destinations', (ctx) => this.exports.afterRefresh(ctx)); }
 * ```
 *
 * With nothing registered the stage is `skipped` ("no destinations"). A runner answers a
 * StageOutcome (`partial` when one destination of several failed); with several runners their
 * outcomes are combined (see {@link combine}).
 */
@Injectable()
export class RefreshHooks {
  private readonly logger = new Logger('Refresh');
  private readonly exporters = new Map<string, ExportStageRunner>();

  /** Registers the work of the export stage under a name; answers a function that removes it. */
  registerExportStage(name: string, runner: ExportStageRunner): () => void {
    if (this.exporters.has(name)) {
      throw new Error(`an export stage named "${name}" is already registered`);
    }
    this.exporters.set(name, runner);
    return () => {
      if (this.exporters.get(name) === runner) this.exporters.delete(name);
    };
  }

  /** Names of the registered export-stage runners. */
  registered(): string[] {
    return [...this.exporters.keys()];
  }

  /** The `export` stage: every registered runner in turn. */
  async runExportStage(ctx: PipelineContext): Promise<StageOutcome> {
    const runners = [...this.exporters.entries()];
    if (runners.length === 0) {
      return { status: 'skipped', figures: {}, errors: ['no destinations'] };
    }
    if (runners.length === 1) return runners[0][1](ctx);
    const outcomes: [string, StageOutcome][] = [];
    for (const [name, runner] of runners) {
      if (ctx.signal.aborted) throw new StageCanceled();
      try {
        outcomes.push([name, await runner(ctx)]);
      } catch (error) {
        if (error instanceof StageCanceled) throw error;
        this.logger.error(`Export stage "${name}" failed: ${String(error)}`);
        outcomes.push([name, { status: 'failed', figures: {}, errors: [errorText(error)] }]);
      }
    }
    return combine(outcomes);
  }
}

/**
 * The outcome of several runners: figures merged (a key reported by more than one runner is
 * prefixed with the runner's name), errors prefixed with it; runners that had nothing to do do
 * not count (nor do their reasons): the stage is `skipped` if all of them were, `failed` if every other one failed,
 * `partial` if some failed or were partial.
 */
function combine(outcomes: [string, StageOutcome][]): StageOutcome {
  const figures: StageFigures = {};
  const owners = new Map<string, number>();
  for (const [, outcome] of outcomes) {
    for (const key of Object.keys(outcome.figures)) owners.set(key, (owners.get(key) ?? 0) + 1);
  }
  const ran = outcomes.map(([, o]) => o.status).filter((s) => s !== 'skipped');
  const errors: string[] = [];
  for (const [name, outcome] of outcomes) {
    for (const [key, value] of Object.entries(outcome.figures)) {
      figures[(owners.get(key) ?? 0) > 1 ? `${name}.${key}` : key] = value;
    }
    // A runner with nothing to do gives a reason, not an error (unless all had nothing to do).
    if (outcome.status !== 'skipped' || ran.length === 0) {
      errors.push(...outcome.errors.map((e) => `${name}: ${e}`));
    }
  }
  const status: StageStatus =
    ran.length === 0
      ? 'skipped'
      : ran.every((s) => s === 'failed')
        ? 'failed'
        : ran.some((s) => s === 'failed' || s === 'partial')
          ? 'partial'
          : 'succeeded';
  return { status, figures, errors };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
