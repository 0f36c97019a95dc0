import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { ProcessIdentity } from '@platform/locks/process-identity';
import { Clock } from '@platform/clock/clock';
import { uuidV7 } from '@platform/ids/uuid-v7';
import type { Destination } from './destination.entity';
import { DestinationsService } from './destinations.service';
import { emptySegmentResult, type ExportRun, type SegmentResult } from './export-run';
import { finalStatus, isTerminal, type ExportTrigger } from './export-run-status';
import { ExportRunStore } from './export-run-store';
import { ExportAlreadyRunning } from './export-errors';
import { ExportRunListeners } from './export-run-listeners';
import { MemberLogStore } from './member-log-store';
import { pluginErrorText } from './plugin-errors';
import { SegmentCatalog } from './segment-catalog';
import { SegmentExporter } from './segment-exporter';

/** How often the owner of a running export writes its heartbeat, figures, and looks for a cancel. */
export const EXPORT_HEARTBEAT_MS = 2_000;
/** How long a shutdown waits for running exports to stop at their next batch. */
const SHUTDOWN_WAIT_MS = 15_000;

export interface StartOptions {
  trigger: ExportTrigger;
  fullSync?: boolean;
  /** Removals past the destination's removal limit are allowed for this run. */
  approveRemovals?: boolean;
  /** Only these of the destination's segments (an approval); default: all of them. */
  segmentIds?: string[];
  /** Notes the run starts with (e.g. which held run it approves). */
  notes?: string[];
  refreshRunId?: string;
}

/** A run executing in this process. */
interface LocalRun {
  controller: AbortController;
  reason?: 'cancel' | 'shutdown';
  segments: SegmentResult[];
  done: Promise<void>;
}

/**
 * Export runs: started on demand (202 at once, the work goes on in the background) or by the
 * refresh's export stage, one queued or running run per destination across processes. Each
 * segment is exported in turn; a segment failing does not stop the others. The owner keeps a
 * heartbeat; a run left queued or running by a process that died is marked failed at the next
 * start (or when the next run of its destination finds it) and never blocks the next run.
 */
