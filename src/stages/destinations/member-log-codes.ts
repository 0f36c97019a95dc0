/**
 * The codes of `export_member_log` (small integers, so a million-member log stays small) and
 * their words in the API.
 */
export const LogOutcome = {
  ADDED: 1,
  REMOVED: 2,
  SKIPPED: 3,
  FAILED: 4,
  /**
   * Planned when the segment's export is prepared. A change that fails or is skipped gets its
   * own outcome in its batch; one made stays planned, and once the log is settled
   * (`export_log.settled`, at the segment's end) a planned row means it was made: writing a
   * million successes again would cost as much as planning them.
   */
  PENDING_ADD: 8,
  PENDING_REMOVE: 9,
} as const;
export type LogOutcome = (typeof LogOutcome)[keyof typeof LogOutcome];

/** A row's outcome as read: in a settled log, a planned change was made. */
export function effectiveOutcome(code: number, settled: boolean): number {
  if (!settled) return code;
  if (code === LogOutcome.PENDING_ADD) return LogOutcome.ADDED;
  if (code === LogOutcome.PENDING_REMOVE) return LogOutcome.REMOVED;
  return code;
}

export const LOG_OUTCOMES = ['added', 'removed', 'skipped', 'failed'] as const;
export type LogOutcomeName = (typeof LOG_OUTCOMES)[number];

export const LogReason = {
  NONE: 0,
  NO_KEY: 1,
  NOT_FOUND: 2,
  INVALID_KEY: 3,
  FAILED_RETRYABLE: 4,
  FAILED_PERMANENT: 5,
  /** The segment's export stopped (failed, canceled, interrupted) before this change was made. */
  NOT_APPLIED: 6,
  /** The segment was held at the removal limit before any write; approving the run makes it. */
  HELD: 7,
} as const;
export type LogReason = (typeof LogReason)[keyof typeof LogReason];

/** The codes an outcome name stands for in queries (pending rows are not shown). */
export function outcomeCode(name: LogOutcomeName): number {
  switch (name) {
    case 'added':
      return LogOutcome.ADDED;
    case 'removed':
      return LogOutcome.REMOVED;
    case 'skipped':
      return LogOutcome.SKIPPED;
    case 'failed':
      return LogOutcome.FAILED;
  }
}

export function outcomeName(code: number): LogOutcomeName | 'pending' {
  switch (code) {
    case LogOutcome.ADDED:
      return 'added';
    case LogOutcome.REMOVED:
      return 'removed';
    case LogOutcome.SKIPPED:
      return 'skipped';
    case LogOutcome.FAILED:
      return 'failed';
    default:
      return 'pending';
  }
}

/** A member row's reason in words; `keyField` names the destination's contact id field. */
export function reasonText(
  outcome: number,
  reason: number,
  detail: string | null,
  context: { keyField: string; customerKnown: boolean },
): string {
  const withDetail = (text: string) => (detail ? `${text}: ${detail}` : `${text}.`);
  switch (reason) {
    case LogReason.NO_KEY:
      return `Skipped: the customer has no ${context.keyField}, so it cannot be matched to a member of the target.`;
    case LogReason.NOT_FOUND:
      return withDetail(
        outcome === LogOutcome.SKIPPED
          ? 'Skipped: the contact was not found in the target (deleted there, or never existed)'
          : 'Not found in the target',
      );
    case LogReason.INVALID_KEY:
      return withDetail(`Skipped: the ${context.keyField} is not a valid id for the target`);
    case LogReason.FAILED_RETRYABLE:
      return withDetail('Failed (the next run tries again)');
    case LogReason.FAILED_PERMANENT:
      return withDetail('Failed');
    case LogReason.HELD:
      return 'Held: this segment stopped at the removal limit before any write; approving the run makes this change.';
    case LogReason.NOT_APPLIED:
      return 'Not applied: the export of this segment stopped before this change was made; the next run makes it.';
    default:
      break;
  }
  switch (outcome) {
    case LogOutcome.ADDED:
      return 'Added: joined the segment (or was not yet in the target).';
    case LogOutcome.REMOVED:
      return context.customerKnown
        ? 'Removed: no longer a member of the segment.'
        : 'Removed: no customer carries this contact id any more.';
    case LogOutcome.PENDING_ADD:
      return 'To be added (the export is in progress).';
    case LogOutcome.PENDING_REMOVE:
      return 'To be removed (the export is in progress).';
    default:
      return withDetail('Skipped');
  }
}
