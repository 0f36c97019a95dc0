import { MAX_STAGE_ERRORS, type RefreshRun, type StageRecord } from './refresh-run';
import type { StageEvents } from './refresh-pipeline';
import { assertStageTransition } from '@stages/contract/run-state';
import type { StageFigures, StageName, StageRunStatus } from '@stages/contract/stage';

/** Writes of live figures are at most this often (transitions are written at once). */
const PROGRESS_WRITE_MS = 500;

/**
 * Applies the pipeline's stage events to the in-memory run (checking the stage state machine)
 * and writes it through `persist`: stage transitions at once, live figures at most every
 * {@link PROGRESS_WRITE_MS}. Writes never overlap and never reorder.
 */
export class RunRecorder implements StageEvents {
  private chain: Promise<void> = Promise.resolve();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly run: RefreshRun,
    private readonly now: () => string,
    private readonly persist: (run: RefreshRun) => Promise<void>,
    private readonly onChange: (run: RefreshRun) => void = () => undefined,
  ) {}

  started(name: StageName): void {
    const stage = this.stage(name, 'running');
    stage.startedAt = this.now();
    this.writeNow();
  }

  progress(name: StageName, figures: StageFigures): void {
    const stage = this.stageOf(name);
    if (stage.status !== 'running') return;
    stage.figures = { ...stage.figures, ...figures };
    this.onChange(this.run);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.enqueue();
    }, PROGRESS_WRITE_MS);
  }

  finished(
    name: StageName,
    status: Exclude<StageRunStatus, 'pending' | 'running'>,
    result: { figures?: StageFigures; errors?: string[]; note?: string },
  ): void {
    const stage = this.stage(name, status);
    if (stage.startedAt !== null) stage.finishedAt = this.now();
    if (result.figures) stage.figures = { ...result.figures };
    const errors = result.errors ?? [];
    if (status === 'skipped') {
      // A stage with nothing to do says why ("no destinations"): a note, not an error.
      stage.note = result.note ?? (errors.length > 0 ? errors.join('; ') : null);
      stage.errors = [];
    } else {
      stage.note = result.note ?? null;
      stage.errors = errors.slice(0, MAX_STAGE_ERRORS);
      if (errors.length > MAX_STAGE_ERRORS) {
        stage.errors.push(`… and ${errors.length - MAX_STAGE_ERRORS} more`);
      }
    }
    this.writeNow();
  }

  /** Writes the run now (after any write in flight) and waits for it. */
  flush(): Promise<void> {
    this.writeNow();
    return this.chain;
  }

  private writeNow(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.onChange(this.run);
    this.enqueue();
  }

  private enqueue(): void {
    const snapshot = structuredClone(this.run);
    // persist reports its own failures; the chain must survive them for the next write.
    this.chain = this.chain.then(() => this.persist(snapshot)).catch(() => undefined);
  }

  private stage(name: StageName, to: StageRunStatus): StageRecord {
    const stage = this.stageOf(name);
    assertStageTransition(stage.status, to);
    stage.status = to;
    return stage;
  }

  private stageOf(name: StageName): StageRecord {
    const stage = this.run.stages.find((s) => s.name === name);
    if (!stage) throw new Error(`run ${this.run.id} has no ${name} stage`);
    return stage;
  }
}
