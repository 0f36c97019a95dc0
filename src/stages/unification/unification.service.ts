import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import { RunLocks, type LockHolder } from '@platform/locks/run-locks';
import {
  StageCanceled,
  standaloneContext,
  type StageContext,
  type StageFigures,
  type StageOutcome,
} from '@stages/contract/stage';
import { SettingsService } from '@platform/settings/settings.service';
import { CustomerFieldsService } from '@stages/customers/customer-fields.service';
import { Pacer } from './pacer';
import type { UnificationConfig } from './unification-config';
import { UnificationConfigService } from './unification-config.service';
import { UnificationEngine, type EngineFigures } from './unification-engine';

const UNIFICATION_LOCK = 'unification';
const LAST_RUN_KEY = 'unification.lastRun';
/** How often a refresh stage looks again while another unification runs. */
const WAIT_POLL_MS = 1_000;

export type UnificationRunStatus = 'succeeded' | 'partial' | 'failed' | 'canceled';

/** The answer of `POST /api/unification/run` and the record of the last run. */
export interface UnificationRun extends Partial<EngineFigures> {
  status: UnificationRunStatus;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  /** Why the run failed (failed or canceled runs only). */
  error?: string;
  warnings: string[];
}

export interface UnificationStatus {
  /** The run going on now (in this process or another one sharing the database), if any. */
  running: {
    startedAt: string;
    /** `this process` or `host:pid` of the process running it. */
    runner: string;
    progress?: Record<string, number | string>;
  } | null;
  lastRun: UnificationRun | null;
}

interface ActiveRun {
  startedAt: string;
  progress: Record<string, number | string>;
  controller: AbortController;
}

/**
 * Runs unification: one run at a time across every process using the database (the run lock
 * `unification`), on demand from the API or as the `unify` stage of a refresh. The last run's
 * figures are kept.
 */
@Injectable()
export class UnificationService {
  private readonly logger = new Logger('Unification');
  private active?: ActiveRun;

  constructor(
    private readonly db: Db,
    private readonly configs: UnificationConfigService,
    private readonly fields: CustomerFieldsService,
    private readonly settings: SettingsService,
    private readonly locks: RunLocks,
  ) {}

  /** Runs unification now; CONFLICT when one is already running. */
  async run(ctx: StageContext = standaloneContext()): Promise<UnificationRun> {
    const attempt = await this.locks.tryAcquire(UNIFICATION_LOCK, 'unification');
    if (!attempt.acquired) throw busy(attempt.holder, this.active);
    return this.execute(ctx, () => attempt.handle.release());
  }

  /**
   * The `unify` stage of the refresh pipeline. When another unification is running it waits
   * for it to end (a refresh must unify the data it has just ingested), then runs.
   */
  async runStage(ctx: StageContext): Promise<StageOutcome> {
    let release: () => Promise<void>;
    for (;;) {
      if (ctx.signal.aborted) throw new StageCanceled();
      const attempt = await this.locks.tryAcquire(UNIFICATION_LOCK, 'unification');
      if (attempt.acquired) {
        release = () => attempt.handle.release();
        break;
      }
      ctx.progress({ phase: 'waiting for the unification that is running to end' });
      await sleep(WAIT_POLL_MS, undefined, { signal: ctx.signal }).catch(() => undefined);
    }
    try {
      const run = await this.execute(ctx, release);
      return {
        status: run.status === 'partial' ? 'partial' : 'succeeded',
        figures: stageFigures(run),
        errors: run.warnings,
      };
    } catch (error) {
      if (error instanceof StageCanceled) throw error;
      return { status: 'failed', figures: {}, errors: [`unification failed: ${message(error)}`] };
    }
  }

  /** Asks the run going on in this process to stop at its next safe point. */
  cancel(): { canceled: true; startedAt: string } {
    if (!this.active) throw AppError.conflict('No unification is running in this server');
    this.active.controller.abort();
    return { canceled: true, startedAt: this.active.startedAt };
  }

  async status(): Promise<UnificationStatus> {
    const lastRun = (await this.settings.get<UnificationRun>(LAST_RUN_KEY)) ?? null;
    if (this.active) {
      return {
        running: {
          startedAt: this.active.startedAt,
          runner: 'this process',
          progress: this.active.progress,
        },
        lastRun,
      };
    }
    const holder = await this.locks.holder(UNIFICATION_LOCK);
    return {
      running: holder
        ? { startedAt: holder.acquiredAt, runner: `${holder.host}:${holder.pid}` }
        : null,
      lastRun,
    };
  }

  private async execute(ctx: StageContext, release: () => Promise<void>): Promise<UnificationRun> {
    const started = new Date();
    const controller = new AbortController();
    const signal = AbortSignal.any([ctx.signal, controller.signal]);
    const active: ActiveRun = { startedAt: started.toISOString(), progress: {}, controller };
    this.active = active;
    const finish = (fields: Omit<UnificationRun, 'startedAt' | 'finishedAt' | 'durationMs'>) => {
      const finished = new Date();
      return {
        ...fields,
        startedAt: started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - started.getTime(),
      };
    };
    try {
      const config = await this.configs.current();
      const configWarnings = await this.configWarnings(config);
      const figures = await new UnificationEngine(this.db).run(config, new Pacer(signal), (p) => {
        active.progress = p;
        ctx.progress(p);
      });
      const warnings = [...configWarnings, ...figures.warnings];
      const run = finish({
        status: warnings.length > 0 ? 'partial' : 'succeeded',
        ...figures,
        warnings,
      });
      await this.settings.set(LAST_RUN_KEY, run);
      this.logger.log(
        `unified ${figures.sourceRecords} records into ${figures.customers} customers in ${run.durationMs} ms`,
      );
      return run;
    } catch (error) {
      const canceled = error instanceof StageCanceled;
      const run = finish({
        status: canceled ? 'canceled' : 'failed',
        error: canceled
          ? 'canceled; customers written before the cancel are kept (each one whole), the next run completes the rest'
          : message(error),
        warnings: [],
      });
      if (!canceled)
        this.logger.error(
          `unification failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      await this.settings.set(LAST_RUN_KEY, run).catch(() => undefined);
      throw error;
    } finally {
      this.active = undefined;
      await release().catch((e: unknown) => {
        this.logger.warn(`could not release the unification lock: ${message(e)}`);
      });
    }
  }

  /** Parts of the configuration that no longer fit the sources (fields unmapped since). */
  private async configWarnings(config: UnificationConfig): Promise<string[]> {
    const fields = new Set((await this.fields.list()).map((f) => f.name));
    const warnings: string[] = [];
    config.rules.forEach((rule, r) => {
      rule.conditions.forEach((condition, c) => {
        if (!fields.has(condition.field)) {
          warnings.push(
            `rules[${r}].conditions[${c}].field: no source maps "${condition.field}" any more, so rule "${rule.name}" matches nothing`,
          );
        }
      });
    });
    return warnings;
  }
}

function busy(holder: LockHolder, active: ActiveRun | undefined): AppError {
  const where = active ? 'in this server' : `by ${holder.host} (pid ${holder.pid})`;
  return AppError.conflict(
    `A unification is already running (started ${holder.acquiredAt} ${where}); wait for it to finish`,
  );
}

function stageFigures(run: UnificationRun): StageFigures {
  const figures: StageFigures = {};
  for (const [key, value] of Object.entries(run)) {
    if (typeof value === 'number') figures[key] = value;
  }
  for (const rule of run.rules ?? []) figures[`merges[${rule.rule}]`] = rule.merges;
  return figures;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
