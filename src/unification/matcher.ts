import type { FieldValues } from '../sources/customer-field';
import { conditionKey, conditionValues, tupleKey, type CompiledRule } from './compiled-rules';
import { GrowableIntArray } from './growable-int-array';
import { KeyTable } from './key-table';
import { EXACT_KEY, FUZZY_KEY, type PackedKeys } from './packed-keys';
import { similarity, similarityBound } from './similarity';
import { UnionFind } from './union-find';

/** Blocks with more distinct fuzzy values than this are not compared pairwise (see README). */
export const MAX_FUZZY_BLOCK = 2_000;

/** Comparisons between two calls of the checkpoint (keeps the event loop and cancel alive). */
const COMPARISONS_PER_CHECKPOINT = 20_000;

export interface RuleFigures {
  rule: string;
  /** Records (or groups of records) this rule joined to a customer that earlier rules had not. */
  merges: number;
  /** Fuzzy blocks left uncompared because they were too large. */
  blocksSkipped: number;
}

export interface MatchResult {
  sets: UnionFind;
  rules: RuleFigures[];
  warnings: string[];
}

/**
 * Matches records under the rules, transitively: every rule contributes edges between records
 * (equal blocking keys, and for fuzzy rules similar values within the block), and the customers
 * are the connected components (union-find). The result therefore depends on neither the order
 * of the records nor the order of the rules; the rule order only decides which rule a merge is
 * credited to in the figures.
 *
 * With `dedupeWithinSource` false, two records of the same source are never joined directly;
 * they can still end up in one customer through records of other sources matching both.
 */
export class Matcher {
  private indexes: (ExactIndex | FuzzyIndex)[];
  private count = 0;

  constructor(
    private readonly rules: CompiledRule[],
    private readonly dedupeWithinSource: boolean,
  ) {
    this.indexes = rules.map((rule) =>
      rule.fuzzy.length === 0 ? new ExactIndex(dedupeWithinSource) : new FuzzyIndex(rule),
    );
  }

  /** Feeds record `index` (indexes are 0, 1, 2, … in arrival order). */
  add(index: number, source: number, fields: FieldValues): void {
    this.addKeys(index, source, recordKeys(this.rules, fields));
  }

  /** Feeds record `index` by its keys ({@link recordKeys}, computed here or by a worker). */
  addKeys(index: number, source: number, keys: RecordKeys): void {
    this.count = Math.max(this.count, index + 1);
    for (let r = 0; r < this.rules.length; r++) {
      const key = keys[r];
      if (key === null) continue;
      const ruleIndex = this.indexes[r];
      if (typeof key === 'string') ruleIndex.add(index, source, key);
      else ruleIndex.add(index, source, key.block, key.fuzzy);
    }
  }

  /**
   * Feeds the records of a batch packed by another thread, as records `first`, `first + 1`, …
   * (`sources` holds every record's source).
   */
  addPacked(first: number, sources: ArrayLike<number>, packed: PackedKeys): void {
    const rules = this.rules.length;
    const bytes = Buffer.from(packed.bytes.buffer, packed.bytes.byteOffset, packed.bytes.length);
    this.count = Math.max(this.count, first + packed.count);
    let piece = 0;
    let start = 0;
    for (let j = 0; j < packed.count; j++) {
      const index = first + j;
      const source = sources[index];
      for (let r = 0; r < rules; r++, piece++) {
        const end = packed.ends[piece];
        const kind = packed.kinds[piece];
        const ruleIndex = this.indexes[r];
        if (kind === EXACT_KEY && ruleIndex instanceof ExactIndex) {
          ruleIndex.addBytes(index, source, bytes, start, end, packed.hashes[piece]);
        } else if (kind === FUZZY_KEY) {
          const key = JSON.parse(bytes.toString('utf8', start, end)) as FuzzyKey;
          ruleIndex.add(index, source, key.block, key.fuzzy);
        }
        start = end;
      }
    }
  }