@Injectable()
export class ExportRunsService
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('Exports');
  private readonly local = new Map<string, LocalRun>();

  constructor(
    private readonly store: ExportRunStore,
    private readonly destinations: DestinationsService,
    private readonly catalog: SegmentCatalog,
    private readonly exporter: SegmentExporter,
    private readonly identity: ProcessIdentity,
    private readonly clock: Clock,
    private readonly listeners: ExportRunListeners,
    private readonly memberLogs: MemberLogStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const run of await this.store.allActive()) {
      if (this.identity.isGone(run.owner, run.heartbeatAt, this.clock.now()))
        await this.interrupt(run);
    }
  }

  /**
   * Stops the runs of this process at their next batch, at the very start of the shutdown
   * (every module's onModuleDestroy comes before any beforeApplicationShutdown, whatever the
   * order of the modules), so no batch is sent once the app is closing.
   */
  onModuleDestroy(): void {
    this.stopLocalRuns();
  }

  /** Waits (a while) for the stopped runs to record themselves as interrupted. */
  async beforeApplicationShutdown(): Promise<void> {
    // Again: a run the still-open server started after onModuleDestroy stops too.
    const running = this.stopLocalRuns();
    await Promise.race([
      Promise.allSettled(running.map((r) => r.done)),
      new Promise((resolve) => setTimeout(resolve, SHUTDOWN_WAIT_MS).unref()),
    ]);
  }

  /** Aborts this process's runs as interrupted by the shutdown; answers them. */
  private stopLocalRuns() {
    const running = [...this.local.values()];
    for (const run of running) {
      run.reason ??= 'shutdown';
      run.controller.abort();
    }
    return running;
  }

  /** Starts an export of the destination now; answers the queued run. */
  async start(destinationId: string, options: StartOptions): Promise<ExportRun> {
    const destination = await this.destinations.entity(destinationId);
    this.destinations.plugin(destination); // an unknown type fails now, not in the background
    // Asked for by a person or a client, a run of no segments would only look like a success.
    if (destination.segmentIds.length === 0 && options.trigger !== 'refresh') {
      throw AppError.conflict(
        `Nothing to export: destination "${destination.displayName}" has no segments. Choose one or more segments first.`,
      );
    }
    // Names now, so a segment not started yet reads as waiting, not as a deleted one.
    const names = await this.catalog.find(destination.segmentIds);
    const now = this.clock.iso();
    const run: ExportRun = {
      id: uuidV7(),
      destinationId,
      trigger: options.trigger,
      refreshRunId: options.refreshRunId ?? null,
      status: 'queued',
      fullSync: options.fullSync ?? false,
      approveRemovals: options.approveRemovals ?? false,
      segments: (options.segmentIds ?? destination.segmentIds).map((id) =>
        emptySegmentResult(id, names.get(id)?.name ?? null),
      ),
      notes: [...(options.notes ?? [])],
      error: null,
      createdAt: now,
      startedAt: null,
      finishedAt: null,
      cancelRequestedAt: null,
      owner: this.identity.self,
      heartbeatAt: now,
    };
    if (!(await this.store.insertQueued(run))) {
      const active = await this.store.active(destinationId);
      if (active && !this.identity.isGone(active.owner, active.heartbeatAt, this.clock.now())) {
        throw new ExportAlreadyRunning(active.id, destination.displayName);
      }
      if (active) await this.interrupt(active);
      if (!(await this.store.insertQueued(run))) {
        const again = await this.store.active(destinationId);
        throw new ExportAlreadyRunning(again?.id ?? 'unknown', destination.displayName);
      }
    }
    const local: LocalRun = {
      controller: new AbortController(),
      segments: run.segments,
      done: Promise.resolve(),
    };
    this.local.set(run.id, local);
    local.done = this.execute(run, destination, local)
      .catch((error: unknown) => {
        this.logger.error(
          `Export run ${run.id} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      })
      .finally(() => this.local.delete(run.id));
    return run;
  }

  /** Records a run that did not happen because another run of the destination was going. */
  async skip(destination: Destination, options: StartOptions, reason: string): Promise<ExportRun> {
    const now = this.clock.iso();
    const run: ExportRun = {
      id: uuidV7(),
      destinationId: destination.id,
      trigger: options.trigger,
      refreshRunId: options.refreshRunId ?? null,
      status: 'skipped',
      fullSync: options.fullSync ?? false,
      approveRemovals: options.approveRemovals ?? false,
      segments: [],
      notes: [],
      error: reason,
      createdAt: now,
      startedAt: null,
      finishedAt: now,
      cancelRequestedAt: null,
      owner: null,
      heartbeatAt: null,
    };
    await this.store.insertFinished(run);
    return run;
  }

  /** Resolves when a run of this process has ended (at once for others' runs). */
  async settled(runId: string): Promise<void> {
    await this.local.get(runId)?.done;
  }

  async get(id: string): Promise<ExportRun> {
    const run = await this.store.get(id);
    if (!run) throw AppError.notFound('Export run', id);
    const local = this.local.get(id);
    // Live figures of a run of this process (the stored ones lag by a heartbeat).
    return local && !isTerminal(run.status) ? { ...run, segments: local.segments } : run;
  }

  /** Runs of every destination, or of one refresh run, newest first. */
  listAll(filter: { refreshRunId?: string }, limit: number, before?: string): Promise<ExportRun[]> {
    return this.store.listAll(filter, limit, before);
  }

  async list(destinationId: string, limit: number, before?: string): Promise<ExportRun[]> {
    await this.destinations.entity(destinationId);
    return this.store.list(destinationId, limit, before);
  }

  /**
   * Lets the segments a run held at the removal limit go: exports them now in a new run that may
   * remove past the limit, and marks them approved by it. CONFLICT when nothing is held (or it
   * was approved already), or while another export of the destination runs.
   */
  async approve(id: string): Promise<ExportRun> {
    const run = await this.get(id);
    const held = run.segments.filter((s) => s.status === 'held' && !s.hold?.approvedAt);
    if (run.status !== 'held' || held.length === 0) {
      throw AppError.conflict(
        `Export run ${id} has no held segments to approve (it is ${run.status}${
          run.segments.some((s) => s.hold?.approvedAt)
            ? '; its held segments were approved already'
            : ''
        })`,
      );
    }
    const destination = await this.destinations.entity(run.destinationId);
    const names = held.map((s) => `"${s.segmentName ?? s.segmentId}"`).join(', ');
    const started = await this.start(run.destinationId, {
      trigger: 'api',
      approveRemovals: true,
      segmentIds: held
        .map((s) => s.segmentId)
        .filter((segmentId) => destination.segmentIds.includes(segmentId)),
      notes: [`Approves the removals held by export run ${id} (${names}).`],
    });
    const at = this.clock.iso();
    const segments = run.segments.map((s) =>
      held.includes(s) && s.hold
        ? { ...s, hold: { ...s.hold, approvedAt: at, approvedRunId: started.id } }
        : s,
    );
    await this.store.saveHeldSegments(id, segments);
    return started;
  }

  /** Asks a queued or running run to stop at its next batch (in this process or another). */
  async cancel(id: string): Promise<ExportRun> {
    const run = await this.get(id);
    if (isTerminal(run.status)) {
      throw AppError.conflict(`Export run ${id} has already ended (${run.status})`);
    }
    const at = this.clock.iso();
    await this.store.requestCancel(id, at);
    const local = this.local.get(id);
    if (local) {
      local.reason ??= 'cancel';
      local.controller.abort();
    } else if (run.status === 'queued') {
      const done = await this.store.finish(id, 'queued', 'canceled', {
        at,
        error: 'Canceled before it started.',
      });
      if (done) await this.ended(id);
    }
    return this.get(id);
  }

  private async execute(run: ExportRun, destination: Destination, local: LocalRun): Promise<void> {
    const self = this.identity.self;
    const segments = local.segments;
    const signal = local.controller.signal;
    const notes: string[] = [...run.notes];
    let beating = false;
    const beat = async () => {
      if (beating) return;
      beating = true;
      try {
        const cancel = await this.store.heartbeat(run.id, self, this.clock.iso(), segments);
        if (cancel && !signal.aborted) {
          local.reason ??= 'cancel';
          local.controller.abort();
        }
      } catch (error) {
        this.logger.warn(`Heartbeat of export run ${run.id} failed: ${(error as Error).message}`);
      } finally {
        beating = false;
      }
    };
    const timer = setInterval(() => void beat(), EXPORT_HEARTBEAT_MS);
    timer.unref();
    let status: 'queued' | 'running' = 'queued';
    try {
      if (!(await this.store.markRunning(run.id, self, this.clock.iso()))) return; // canceled while queued
      status = 'running';
      await this.purgeMemberLogs();
      const plugin = this.destinations.plugin(destination);
      const ref = await this.destinations.ref(destination);
      const found = await this.catalog.find(destination.segmentIds);
      if (run.segments.length === 0) notes.push('No segments are chosen: nothing to export.');
      if (!destination.enabled) {
        notes.push(
          'The destination is disabled (refreshes do not export it); this run was started on demand.',
        );
      }
      for (const result of segments) {
        if (signal.aborted) {
          result.status = 'canceled';
          result.notes.push('Not started: the run was stopped.');
          continue;
        }
        await this.exporter.export({
          runId: run.id,
          plugin,
          destination,
          ref,
          segment: found.get(result.segmentId),
          result,
          fullSync: run.fullSync,
          approveRemovals: run.approveRemovals,
          signal,
          onChange: () => undefined,
        });
        await beat();
      }
      const shutdown = signal.aborted && local.reason === 'shutdown';
      const final = shutdown
        ? 'failed'
        : finalStatus(
            segments.map((s) => s.status),
            signal.aborted,
          );
      const done = await this.store.finish(run.id, 'running', final, {
        at: this.clock.iso(),
        segments,
        notes,
        error: shutdown
          ? 'Interrupted: the server shut down during the export. The next run continues from where it stopped.'
          : summary(final, segments),
      });
      if (done) await this.ended(run.id);
    } catch (error) {
      this.logger.error(`Export run ${run.id} failed: ${pluginErrorText(error)}`);
      const done = await this.store.finish(run.id, status, 'failed', {
        at: this.clock.iso(),
        segments,
        notes,
        error: error instanceof Error ? error.message : String(error),
      });
      if (done) await this.ended(run.id);
    } finally {
      clearInterval(timer);
    }
  }

  /** The retention of the member log, applied as each export starts (a failure stops nothing). */
  private async purgeMemberLogs(): Promise<void> {
    try {
      await this.memberLogs.purge();
    } catch (error) {
      this.logger.warn(`Deleting old member logs failed: ${(error as Error).message}`);
    }
  }

  /** Marks a run whose process died as failed (interrupted). */
  private async interrupt(run: ExportRun): Promise<void> {
    const who = run.owner ? `${run.owner.host}, pid ${run.owner.pid}` : 'unknown';
    const segments = run.segments.map((s) =>
      s.status === 'running' || s.status === 'pending'
        ? {
            ...s,
            status: 'failed' as const,
            errors: [...s.errors, 'Interrupted: the process running the export stopped.'],
          }
        : s,
    );
    const done = await this.store.finish(run.id, run.status, 'failed', {
      at: this.clock.iso(),
      segments,
      error: `Interrupted: the process that ran this export (${who}) stopped before it finished. The next run continues from where it stopped.`,
    });
    await this.memberLogs.settleRun(run.id);
    if (done) {
      this.logger.warn(
        `Export run ${run.id} was left ${run.status} by a process that is gone: marked failed.`,
      );
      await this.ended(run.id);
    }
  }

  /** Tells the listeners (notifications) that a run ended, as stored. */
  private async ended(id: string): Promise<void> {
    const run = await this.store.get(id);
    if (!run) return;
    const previousStatus = await this.store.previousEnded(run.destinationId, run.id);
    await this.listeners.ended({ run, previousStatus });
  }
}

function summary(status: ExportRun['status'], segments: SegmentResult[]): string | null {
  const failed = segments.filter((s) => s.status === 'failed');
  const partial = segments.filter((s) => s.status === 'partial');
  switch (status) {
    case 'failed':
      return failed.length > 0
        ? `Every exported segment failed: ${failed.map(describeFailure).join('; ')}`
        : 'The export failed.';
    case 'partial': {
      const parts: string[] = [];
      if (failed.length > 0)
        parts.push(
          `${failed.length} of ${segments.length} segment(s) failed: ${failed.map(describeFailure).join('; ')}`,
        );
      if (partial.length > 0)
        parts.push(
          `some members failed in ${partial.map((s) => `"${s.segmentName ?? s.segmentId}"`).join(', ')}`,
        );
      return parts.join('; ');
    }
    case 'canceled':
      return 'Canceled: what landed before is kept; the next run goes on from there.';
    case 'held': {
      const held = segments.filter((s) => s.status === 'held');
      const parts = [
        `${held.length} of ${segments.length} segment(s) held before any write: ${held
          .map(
            (s) =>
              `"${s.segmentName ?? s.segmentId}" ${s.hold?.reason ?? 'is over the removal limit'}`,
          )
          .join('; ')}. Approve the run to let them go.`,
      ];
      if (failed.length > 0)
        parts.push(`${failed.length} segment(s) failed: ${failed.map(describeFailure).join('; ')}`);
      return parts.join(' ');
    }
    case 'queued':
    case 'running':
    case 'succeeded':
    case 'skipped':
      return null;
  }
}

function describeFailure(s: SegmentResult): string {
  return `"${s.segmentName ?? s.segmentId}": ${s.errors[0] ?? 'failed'}`;
}
