/** A member in a dry run's samples: the customer and its key in the target. */
export interface DryRunMember {
  /** Null when no customer carries that key any more (a removal). */
  customerId: string | null;
  contactId: string;
}

/** What an export would do to one segment (`POST /api/destinations/:id/dry-run`). */
export interface DryRunSegment {
  segmentId: string;
  /** Null when the segment no longer exists. */
  segmentName: string | null;
  /**
   * `ready`: the export would apply the figures; `held`: the removal limit would stop the
   * segment before any write (`reason` says why); `skipped`: nothing would be exported
   * (deleted, inactive or never evaluated segment; `reason`).
   */
  status: 'ready' | 'held' | 'skipped';
  reason: string | null;
  members: number;
  toAdd: number;
  toRemove: number;
  /** Members without a value in the destination's key field (contactIdField). */
  skippedNoContactId: number;
  /**
   * Members whose key earlier exports found missing in the target (not offered again); null
   * when the target was never written, so it is unknown without writing.
   */
  skippedNotInTarget: number | null;
  /** Keys the target holds now, as far as Audience Sync knows. */
  listSize: number;
  /** Requests the export would make (no throttling); null when the type cannot say. */
  requestsEstimate: number | null;
  /** Up to 10 of each, in key order. */
  sampleToAdd: DryRunMember[];
  sampleToRemove: DryRunMember[];
}

export interface DryRunView {
  destinationId: string;
  syncMode: string;
  /** When the figures were computed (they hold until the membership or the target changes). */
  computedAt: string;
  segments: DryRunSegment[];
  totals: { members: number; toAdd: number; toRemove: number; held: number };
}