  /**
   * Compares the fuzzy blocks and joins everything. `sources` gives each record's source;
   * `checkpoint` is awaited now and then (cancellation, event loop).
   */
  async finish(
    sources: ArrayLike<number>,
    checkpoint: () => Promise<void>,
    count = this.count,
  ): Promise<MatchResult> {
    const sets = new UnionFind(count);
    const figures: RuleFigures[] = [];
    const warnings: string[] = [];
    for (let r = 0; r < this.rules.length; r++) {
      const index = this.indexes[r];
      // Each rule's keys are garbage once its edges are applied (they are most of the memory).
      this.indexes[r] = new ExactIndex(this.dedupeWithinSource);
      const edges =
        index instanceof ExactIndex
          ? index.edges
          : await index.compare(sources, this.dedupeWithinSource, checkpoint, warnings);
      const view = edges.view();
      let merges = 0;
      for (let e = 0; e < view.length; e += 2) if (sets.union(view[e], view[e + 1])) merges++;
      figures.push({
        rule: this.rules[r].name,
        merges,
        blocksSkipped: index instanceof FuzzyIndex ? index.blocksSkipped : 0,
      });
      await checkpoint();
    }
    this.indexes = [];
    return { sets, rules: figures, warnings };
  }
}

/**
 * What the rules see of one record, per rule: its exact key (the blocking key of a fuzzy rule
 * together with the fuzzy values), or null when a value the rule needs is absent. Plain data,
 * so a worker thread can compute it.
 */
export type RecordKeys = (string | FuzzyKey | null)[];

/** A fuzzy rule's view of a record: its blocking key and its fuzzy values. */
interface FuzzyKey {
  block: string;
  fuzzy: string[];
}

/** The keys of a record under the rules. */
export function recordKeys(rules: CompiledRule[], fields: FieldValues): RecordKeys {
  const keys: RecordKeys = [];
  for (const rule of rules) {
    if (rule.fuzzy.length === 0) {
      keys.push(conditionKey(rule.exact, fields) ?? null);
      continue;
    }
    const exact = conditionValues(rule.exact, fields);
    const fuzzy = exact && conditionValues(rule.fuzzy, fields);
    keys.push(exact && fuzzy ? { block: tupleKey(exact), fuzzy } : null);
  }
  return keys;
}

interface RuleIndex {
  add(index: number, source: number, key: string, fuzzy?: string[]): void;
}

/** Records sharing an exact key: each is joined to the first one seen (a star). */
class ExactIndex implements RuleIndex {
  readonly edges = new GrowableIntArray();
  /** Key → group number; groups are numbered 0, 1, 2, … in order of first appearance. */
  private readonly groups = new KeyTable(1 << 16);
  /** Per group: its first record, and that record's source. */
  private readonly first = new GrowableIntArray();
  private readonly firstSource = new GrowableIntArray();
  /** Groups whose records come from two or more sources (only without deduplication). */
  private readonly multiSource = new Set<number>();
  /** Records of the first record's source waiting for a record of another source. */
  private readonly pending = new Map<number, number[]>();

  constructor(private readonly dedupeWithinSource: boolean) {}

  add(index: number, source: number, key: string): void {
    this.join(index, source, this.groups.getOrAdd(key, this.first.length));
  }

  /** {@link add} with the key as UTF-8 bytes and their hash (see KeyTable.getOrAddBytes). */
  addBytes(index: number, source: number, bytes: Buffer, start: number, end: number, h: number) {
    this.join(index, source, this.groups.getOrAddBytes(bytes, start, end, h, this.first.length));
  }

  /** Joins record `index` to its key's group (−1: the key is new; the record starts a group). */
  private join(index: number, source: number, group: number): void {
    if (group < 0) {
      this.first.push(index);
      this.firstSource.push(source);
      return;
    }
    const first = this.first.get(group);
    if (this.dedupeWithinSource || this.multiSource.has(group)) {
      this.edges.pushPair(index, first);
      return;
    }
    if (this.firstSource.get(group) !== source) {
      // The group now spans two sources: every record in it has a partner of another source.
      this.multiSource.add(group);
      this.edges.pushPair(index, first);
      for (const waiting of this.pending.get(group) ?? []) this.edges.pushPair(waiting, first);
      this.pending.delete(group);
      return;
    }
    const waiting = this.pending.get(group);
    if (waiting) waiting.push(index);
    else this.pending.set(group, [index]);
  }
}

interface TupleGroup {
  values: string[];
  records: number[];
}

/** Records grouped by blocking key, compared pairwise on the fuzzy conditions within a block. */
class FuzzyIndex implements RuleIndex {
  blocksSkipped = 0;
  private readonly blocks = new Map<string, TupleGroup[]>();
  private readonly thresholds: number[];

