import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { ProcessIdentity } from '@platform/locks/process-identity';
import type { RunLockHandle } from '@platform/locks/run-lock-handle';
import { RunLocks } from '@platform/locks/run-locks';
import { Clock } from '@platform/clock/clock';
import { uuidV7 } from '@platform/ids/uuid-v7';
import { RefreshAlreadyRunning } from './refresh-errors';
import { PIPELINE_STAGES, runPipeline, type PipelineStages } from './refresh-pipeline';
import type { RefreshRun, StageRecord } from './refresh-run';
import { RunRecorder } from './run-recorder';
import { assertTransition, isTerminal, type RunTrigger } from '@stages/contract/run-state';
import { RunStore } from './run-store';
import { STAGE_NAMES } from '@stages/contract/stage';

/** How long a shutdown waits for the runs of this process to stop at a safe point. */
const SHUTDOWN_WAIT_MS = 15_000;
/** How often the owner of a running refresh writes its heartbeat (and looks for a cancel). */
const HEARTBEAT_MS = 2_000;
/** The run lock that makes "one refresh at a time" hold across processes. */
const REFRESH_LOCK = 'refresh';

interface LocalRun {
  run: RefreshRun;
  /** Set once the run's end is being written: heartbeats and late writes no longer count. */
  ending: boolean;
  controller: AbortController;
  lock: RunLockHandle;
  done: Promise<RefreshRun>;
  listeners: Set<(run: RefreshRun) => void>;
}

/**
 * Refresh runs: start (one at a time across every process sharing the database: the run lock
 * `refresh`), run the pipeline in this process, record live progress, cancel, list. The API,
 * the schedule and the CLI all go through this service.
 *
 * Crash safety: the process running a refresh holds the lock for the whole run. A queued or
 * running run found while the lock is free (at start-up, at a start, at a cancel) lost its
 * process and is marked `failed` (interrupted). A live owner in another process (the CLI)
 * holds the lock and is left alone.
 */
