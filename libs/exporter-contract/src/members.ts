/** A member's key in the target (a Dynamics contact id). */
export type MemberKey = string;

/** Why a member was not exported. */
export type SkipReason =
  /** The customer has no value in the destination's key field (`contactIdField`). */
  | 'no-key'
  /** The key does not exist in the target (e.g. a contact deleted in Sales since the last ingest). */
  | 'not-found'
  /** The key is not valid for the target (e.g. not a GUID). */
  | 'invalid-key';

/** The outcome of one member in a batch (style: Grouparoo's per-record export outcomes). */
export type MemberOutcome =
  | { key: MemberKey; outcome: 'exported' }
  | { key: MemberKey; outcome: 'removed' }
  | { key: MemberKey; outcome: 'skipped'; reason: SkipReason; message?: string }
  | { key: MemberKey; outcome: 'failed'; retryable: boolean; message: string };

/** One batch of membership changes that make the target follow the segment. */
export interface ChangeBatch {
  add: MemberKey[];
  remove: MemberKey[];
}

/** A member with the customer fields a snapshot destination asked for. */
export interface MemberRecord {
  customerId: string;
  fields: Record<string, string | number | boolean | null>;
}
