import type { SyncMode } from '@audience-sync/exporter-contract';
import { CheckpointStatus } from './checkpoint-store';
import type { LastRunView } from './explain.service';

/** What is known of one customer and one segment of a destination. */
export interface SegmentFacts {
  destinationName: string;
  syncMode: SyncMode;
  keyField: string;
  /** Null when the segment no longer exists. */
  segmentName: string | null;
  segmentActive: boolean;
  member: boolean;
  memberSince: string | null;
  /** The customer's contact id, as the destination compares it (null: none). */
  key: string | null;
  /** The checkpoint's status of that contact id (null: no row). */
  checkpoint: number | null;
  lastRun: LastRunView | null;
}

/** One sentence, in words, of why the customer is or is not on the destination's list. */
export function explainSentence(f: SegmentFacts): string {
  if (f.segmentName === null) return 'The segment no longer exists: nothing of it is exported.';
  const segment = `"${f.segmentName}"`;
  const target = `"${f.destinationName}"`;
  const held = f.checkpoint === CheckpointStatus.HELD;
  const since = f.memberSince ? ` since ${day(f.memberSince)}` : '';
  const run = f.lastRun;
  const who = f.keyField === 'customerId' ? 'customer' : 'contact';
  const inactive = f.segmentActive
    ? ''
    : ' The segment is inactive, so exports leave its list as it is.';
  if (!f.member) {
    if (held) {
      return f.syncMode === 'additive'
        ? `On the list although no longer a member of ${segment}: the destination only adds members (additive mode) and never removes them.`
        : `Still on the list, but no longer a member of ${segment}: the next export removes it.${inactive}`;
    }
    if (run?.outcome === 'removed') {
      return `Not on the list: no longer a member of ${segment}; the export of ${day(run.at)} removed it.`;
    }
    return `Not on the list: not a member of ${segment} (its rule does not match this customer).`;
  }
  if (f.key === null) {
    return `Not on the list: a member of ${segment}${since}, but it has no ${f.keyField}, so it cannot be matched to a member of ${target}.`;
  }
  if (held) {
    return run?.outcome === 'added'
      ? `On the list: a member of ${segment}${since}; ${who} ${f.key} was added by the export of ${day(run.at)}.`
      : `On the list: a member of ${segment}${since}; ${who} ${f.key} was added by an earlier export.`;
  }
  if (f.checkpoint === CheckpointStatus.NOT_FOUND) {
    return `Not on the list: ${who} ${f.key} was not found in ${target} at the last export (deleted there, or never existed); a full sync offers it again.`;
  }
  if (f.checkpoint === CheckpointStatus.INVALID) {
    return `Not on the list: ${f.key} is not a valid ${f.keyField} for ${target}; a full sync offers it again.`;
  }
  if (run?.outcome === 'failed') {
    return `Not on the list yet: adding ${who} ${f.key} failed at the export of ${day(run.at)} (${run.reason ?? 'failed'}); the next export tries again.${inactive}`;
  }
  return `Not on the list yet: a member of ${segment}${since} with ${who} ${f.key}; no export has added it since it joined: the next export adds it.${inactive}`;
}

/** An ISO time as its UTC date and minute (`2026-12-07 19:25 UTC`). */
function day(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}
