import {
  DestinationErrorCode,
  isDestinationError,
  type DestinationPlugin,
  type DestinationRef,
} from '@audience-sync/exporter-contract';
import { Injectable, Logger } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { CUSTOMER_ID_FIELD } from '@stages/contract/customer-field';
import { CheckpointStore } from './checkpoint-store';
import type { Destination } from './destination.entity';
import type { SegmentResult } from './export-run';
import { MemberKeySql } from './member-keys';
import { MemberLogStore } from './member-log-store';
import type { MemberLogWriter } from './member-log-writer';
import { pluginErrorText } from './plugin-errors';
import { pluginLogger } from './plugin-environment';
import { effectiveRemovalLimit } from './removal-limit';
import type { SegmentInfo } from './segment-catalog';
import { SegmentJob } from './segment-job';

/** Failure messages of members kept per segment (the count is always exact). */
const MAX_MEMBER_ERRORS = 20;

export interface SegmentExportParams {
  /** The run, whose per-member log this segment writes. */
  runId: string;
  plugin: DestinationPlugin;
  destination: Destination;
  ref: DestinationRef;
  /** Undefined when the segment no longer exists. */
  segment: SegmentInfo | undefined;
  result: SegmentResult;
  fullSync: boolean;
  /** Removals past the destination's limit are allowed (an approval). */
  approveRemovals: boolean;
  signal: AbortSignal;
  /** Figures changed (the run persists them with its heartbeat). */
  onChange: () => void;
}

/**
 * Exports one segment of a run: decides whether it can be exported at all, prepares the job
 * (counts, diff against the checkpoint), hands it to the plugin and writes the figures into
 * the segment's result. A plugin's `DestinationError` fails this segment only.
 */
@Injectable()
export class SegmentExporter {
  private readonly logger = new Logger('Exports');

  constructor(
    private readonly db: Db,
    private readonly store: CheckpointStore,
    private readonly clock: Clock,
    private readonly memberLogs: MemberLogStore,
  ) {}

