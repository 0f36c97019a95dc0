import { Injectable } from '@nestjs/common';
import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { CUSTOMER_ID_FIELD } from '@stages/contract/customer-field';
import { CheckpointStore } from './checkpoint-store';
import type { Destination } from './destination.entity';
import { DestinationsService } from './destinations.service';
import type { DryRunSegment, DryRunView } from './dry-run';
import { DryRunQueries } from './dry-run-queries';
import { MemberKeySql } from './member-keys';
import { effectiveRemovalLimit, removalsOverLimit } from './removal-limit';
import { SegmentCatalog, type SegmentInfo } from './segment-catalog';

/**
 * The dry run of a destination: what an export would do to each of its segments, computed
 * from the membership and the checkpoint with read-only SQL, without a request to the target
 * and without a write anywhere. It assumes the target still holds what the checkpoint says (a
 * list changed by hand in the target is found and corrected by the export itself).
 */
@Injectable()
export class DryRunService {
  constructor(
    private readonly db: Db,
    private readonly destinations: DestinationsService,
    private readonly catalog: SegmentCatalog,
    private readonly store: CheckpointStore,
    private readonly clock: Clock,
  ) {}

  async run(destinationId: string): Promise<DryRunView> {
    const destination = await this.destinations.entity(destinationId);
    const found = await this.catalog.find(destination.segmentIds);
    const segments: DryRunSegment[] = [];
    for (const segmentId of destination.segmentIds) {
      segments.push(await this.segment(destination, segmentId, found.get(segmentId)));
    }
    const sum = (pick: (s: DryRunSegment) => number) => segments.reduce((n, s) => n + pick(s), 0);
    return {
      destinationId,
      syncMode: destination.syncMode,
      computedAt: this.clock.iso(),
      segments,
      totals: {
        members: sum((s) => s.members),
        toAdd: sum((s) => s.toAdd),
        toRemove: sum((s) => s.toRemove),
        held: segments.filter((s) => s.status === 'held').length,
      },
    };
  }

  private async segment(
    destination: Destination,
    segmentId: string,
    segment: SegmentInfo | undefined,
  ): Promise<DryRunSegment> {
    const empty: DryRunSegment = {
      segmentId,
      segmentName: segment?.name ?? null,
      status: 'skipped',
      reason: null,
      members: 0,
      toAdd: 0,
      toRemove: 0,
      skippedNoContactId: 0,
      skippedNotInTarget: null,
      listSize: 0,
      requestsEstimate: null,
      sampleToAdd: [],
      sampleToRemove: [],
    };
    if (!segment) return { ...empty, reason: 'The segment no longer exists: nothing is exported.' };
    if (!segment.active) {
      return { ...empty, reason: 'The segment is inactive: it is not exported.' };
    }
    if (!segment.evaluatedAt) {
      return { ...empty, reason: 'The segment has not been evaluated yet: run a refresh first.' };
    }
    const plugin = this.destinations.plugin(destination);
    const description = plugin.description;
    const keys = new MemberKeySql(
      this.db.dialect,
      destination.contactIdField ?? CUSTOMER_ID_FIELD,
      description.memberKey?.caseInsensitive === true,
    );
    const target = await this.store.existingTarget(destination.id, segmentId);
    const q = new DryRunQueries(this.db, keys, segmentId, target?.id ?? null);
    const mirror = destination.syncMode === 'mirror';
    const counts = await this.store.counts(keys, segmentId);
    const toAdd = await q.toAdd();
    const toRemove = mirror ? await q.toRemove() : 0;
    const listSize = target ? await this.store.size(target.id) : 0;
    const snapshot = description.exportStyle === 'snapshot';
    const skippedNotInTarget = snapshot ? 0 : target ? await q.notInTarget() : null;
    const held = mirror
      ? removalsOverLimit(toRemove, listSize, effectiveRemovalLimit(destination.removalLimit))
      : null;
    const requestsEstimate =
      plugin.estimateRequests?.({
        destination: await this.destinations.ref(destination),
        segment: { id: segment.id, name: segment.name, description: segment.description },
        syncMode: destination.syncMode,
        state: target?.state ?? {},
        toAdd,
        toRemove,
        listSize,
        members: counts.members - counts.withoutKey,
      }) ?? null;
    return {
      ...empty,
      status: held ? 'held' : 'ready',
      reason: held ? `The export ${held}: it would be held before any write until approved.` : null,
      members: counts.members,
      toAdd,
      toRemove,
      skippedNoContactId: counts.withoutKey,
      skippedNotInTarget,
      listSize,
      requestsEstimate,
      sampleToAdd: await q.sampleToAdd(),
      sampleToRemove: mirror ? await q.sampleToRemove() : [],
    };
  }
}
