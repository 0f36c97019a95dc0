import { NORMALIZER_NAMES, type NormalizerName } from '@stages/contract/normalizers';

/**
 * The unification configuration: how source records are matched into customers and how the
 * customer's fields are merged from its records. Set with `PUT /api/unification`.
 */

/** `exact`: equal after normalization. `{ fuzzy: t }`: similarity ≥ t (see similarity.ts). */
export type MatchKind = 'exact' | { fuzzy: number };

export interface MatchCondition {
  field: string;
  /** Applied in order before comparing (see normalizers.ts). */
  normalizers: NormalizerName[];
  match: MatchKind;
}

/** Two records match under a rule when every condition holds (AND). */
export interface MatchRule {
  name: string;
  conditions: MatchCondition[];
}

/**
 * How one value is chosen among a customer's records:
 * - `mostRecent` / `leastRecent`: by the record's `last_modified` (the source's
 *   `lastModifiedColumn`); records without one rank after every dated record;
 * - `{ sourcePriority: [...] }`: the first listed source that has a value; unlisted sources
 *   come after listed ones, in name order; within one source the most recent record wins.
 * Ties are broken by source name, then record key, so results never depend on input order.
 */
export type MergePolicy = 'mostRecent' | 'leastRecent' | { sourcePriority: string[] };

/** Fields taken together from one record (e.g. an address), chosen by the group's policy. */
export interface FieldGroup {
  name: string;
  fields: string[];
  /** Defaults to the merge default policy. */
  policy?: MergePolicy;
}

export interface MergeConfig {
  default: MergePolicy;
  /** Per-field overrides of the default. */
  fields: Record<string, MergePolicy>;
  groups: FieldGroup[];
}

export interface UnificationConfig {
  /** Ordered match rules; a pair of records matches when any rule matches (OR of rules). */
  rules: MatchRule[];
  /** Whether records of the same source may match each other. */
  dedupeWithinSource: boolean;
  merge: MergeConfig;
}

/**
 * The configuration before one is saved: no rules, so every source record is its own customer
 * (unification still assigns stable IDs and keeps identities), and values are merged by recency.
 */
export function defaultUnificationConfig(): UnificationConfig {
  return {
    rules: [],
    dedupeWithinSource: true,
    merge: { default: 'mostRecent', fields: {}, groups: [] },
  };
}

export function isFuzzy(match: MatchKind): match is { fuzzy: number } {
  return typeof match === 'object';
}

export { NORMALIZER_NAMES, type NormalizerName };