  async export(p: SegmentExportParams): Promise<void> {
    const r = p.result;
    const segment = p.segment;
    if (!segment) {
      this.skip(
        r,
        `Segment ${r.segmentId} no longer exists: nothing exported (remove it from the destination).`,
      );
      return;
    }
    r.segmentName = segment.name;
    if (!segment.active) {
      this.skip(
        r,
        'The segment is inactive: not exported (what was exported before stays in the target).',
      );
      return;
    }
    if (!segment.evaluatedAt) {
      this.skip(r, 'The segment has not been evaluated yet: run a refresh (or evaluate it) first.');
      return;
    }
    if (segment.stale) {
      r.notes.push(
        `The segment's rule changed after its last evaluation (${segment.evaluatedAt}): exported the membership of that evaluation.`,
      );
    }
    r.status = 'running';
    r.startedAt = this.clock.iso();
    p.onChange();

    const description = p.plugin.description;
    const snapshot = description.exportStyle === 'snapshot';
    const keyField = p.destination.contactIdField ?? CUSTOMER_ID_FIELD;
    const keys = new MemberKeySql(
      this.db.dialect,
      keyField,
      description.memberKey?.caseInsensitive === true,
    );
    let job: SegmentJob | undefined;
    let targetId: number | undefined;
    let memberLog: MemberLogWriter | undefined;
    try {
      const target = await this.store.target(p.destination.id, segment.id);
      targetId = target.id;
      memberLog = await this.memberLogs.open({
        runId: p.runId,
        destinationId: p.destination.id,
        segmentId: segment.id,
        targetId: target.id,
        keys,
      });
      if (p.fullSync) await this.store.forgetSkips(target.id);
      const counts = await this.store.counts(keys, segment.id);
      r.members = counts.members;
      r.skippedNoKey = counts.withoutKey;
      if (counts.withoutKey > 0) {
        r.notes.push(
          `${counts.withoutKey.toLocaleString('en-US')} member(s) have no ${keyField}: skipped.`,
        );
      }
      job = new SegmentJob({
        db: this.db,
        store: this.store,
        destination: p.ref,
        segment: { id: segment.id, name: segment.name, description: segment.description },
        syncMode: p.destination.syncMode,
        fullSync: p.fullSync,
        signal: p.signal,
        keys,
        target,
        counts,
        removalLimit: p.approveRemovals
          ? undefined
          : effectiveRemovalLimit(p.destination.removalLimit),
        memberLog,
        log: pluginLogger(`Export "${p.destination.displayName}" / "${segment.name}"`),
        onChange: () => {
          r.progress = { processed: job?.tally.processed ?? 0, total: job?.tally.total ?? 0 };
          if (job) this.copyRequests(r, job);
          p.onChange();
        },
      });
      await job.prepare();
      await job.checkRemovals();
      if (snapshot) job.tally.total = counts.members - counts.withoutKey;
      r.progress = { processed: 0, total: job.tally.total };
      p.onChange();

      const report = await p.plugin.exportSegment(job);
      r.target = report.target;
      r.requests = report.requests ?? job.requests.requests;
      r.throttled = report.throttled ?? job.requests.throttled;
      r.notes.push(...(report.notes ?? []));
      if (snapshot) {
        const moved = await this.store.commitPending(target.id);
        await memberLog?.settleWritten();
        r.added = moved.added;
        r.removed = moved.removed;
      } else {
        this.copyTally(r, job);
        const left = await this.store.countPending(target.id);
        if (left.adds + left.removes > 0) {
          r.notes.push(
            `${(left.adds + left.removes).toLocaleString('en-US')} change(s) were not applied by this run; the next run applies them.`,
          );
        }
      }
      r.status = r.failed > 0 ? 'partial' : 'succeeded';
    } catch (error) {
      // What the plugin reported before failing: a segment that failed after long throttling
      // shows its requests and throttled answers, not 0.
      if (job) this.copyRequests(r, job);
      if (job && !snapshot) this.copyTally(r, job);
      if (job?.held) {
        r.status = 'held';
        r.hold = job.held;
        r.progress = null;
        r.notes.push(
          `Held before any write: the export ${job.held.reason}. Approve the run (or export with approveRemovals) to let it go.`,
        );
      } else if (
        p.signal.aborted ||
        (isDestinationError(error) && error.code === DestinationErrorCode.CANCELED)
      ) {
        r.status = 'canceled';
        r.notes.push('Canceled: what landed before is kept; the next run goes on from there.');
      } else {
        r.status = 'failed';
        r.errors.push(pluginErrorText(error));
        if (!isDestinationError(error)) {
          this.logger.error(
            `Export of segment "${segment.name}" to "${p.destination.displayName}" failed: ${
              error instanceof Error ? (error.stack ?? error.message) : String(error)
            }`,
          );
        }
      }
    } finally {
      if (job) this.addJobNotes(r, job);
      await memberLog?.settleUnapplied(job?.held != null).catch(() => undefined);
      if (targetId !== undefined) await this.store.clearPending(targetId).catch(() => undefined);
      r.finishedAt = this.clock.iso();
      p.onChange();
    }
  }

  private skip(r: SegmentResult, note: string): void {
    r.status = 'skipped';
    r.notes.push(note);
  }

  private copyRequests(r: SegmentResult, job: SegmentJob): void {
    r.requests = job.requests.requests;
    r.throttled = job.requests.throttled;
  }

  private copyTally(r: SegmentResult, job: SegmentJob): void {
    const t = job.tally;
    r.added = t.exported;
    r.removed = t.removed;
    r.skippedNotFound = t.skippedNotFound;
    r.skippedInvalid = t.skippedInvalid;
    r.skippedNoKey = job.counts.withoutKey + t.skippedNoKey;
    r.failed = t.failed;
    r.progress = { processed: t.processed, total: t.total };
    const failures = t.failures.slice(0, MAX_MEMBER_ERRORS);
    r.errors = r.errors.filter((e) => !e.startsWith('member ')).concat(failures);
    if (t.failed > failures.length) {
      r.errors.push(
        `… and ${(t.failed - failures.length).toLocaleString('en-US')} more failed member(s).`,
      );
    }
  }

  private addJobNotes(r: SegmentResult, job: SegmentJob): void {
    if (job.checkpointReset) {
      r.notes.push('The target was created anew: every member was exported to it.');
    }
    for (const { unexpected, missing } of job.reconciliations) {
      r.notes.push(
        unexpected + missing === 0
          ? 'Checked the target against what was exported: no drift.'
          : `The target had drifted (${unexpected} member(s) not exported by Audience Sync, ${missing} exported member(s) missing); corrected.`,
      );
    }
  }
}
