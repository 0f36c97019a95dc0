import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { RefreshHooks } from '../refresh/refresh-hooks';
import {
  StageCanceled,
  type PipelineContext,
  type StageFigures,
  type StageOutcome,
} from '../refresh/stage';
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
    const finished: { destination: Destination; run: ExportRun }[] = [];
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
          finished.push({ destination: d, run: await this.exportOne(d, ctx, started) });
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
    d: Destination,
    ctx: PipelineContext,
    started: Set<string>,
  ): Promise<ExportRun> {
    const options = { trigger: 'refresh' as const, refreshRunId: ctx.runId };
    try {
      const run = await this.runs.start(d.id, options);
      started.add(run.id);
      await this.runs.settled(run.id);
      return await this.runs.get(run.id);
    } catch (error) {
      if (error instanceof ExportAlreadyRunning) {
        return this.runs.skip(
          d,
          options,
          `Skipped: another export of this destination was running (run ${error.runningRunId}).`,
        );
      }
      this.logger.error(
        `Export of destination "${d.displayName}" could not start: ${(error as Error).message}`,
      );
      return {
        ...(await this.runs.skip(d, options, `Could not start: ${(error as Error).message}`)),
        status: 'failed',
      };
    }
  }
}

function figures(done: { run: ExportRun }[], total: number): StageFigures {
  const count = (status: ExportRun['status']) => done.filter((d) => d.run.status === status).length;
  const sum = (pick: (s: ExportRun['segments'][number]) => number) =>
    done.reduce((n, d) => n + d.run.segments.reduce((m, s) => m + pick(s), 0), 0);
  return {
    destinations: total,
    exported: done.length,
    succeeded: count('succeeded'),
    partial: count('partial'),
    failed: count('failed') + count('canceled'),
    skipped: count('skipped'),
    membersAdded: sum((s) => s.added),
    membersRemoved: sum((s) => s.removed),
    skippedNoKey: sum((s) => s.skippedNoKey),
    skippedNotFound: sum((s) => s.skippedNotFound),
    membersFailed: sum((s) => s.failed),
  };
}

function outcome(
  done: { destination: Destination; run: ExportRun }[],
  total: number,
): StageOutcome {
  const errors: string[] = [];
  for (const { destination, run } of done) {
    if (run.status === 'succeeded') continue;
    errors.push(
      `destination "${destination.displayName}": ${run.error ?? run.status} (export run ${run.id})`,
    );
  }
  const statuses = done.map((d) => d.run.status);
  const status = statuses.every((s) => s === 'succeeded')
    ? 'succeeded'
    : statuses.every((s) => s === 'skipped')
      ? 'skipped'
      : statuses.every((s) => s === 'failed' || s === 'canceled')
        ? 'failed'
        : 'partial';
  return { status, figures: figures(done, total), errors };
}
