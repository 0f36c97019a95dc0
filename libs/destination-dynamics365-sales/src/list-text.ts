import type { SegmentExportJob, SyncMode } from '@audience-sync/exporter-contract';

/** Column limits of the `list` table. */
export const LIST_LIMITS = { listname: 128, source: 128, purpose: 512, description: 2000 } as const;

export const LIST_SOURCE = 'Audience Sync';

/**
 * Cuts `text` to at most `max` characters: whole words when that keeps most of it, with an
 * ellipsis, never splitting a surrogate pair. Whitespace is collapsed first.
 */
export function truncate(text: string, max: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  const room = chars.slice(0, max - 1).join('');
  const space = room.lastIndexOf(' ');
  const cut = space >= (max * 2) / 3 ? room.slice(0, space) : room;
  return `${cut.trimEnd()}…`;
}

/** The marketing list's name: the segment's name (≤ 128 characters). */
export function listName(segmentName: string): string {
  const name = truncate(segmentName, LIST_LIMITS.listname);
  return name === '' ? 'Audience Sync segment' : name;
}

/** The list's description: where it comes from and the last export that changed it. */
export function listDescription(job: SegmentExportJob, exportedAt: Date): string {
  const mode: Record<SyncMode, string> = {
    mirror:
      'Audience Sync keeps its members equal to the segment: members added or removed here by hand are corrected at the next export.',
    additive: "Audience Sync adds the segment's members and never removes any.",
  };
  const text = [
    `Exported by Audience Sync from segment "${job.segment.name}" (id ${job.segment.id})`,
    `through destination "${job.destination.displayName}" (id ${job.destination.id}).`,
    `Last export that changed this list: ${exportedAt.toISOString()}.`,
    mode[job.syncMode],
  ].join(' ');
  return truncate(text, LIST_LIMITS.description);
}

/** The list's purpose: the segment's own description, if any. */
export function listPurpose(job: SegmentExportJob): string | null {
  const description = job.segment.description?.trim();
  return description ? truncate(description, LIST_LIMITS.purpose) : null;
}
