import type { FieldValue, FieldValues } from '@stages/contract/customer-field';
import { compareText, type SourceInfo } from './source-rank';
import type { MergeConfig, MergePolicy } from './unification-config';

/** One record of a customer, as merging sees it. */
export interface MergeMember {
  /** Source rank (index in the name-ordered source list). */
  source: number;
  key: string;
  /** Epoch milliseconds; NaN when the record has no last-modified value. */
  lastModified: number;
  fields: FieldValues;
}

type Comparator = (a: MergeMember, b: MergeMember) => number;

/** Source name, then record key: the last word of every ordering. */
const byIdentity: Comparator = (a, b) => a.source - b.source || compareText(a.key, b.key);

/** Dated records first; among them the newest (`direction` −1) or the oldest (+1) first. */
function byRecency(direction: 1 | -1): Comparator {
  return (a, b) => {
    const ta = a.lastModified;
    const tb = b.lastModified;
    const na = Number.isNaN(ta);
    const nb = Number.isNaN(tb);
    if (na || nb) return na === nb ? 0 : na ? 1 : -1;
    return direction * (ta - tb);
  };
}

const newestFirst = byRecency(-1);
const oldestFirst = byRecency(1);

/**
 * Chooses a customer's field values from its records by the merge policies. A record without a
 * value for a field never supplies it (blank values do not win). A field group's fields all come
 * from one record: the first, in the group's policy order, that has any of them.
 */
export class FieldMerger {
  private readonly defaultOrder: Comparator;
  private readonly fieldOrder = new Map<string, Comparator>();
  private readonly groups: { fields: string[]; order: Comparator }[] = [];
  private readonly grouped = new Set<string>();

  /** `sources` in rank order; `config.*.sourcePriority` holds source IDs. */
  constructor(config: MergeConfig, sources: SourceInfo[]) {
    const rankOf = new Map(sources.map((s, i) => [s.id, i]));
    const compile = (policy: MergePolicy): Comparator => {
      if (policy === 'mostRecent') return (a, b) => newestFirst(a, b) || byIdentity(a, b);
      if (policy === 'leastRecent') return (a, b) => oldestFirst(a, b) || byIdentity(a, b);
      // Position in the list; unlisted sources after the listed ones (then by name).
      const position = new Map<number, number>();
      policy.sourcePriority.forEach((id, p) => {
        const rank = rankOf.get(id);
        if (rank !== undefined && !position.has(rank)) position.set(rank, p);
      });
      const unlisted = policy.sourcePriority.length;
      return (a, b) =>
        (position.get(a.source) ?? unlisted) - (position.get(b.source) ?? unlisted) ||
        newestFirst(a, b) ||
        byIdentity(a, b);
    };
    this.defaultOrder = compile(config.default);
    for (const [field, policy] of Object.entries(config.fields)) {
      this.fieldOrder.set(field, compile(policy));
    }
    for (const group of config.groups) {
      this.groups.push({
        fields: group.fields,
        order: group.policy ? compile(group.policy) : this.defaultOrder,
      });
      for (const field of group.fields) this.grouped.add(field);
    }
  }

  /** The merged fields, keys in code-unit order (the same JSON for the same customer). */
  merge(members: MergeMember[]): FieldValues {
    const out: Record<string, FieldValue> = {};
    const sorted = new Map<Comparator, MergeMember[]>();
    const ordered = (order: Comparator) => {
      let list = sorted.get(order);
      if (!list) {
        list = [...members].sort(order);
        sorted.set(order, list);
      }
      return list;
    };
    for (const group of this.groups) {
      const winner = ordered(group.order).find((m) =>
        group.fields.some((f) => valueOf(m.fields, f) !== undefined),
      );
      if (!winner) continue;
      for (const field of group.fields) {
        const value = valueOf(winner.fields, field);
        if (value !== undefined) out[field] = value;
      }
    }
    const names = new Set<string>();
    for (const member of members) for (const name of Object.keys(member.fields)) names.add(name);
    for (const field of names) {
      if (this.grouped.has(field)) continue;
      const order = this.fieldOrder.get(field) ?? this.defaultOrder;
      const winner = ordered(order).find((m) => valueOf(m.fields, field) !== undefined);
      if (winner) out[field] = winner.fields[field];
    }
    const result: FieldValues = {};
    for (const key of Object.keys(out).sort(compareText)) result[key] = out[key];
    return result;
  }
}

/** A field's value, or undefined when the record has none. */
function valueOf(fields: FieldValues, name: string): FieldValue | undefined {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}
