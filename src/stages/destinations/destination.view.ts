import type { SyncMode } from '@audience-sync/exporter-contract';
import type { Destination, SignInState } from './destination.entity';
import type { ExportRun } from './export-run';
import type { ExportRunStatus, ExportTrigger } from './export-run-status';
import { effectiveRemovalLimit, type RemovalLimit } from './removal-limit';

/** The sign-in as the API shows it: `expired` when a pending code ran out. */
export interface SignInView {
  status: 'pending' | 'signed-in' | 'failed' | 'expired';
  startedAt: string;
  userCode?: string;
  verificationUri?: string;
  expiresAt?: string;
  user?: { username: string; name?: string; tenantId?: string };
  signedInAt?: string;
  message?: string;
}

/** A destination as the API answers it: never a secret value. */
export interface DestinationView {
  id: string;
  type: string;
  displayName: string;
  /** The configuration without its secrets. */
  config: Record<string, unknown>;
  /** Each secret field of the type: whether a value is stored (`set`) or not (`not set`). */
  secrets: Record<string, 'set' | 'not set'>;
  contactIdField: string | null;
  segmentIds: string[];
  syncMode: SyncMode;
  enabled: boolean;
  /** The removal guardrail in force (the default unless set). */
  removalLimit: RemovalLimit;

  /** Percent of skipped members above which a run notifies `skipped.threshold` (null: never). */
  skippedAlertPercent: number | null;
  signIn: SignInView | null;
  lastRun: {
    id: string;
    status: ExportRunStatus;
    trigger: ExportTrigger;
    createdAt: string;
    finishedAt: string | null;
    /** Sums over its segments (`skipped` = no key + not found + invalid). */
    totals: { members: number; added: number; removed: number; skipped: number; failed: number };
    /** Segments held by the removal guardrail and not yet approved. */
    heldSegments: number;
  } | null;
  createdAt: string;
  updatedAt: string;
}

export function toDestinationView(
  d: Destination,
  secretFields: string[],
  storedSecrets: string[],
  lastRun: ExportRun | undefined,
  now: Date,
): DestinationView {
  return {
    id: d.id,
    type: d.type,
    displayName: d.displayName,
    config: d.config,
    secrets: Object.fromEntries(
      secretFields.map((f) => [f, storedSecrets.includes(f) ? 'set' : 'not set'] as const),
    ),
    contactIdField: d.contactIdField,
    segmentIds: d.segmentIds,
    syncMode: d.syncMode,
    enabled: d.enabled,
    removalLimit: effectiveRemovalLimit(d.removalLimit),
    skippedAlertPercent: d.skippedAlertPercent ?? null,
    signIn: d.signIn ? toSignInView(d.signIn, now) : null,
    lastRun: lastRun
      ? {
          id: lastRun.id,
          status: lastRun.status,
          trigger: lastRun.trigger,
          createdAt: lastRun.createdAt,
          finishedAt: lastRun.finishedAt,
          totals: lastRunTotals(lastRun),
          heldSegments: lastRun.segments.filter((s) => s.status === 'held' && !s.hold?.approvedAt)
            .length,
        }
      : null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

function toSignInView(s: SignInState, now: Date): SignInView {
  const expired =
    s.status === 'pending' && s.expiresAt !== undefined && Date.parse(s.expiresAt) < now.getTime();
  if (!expired) return { ...s };
  return {
    status: 'expired',
    startedAt: s.startedAt,
    expiresAt: s.expiresAt,
    message: 'The sign-in code expired before anyone signed in: start the sign-in again.',
  };
}

function lastRunTotals(run: ExportRun) {
  const sum = (pick: (s: ExportRun['segments'][number]) => number) =>
    run.segments.reduce((n, s) => n + pick(s), 0);
  return {
    members: sum((s) => s.members),
    added: sum((s) => s.added),
    removed: sum((s) => s.removed),
    skipped: sum((s) => s.skippedNoKey + s.skippedNotFound + s.skippedInvalid),
    failed: sum((s) => s.failed),
  };
}
