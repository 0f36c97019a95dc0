import { createHash } from 'node:crypto';
import type { MappingPlan } from '../record-mapper';

/**
 * What a `dataverse` source keeps between reads (`source.reader_state`): the delta link of its
 * last successful read and what that read was made of. A delta link only reports rows that
 * changed, so it is only used when the rows it would leave alone were read the same way
 * (same organization, table, columns and mapping): {@link readFingerprint}.
 */
export interface DataverseReaderState {
  /** `@odata.deltaLink` of the last successful read; absent: the next read is a full read. */
  deltaLink?: string;
  /** {@link readFingerprint} of the read that produced the delta link. */
  fingerprint: string;
  /** When the last full read completed (ISO). */
  lastFullReadAt?: string;
  /** False when the table answered without a delta link (change tracking off for it). */
  changeTracking: boolean;
}

/** What decides how rows are read and turned into records. */
export interface ReadShape {
  serverAddress: string;
  table: string;
  columns: readonly string[];
  plan: MappingPlan;
}

export function readFingerprint(shape: ReadShape): string {
  const canonical = JSON.stringify([
    shape.serverAddress.toLowerCase(),
    shape.table,
    [...shape.columns].sort(),
    shape.plan.primaryKey,
    Object.entries(shape.plan.mapping)
      .map(([field, m]) => [field, m.column, m.type])
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    shape.plan.lastModifiedColumn,
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

/** The stored reader state, or null when there is none or it is not ours. */
export function readState(raw: Record<string, unknown> | null): DataverseReaderState | null {
  if (!raw || typeof raw.fingerprint !== 'string') return null;
  return {
    fingerprint: raw.fingerprint,
    changeTracking: raw.changeTracking !== false,
    ...(typeof raw.deltaLink === 'string' ? { deltaLink: raw.deltaLink } : {}),
    ...(typeof raw.lastFullReadAt === 'string' ? { lastFullReadAt: raw.lastFullReadAt } : {}),
  };
}