  constructor(private readonly rule: CompiledRule) {
    this.thresholds = rule.fuzzy.map((c) => c.threshold ?? 1);
  }

  add(index: number, _source: number, key: string, fuzzy?: string[]): void {
    if (!fuzzy) return;
    let block = this.blocks.get(key);
    if (!block) {
      block = [];
      this.blocks.set(key, block);
    }
    block.push({ values: fuzzy, records: [index] });
  }

  async compare(
    sources: ArrayLike<number>,
    dedupe: boolean,
    checkpoint: () => Promise<void>,
    warnings: string[],
  ): Promise<GrowableIntArray> {
    const edges = new GrowableIntArray();
    const join = (a: TupleGroup, b: TupleGroup) => {
      joinGroups(a, b, sources, dedupe, edges);
    };
    let work = 0;
    for (const [key, entries] of this.blocks) {
      if (entries.length < 2) continue;
      const groups = distinctTuples(entries);
      for (const group of groups) if (group.records.length > 1) join(group, group);
      if (groups.length > MAX_FUZZY_BLOCK) {
        this.blocksSkipped++;
        warnings.push(
          `rule "${this.rule.name}": a block of ${groups.length} distinct values (blocking key "${preview(key)}") exceeds ${MAX_FUZZY_BLOCK} and was not fuzzy-compared; add an exact condition that splits it`,
        );
        continue;
      }
      groups.sort((a, b) => a.values[0].length - b.values[0].length);
      for (let a = 0; a < groups.length; a++) {
        const va = groups[a].values;
        for (let b = a + 1; b < groups.length; b++) {
          const vb = groups[b].values;
          // Sorted by the first value's length: once the lengths rule the pair out, every
          // later (longer) value is ruled out too.
          if (similarityBound(va[0].length, vb[0].length) < this.thresholds[0]) break;
          if (++work % COMPARISONS_PER_CHECKPOINT === 0) await checkpoint();
          if (this.similar(va, vb)) join(groups[a], groups[b]);
        }
      }
      await checkpoint();
    }
    return edges;
  }

  private similar(a: string[], b: string[]): boolean {
    for (let c = 0; c < a.length; c++) {
      const threshold = this.thresholds[c];
      if (similarityBound(a[c].length, b[c].length) < threshold) return false;
      if (similarity(a[c], b[c]) < threshold) return false;
    }
    return true;
  }
}

/** Merges entries with identical fuzzy values (they are similar whatever the threshold). */
function distinctTuples(entries: TupleGroup[]): TupleGroup[] {
  const byTuple = new Map<string, TupleGroup>();
  for (const entry of entries) {
    const key = tupleKey(entry.values);
    const group = byTuple.get(key);
    if (group) group.records.push(...entry.records);
    else byTuple.set(key, { values: entry.values, records: [...entry.records] });
  }
  return [...byTuple.values()];
}

/**
 * Joins two matching groups (or a group with itself). With deduplication every record of both
 * matches every other. Without it only pairs from different sources match: records are split
 * per source, and the part of source s in one group is joined to the part of source t ≠ s in
 * the other (each such pair of parts is completely connected, so a star suffices).
 */
function joinGroups(
  a: TupleGroup,
  b: TupleGroup,
  sources: ArrayLike<number>,
  dedupe: boolean,
  edges: GrowableIntArray,
): void {
  if (dedupe) {
    const root = a.records[0];
    for (const r of a.records) if (r !== root) edges.pushPair(r, root);
    if (b !== a) for (const r of b.records) edges.pushPair(r, root);
    return;
  }
  const partsA = bySource(a.records, sources);
  const partsB = a === b ? partsA : bySource(b.records, sources);
  const joined = new Set<number[]>();
  for (const [s, pa] of partsA) {
    for (const [t, pb] of partsB) {
      if (s === t) continue;
      edges.pushPair(pa[0], pb[0]);
      joined.add(pa).add(pb);
    }
  }
  for (const part of joined) for (let i = 1; i < part.length; i++) edges.pushPair(part[i], part[0]);
}

function bySource(records: number[], sources: ArrayLike<number>): Map<number, number[]> {
  const parts = new Map<number, number[]>();
  for (const r of records) {
    const part = parts.get(sources[r]);
    if (part) part.push(r);
    else parts.set(sources[r], [r]);
  }
  return parts;
}

function preview(key: string): string {
  return key.length > 40 ? `${key.slice(0, 40)}…` : key;
}
