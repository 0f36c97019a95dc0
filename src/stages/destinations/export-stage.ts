import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RefreshHooks } from '@stages/contract/refresh-hooks';
import {
  StageCanceled,
  type PipelineContext,
  type StageFigures,
  type StageOutcome,
} from '@stages/contract/stage';
import type { Destination } from './destination.entity';
import { DestinationsService } from './destinations.service';
import type { ExportRun } from './export-run';
import { ExportAlreadyRunning } from './export-errors';
import { ExportRunsService } from './export-runs.service';

/** Destinations exported at the same time by one refresh (each runs its segments in turn). */
const PARALLEL_DESTINATIONS = 2;

/**
 * The refresh's export stage: every enabled destination gets an export run (trigger
 * `refresh`, linked to the refresh run). One destination failing does not stop the others;
 * the stage is `partial` then. A destination still busy with an earlier export gets a
 * `skipped` run. Canceling the refresh cancels its export runs.
 */
@Injectable()
export class ExportStage implements OnModuleInit {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly hooks: RefreshHooks,
    private readonly destinations: DestinationsService,
    private readonly runs: ExportRunsService,
  ) {}

  onModuleInit(): void {
    this.hooks.registerExportStage('destinations', (ctx) => this.run(ctx));
  }

  async run(ctx: PipelineContext): Promise<StageOutcome> {
    const destinations = await this.destinations.enabled();
    if (destinations.length === 0) {
      const none = (await this.destinations.count()) === 0;
      return {
        status: 'skipped',
        figures: { destinations: 0 },
        errors: [none ? 'no destinations' : 'no enabled destinations'],
      };
    }
    const finished: Finished[] = [];
    const started = new Set<string>();
    const cancelAll = () => {
      for (const id of started) void this.runs.cancel(id).catch(() => undefined);
    };
    ctx.signal.addEventListener('abort', cancelAll, { once: true });
    try {
      const queue = [...destinations];
      const worker = async () => {
        for (let d = queue.shift(); d; d = queue.shift()) {
          if (ctx.signal.aborted) return;
          finished.push(await this.exportOne(d, ctx, started));
          ctx.progress(figures(finished, destinations.length));
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(PARALLEL_DESTINATIONS, destinations.length) }, worker),
      );
    } finally {
      ctx.signal.removeEventListener('abort', cancelAll);
    }
    if (ctx.signal.aborted) throw new StageCanceled();
    return outcome(finished, destinations.length);
  }

  private async exportOne(
    destination: Destination,
    ctx: PipelineContext,
    started: Set<string>,
  ): Promise<Finished> {
    const options = { trigger: 'refresh' as const, refreshRunId: ctx.runId };
    try {
      const run = await this.runs.start(destination.id, options);
      started.add(run.id);
      // A cancel that came while this run was being started.
      if (ctx.signal.aborted) await this.runs.cancel(run.id).catch(() => undefined);
      await this.runs.settled(run.id);
      return { destination, run: await this.runs.get(run.id) };
    } catch (error) {
      if (error instanceof ExportAlreadyRunning) {
        const reason = `Skipped: another export of this destination was running (run ${error.runningRunId}).`;
        return { destination, run: await this.runs.skip(destination, options, reason) };
      }
      // E.g. its type is no longer installed: recorded as a skipped run, counted as failed.
      const reason = `Could not start: ${(error as Error).message}`;
      this.logger.error(`Export of destination "${destination.displayName}": ${reason}`);
      return {
        destination,
        run: await this.runs.skip(destination, options, reason),
        failedToStart: true,
      };
    }
  }
}

interface Finished {
  destination: Destination;
  run: ExportRun;
  failedToStart?: boolean;
}

/** The status the stage counts a destination under. */
function statusOf(f: Finished): ExportRun['status'] {
  return f.failedToStart ? 'failed' : f.run.status;
}

function figures(done: Finished[], total: number): StageFigures {
  const count = (status: ExportRun['status']) => done.filter((d) => statusOf(d) === status).length;
  const sum = (pick: (s: ExportRun['segments'][number]) => number) =>
    done.reduce((n, d) => n + d.run.segments.reduce((m, s) => m + pick(s), 0), 0);
  return {
    destinations: total,
    exported: done.length,
    succeeded: count('succeeded'),
    partial: count('partial'),
    held: count('held'),
    failed: count('failed') + count('canceled'),
    skipped: count('skipped'),
    membersAdded: sum((s) => s.added),
    membersRemoved: sum((s) => s.removed),
    skippedNoKey: sum((s) => s.skippedNoKey),
    skippedNotFound: sum((s) => s.skippedNotFound),
    membersFailed: sum((s) => s.failed),
  };
}

function outcome(done: Finished[], total: number): StageOutcome {
  const errors: string[] = [];
  for (const { destination, run } of done) {
    if (run.status === 'succeeded') continue;
    errors.push(
      `destination "${destination.displayName}": ${run.error ?? run.status} (export run ${run.id})`,
    );
  }
  const statuses = done.map(statusOf);
  const status = statuses.every((s) => s === 'succeeded')
    ? 'succeeded'
    : statuses.every((s) => s === 'skipped')
      ? 'skipped'
      : statuses.every((s) => s === 'failed' || s === 'canceled')
        ? 'failed'
        : 'partial';
  return { status, figures: figures(done, total), errors };
}
