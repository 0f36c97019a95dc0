import type { SegmentExportPlan } from '@audience-sync/exporter-contract';
import { MEMBERS_PER_REQUEST } from './segment-exporter';

/**
 * The Dataverse requests `SegmentExporter` makes for a plan, when nothing is throttled and the
 * list still holds what the checkpoint says (a list changed in Sales adds one read per 5,000
 * members): reading the list (or creating it), one request per 1,000 members added or removed,
 * and one update of the list's description when something changed or the segment was renamed.
 */
export function estimateRequests(plan: SegmentExportPlan): number {
  const chunks =
    Math.ceil(plan.toAdd / MEMBERS_PER_REQUEST) + Math.ceil(plan.toRemove / MEMBERS_PER_REQUEST);
  const listId = typeof plan.state.listId === 'string' ? plan.state.listId : undefined;
  if (listId === undefined || plan.state.listConfirmed !== true) return 1 + chunks;
  const renamed =
    typeof plan.state.segmentName === 'string' && plan.state.segmentName !== plan.segment.name;
  return 1 + chunks + (chunks > 0 || renamed ? 1 : 0);
}