@Injectable()
export class RefreshService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Refresh');
  private readonly local = new Map<string, LocalRun>();

  constructor(
    private readonly store: RunStore,
    private readonly identity: ProcessIdentity,
    private readonly locks: RunLocks,
    private readonly clock: Clock,
    @Inject(PIPELINE_STAGES) private readonly stages: PipelineStages,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const active = await this.store.active();
    if (active) await this.failIfAbandoned(active);
  }

  async beforeApplicationShutdown(): Promise<void> {
    const runs = [...this.local.values()];
    for (const local of runs) local.controller.abort();
    const all = Promise.all(runs.map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      all,
      new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_WAIT_MS))),
    ]);
    clearTimeout(timer);
  }

  /**
   * Starts a refresh now; it runs in this process. Throws {@link RefreshAlreadyRunning} while
   * another run holds the slot. `onUpdate` hears every change of the run (the CLI prints them).
   */
  async start(trigger: RunTrigger, onUpdate?: (run: RefreshRun) => void): Promise<RefreshRun> {
    const run = this.newRun(trigger);
    const attempt = await this.locks.tryAcquire(REFRESH_LOCK, run.id);
    if (!attempt.acquired) throw new RefreshAlreadyRunning(attempt.holder.owner);
    const lock = attempt.handle;
    try {
      // With the lock held, a run still queued or running is one whose process died.
      const left = await this.store.active();
      if (left) await this.failAbandoned(left);
      if (!(await this.store.insertQueued(run))) {
        throw AppError.conflict('Could not start a refresh: the run slot is taken; try again');
      }
    } catch (error) {
      await lock.release();
      throw error;
    }
    this.launch(run, lock, onUpdate);
    return structuredClone(run);
  }

  /**
   * Starts a refresh for the schedule. When one is already running the scheduled one is
   * recorded as `skipped` (trigger `schedule`) instead of being queued behind it.
   */
  async startScheduled(): Promise<RefreshRun> {
    try {
      return await this.start('schedule');
    } catch (error) {
      if (!(error instanceof RefreshAlreadyRunning)) throw error;
      const at = this.clock.iso();
      const run: RefreshRun = {
        ...this.newRun('schedule'),
        status: 'skipped',
        owner: null,
        heartbeatAt: null,
        startedAt: null,
        finishedAt: at,
        error: `another refresh was running (run ${error.runningRunId})`,
        stages: STAGE_NAMES.map((name) => stageRecord(name, 'skipped', 'the refresh was skipped')),
      };
      await this.store.insertFinished(run);
      this.logger.warn(`Scheduled refresh skipped: run ${error.runningRunId} was still running`);
      return run;
    }
  }

  async get(id: string): Promise<RefreshRun> {
    const local = this.local.get(id);
    if (local) return structuredClone(local.run);
    const run = await this.store.get(id);
    if (!run) throw AppError.notFound('Refresh run', id);
    return run;
  }

  /** Runs newest first; `before` is the id of the last run of the previous page. */
  async list(limit: number, before?: string): Promise<RefreshRun[]> {
    const runs = await this.store.list(limit, before);
    return runs.map((r) => {
      const local = this.local.get(r.id);
      return local ? structuredClone(local.run) : r;
    });
  }

  /** Resolves when a run started by this process ends. */
  async wait(id: string): Promise<RefreshRun> {
    const local = this.local.get(id);
    return local ? local.done : this.get(id);
  }

  /**
   * Asks a queued or running refresh to stop at its next safe point. In this process the signal
   * fires at once; a run of another process (the CLI) sees the request at its next heartbeat.
   */
  async cancel(id: string): Promise<RefreshRun> {
    const run = await this.get(id);
    if (isTerminal(run.status)) {
      throw AppError.conflict(`Refresh run ${id} has already ended (${run.status})`);
    }
    await this.store.requestCancel(id, this.clock.iso());
    const local = this.local.get(id);
    if (local) {
      local.run.cancelRequestedAt ??= this.clock.iso();
      local.controller.abort();
      return structuredClone(local.run);
    }
    // A run whose process is gone will never see the request: it is failed (interrupted) now.
    await this.failIfAbandoned(run);
    return this.get(id);
  }

  private newRun(trigger: RunTrigger): RefreshRun {
    const now = this.clock.iso();
    return {
      id: uuidV7(),
      trigger,
      status: 'queued',
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      error: null,
      cancelRequestedAt: null,
      owner: this.identity.self,
      heartbeatAt: now,
      stages: STAGE_NAMES.map((name) => stageRecord(name, 'pending', null)),
    };
  }

  private launch(run: RefreshRun, lock: RunLockHandle, onUpdate?: (run: RefreshRun) => void): void {
    const controller = new AbortController();
    const listeners = new Set<(run: RefreshRun) => void>();
    if (onUpdate) listeners.add(onUpdate);
    const local: LocalRun = {
      run,
      controller,
      lock,
      listeners,
      ending: false,
      done: Promise.resolve(run),
    };
    this.local.set(run.id, local);
    lock.onLost(() => {
      this.lost(local);
    });
    local.done = this.execute(local).finally(async () => {
      this.local.delete(run.id);
      await this.releaseLock(local);
    });
  }

  private async execute(local: LocalRun): Promise<RefreshRun> {
    const { run, controller } = local;
    const notify = (r: RefreshRun) => {
      for (const listener of local.listeners) listener(structuredClone(r));
    };
    const recorder = new RunRecorder(
      run,
      () => this.clock.iso(),
      (r) => this.persist(r, local),
      notify,
    );
    const heartbeat = setInterval(() => void this.beat(local), HEARTBEAT_MS);
    heartbeat.unref();
    try {
      let result: { status: RefreshRun['status']; error: string | null };
      if (controller.signal.aborted) {
        result = { status: 'canceled', error: 'canceled before it started' };
        for (const stage of run.stages)
          Object.assign(stage, { status: 'skipped', note: 'the run was canceled' });
      } else {
        assertTransition(run.status, 'running');
        run.status = 'running';
        run.startedAt = this.clock.iso();
        await recorder.flush();
        this.logger.log(`Refresh ${run.id} (${run.trigger}) started`);
        result = await runPipeline(this.stages, run.id, controller.signal, recorder).catch(
          (error: unknown) => ({
            status: 'failed' as const,
            error: `the pipeline failed: ${String(error)}`,
          }),
        );
        await recorder.flush();
      }
      // The end is written, then the lock given back, before this process shows it: once a run
      // reads as ended here, the next start succeeds.
      const final = structuredClone(run);
      this.finish(final, result.status, result.error);
      local.ending = true;
      await this.persist(final, local);
      await this.releaseLock(local);
      Object.assign(run, final);
      notify(run);
      this.logger.log(`Refresh ${run.id} ${run.status}${run.error ? `: ${run.error}` : ''}`);
    } finally {
      clearInterval(heartbeat);
    }
    return structuredClone(run);
  }

  private async releaseLock(local: LocalRun): Promise<void> {
    await local.lock.release().catch((error: unknown) => {
      this.logger.warn(`Refresh ${local.run.id}: could not release the run lock: ${String(error)}`);
    });
  }

  private finish(run: RefreshRun, status: RefreshRun['status'], error: string | null): void {
    assertTransition(run.status, status);
    run.status = status;
    run.error = error;
    run.finishedAt = this.clock.iso();
  }

  /** Writes the run as its owner; a run taken from this process (thought dead) is stopped. */
  private async persist(run: RefreshRun, local: LocalRun): Promise<void> {
    try {
      run.heartbeatAt = this.clock.iso();
      if (!(await this.store.save(run))) this.lost(local);
    } catch (error) {
      this.logger.error(`Could not record refresh ${run.id}: ${String(error)}`);
    }
  }

  private async beat(local: LocalRun): Promise<void> {
    const { run, controller } = local;
    try {
      const state = await this.store.heartbeat(run.id, this.identity.self, this.clock.iso());
      if (!state.owned) {
        this.lost(local);
      } else if (state.cancelRequested && !controller.signal.aborted) {
        this.logger.log(`Refresh ${run.id}: cancel requested`);
        local.run.cancelRequestedAt ??= this.clock.iso();
        controller.abort();
      }
    } catch (error) {
      this.logger.warn(`Refresh ${run.id}: heartbeat failed: ${String(error)}`);
    }
  }

  private lost(local: LocalRun): void {
    if (local.ending || local.controller.signal.aborted) return;
    this.logger.error(
      `Refresh ${local.run.id} was taken over (marked interrupted by another process); stopping it`,
    );
    local.controller.abort();
  }

  /**
   * Fails a queued/running run whose process is gone, which is so when the refresh lock is free;
   * answers whether it did.
   */
  private async failIfAbandoned(run: RefreshRun): Promise<boolean> {
    if (this.local.has(run.id)) return false;
    const attempt = await this.locks.tryAcquire(REFRESH_LOCK, run.id);
    if (!attempt.acquired) return false;
    try {
      await this.failAbandoned(run);
    } finally {
      await attempt.handle.release();
    }
    return true;
  }

  /** Marks a run interrupted; the caller holds the refresh lock. */
  private async failAbandoned(run: RefreshRun): Promise<void> {
    const who = run.owner ? `${run.owner.host} pid ${run.owner.pid}` : 'an unknown process';
    const failed = await this.store.failAbandoned(
      run,
      `interrupted: the process running it (${who}) stopped`,
      this.clock.iso(),
    );
    if (failed)
      this.logger.warn(
        `Refresh ${run.id} was left ${run.status} by ${who}; marked failed (interrupted)`,
      );
  }
}

function stageRecord(
  name: StageRecord['name'],
  status: StageRecord['status'],
  note: string | null,
): StageRecord {
  return { name, status, startedAt: null, finishedAt: null, figures: {}, errors: [], note };
}
