import type { Db } from '@platform/database/db.service';
import { BulkRows } from './bulk-rows';
import { tupleKey, type CompiledRule } from './compiled-rules';
import { codePointOrder } from './engine-sql';
import { similarity, similarityBound } from './similarity';
import { UnionFind } from './union-find';

/** Blocks with more distinct fuzzy values than this are not compared pairwise (see README). */
export const MAX_FUZZY_BLOCK = 2_000;

/** Edge or block rows per page read into the app. */
const PAGE_ROWS = 10_000;

/** Member rows per transaction when the clusters are written back. */
const MEMBER_ROWS_PER_TRANSACTION = 50_000;

/** Comparisons between two calls of the checkpoint (keeps the event loop and cancel alive). */
const COMPARISONS_PER_CHECKPOINT = 20_000;

export interface RuleFigures {
  rule: string;
  /** Records (or groups of records) this rule joined to a customer that earlier rules had not. */
  merges: number;
  /** Fuzzy blocks left uncompared because they were too large. */
  blocksSkipped: number;
}

export interface MatchOutcome {
  clusters: number;
  blocksSkipped: number[];
  warnings: string[];
}

/**
 * Matches the work set's records (`unify_work_record`, numbered 0…n−1 in identity order) into
 * clusters, transitively, and writes them to `unify_work_member` (cluster numbers in the order
 * of each cluster's smallest identity) and `unify_work_cluster` (sizes).
 *
 * The connected components are found with an integer union-find over the record numbers (a few
 * bytes per record; no record text in the app). Exact rules give their edges from SQL: every
 * record to the smallest record of its key group (`MIN(i) OVER (PARTITION BY key)`). Fuzzy rules
 * keep their blocking key: the blocks come from SQL in key order and are compared in the app
 * one block at a time. Rules are applied in order, and each successful join is credited to the
 * rule that made it (stored per record: the root the join absorbed), for the per-rule figures.
 *
 * With `dedupeWithinSource` false a key group joins only when it spans two sources (then all of
 * it is one customer through the other source's records); fuzzy pairs only across sources.
 */
export async function matchWorkSet(
  db: Db,
  rules: CompiledRule[],
  dedupeWithinSource: boolean,
  n: number,
  full: boolean,
  checkpoint: () => Promise<void>,
): Promise<MatchOutcome> {
  const sets = new UnionFind(n);
  const credit = new Int32Array(n).fill(-1);
  const warnings: string[] = [];
  const blocksSkipped: number[] = [];
  for (let r = 0; r < rules.length; r++) {
    const join = (a: number, b: number) => {
      const absorbed = sets.join(a, b);
      if (absorbed >= 0) credit[absorbed] = r;
    };
    if (rules[r].fuzzy.length === 0) {
      await exactEdges(db, r, dedupeWithinSource, full, join, checkpoint);
      blocksSkipped.push(0);
    } else {
      blocksSkipped.push(
        await fuzzyEdges(db, r, rules[r], dedupeWithinSource, join, checkpoint, warnings),
      );
    }
    await checkpoint();
  }
  const clusters = await writeClusters(db, sets, credit, checkpoint);
  return { clusters, blocksSkipped, warnings };
}

async function exactEdges(
  db: Db,
  rule: number,
  dedupe: boolean,
  full: boolean,
  join: (a: number, b: number) => void,
  checkpoint: () => Promise<void>,
): Promise<void> {
  await db.query('DELETE FROM unify_work_edge');
  const sources = dedupe
    ? ''
    : `, MIN(w.source_rank) OVER (PARTITION BY k.key) AS s0,
         MAX(w.source_rank) OVER (PARTITION BY k.key) AS s1`;
  // A full run reads the keys in key order from their index (no sort for the window; SQLite
  // keeps CROSS JOIN's order); an incremental one starts from its few work records.
  const from = full
    ? 'record_match_key k CROSS JOIN unify_work_record w'
    : 'unify_work_record w CROSS JOIN record_match_key k';
  await db.query(
    `INSERT INTO unify_work_edge (a, b)
     SELECT x.i, x.m FROM (SELECT w.i, MIN(w.i) OVER (PARTITION BY k.key) AS m${sources}
       FROM ${from} WHERE k.rec_no = w.rec_no AND k.rule = ?) x
     WHERE x.i <> x.m${dedupe ? '' : ' AND x.s0 <> x.s1'}`,
    [rule],
  );
  let after = -1;
  for (;;) {
    const rows = await db.query<{ a: number | string; b: number | string }>(
      'SELECT a, b FROM unify_work_edge WHERE a > ? ORDER BY a LIMIT ?',
      [after, PAGE_ROWS],
    );
    for (const row of rows) join(Number(row.a), Number(row.b));
    if (rows.length < PAGE_ROWS) break;
    after = Number(rows[rows.length - 1].a);
    await checkpoint();
  }
  await db.query('DELETE FROM unify_work_edge');
}

interface BlockEntry {
  values: string[];
  records: number[];
  sources: number[];
}

async function fuzzyEdges(
  db: Db,
  rule: number,
  compiled: CompiledRule,
  dedupe: boolean,
  join: (a: number, b: number) => void,
  checkpoint: () => Promise<void>,
  warnings: string[],
): Promise<number> {
  const { keys: skip, warnings: found } = await oversizedBlocks(db, rule, compiled);
  warnings.push(...found);
  const thresholds = compiled.fuzzy.map((c) => c.threshold ?? 1);
  let work = 0;
  const compare = async (entries: BlockEntry[], key: string) => {
    const groups = distinctTuples(entries);
    for (const group of groups)
      if (group.records.length > 1) joinGroups(group, group, dedupe, join);
    if (skip.has(key)) return;
    groups.sort((a, b) => a.values[0].length - b.values[0].length);
    for (let a = 0; a < groups.length; a++) {
      const va = groups[a].values;
      for (let b = a + 1; b < groups.length; b++) {
        const vb = groups[b].values;
        // Sorted by the first value's length: once the lengths rule the pair out, every later
        // (longer) value is ruled out too.
        if (similarityBound(va[0].length, vb[0].length) < thresholds[0]) break;
        if (++work % COMPARISONS_PER_CHECKPOINT === 0) await checkpoint();
        if (similar(va, vb, thresholds)) joinGroups(groups[a], groups[b], dedupe, join);
      }
    }
  };

  await db.query('DELETE FROM unify_work_block');
  await db.query(
    `INSERT INTO unify_work_block (seq, key, i, source_rank, fuzzy)
     SELECT ROW_NUMBER() OVER (ORDER BY x.key, x.i), x.key, x.i, x.source_rank, x.fuzzy
     FROM (SELECT k.key, w.i, w.source_rank, k.fuzzy,
         COUNT(*) OVER (PARTITION BY k.key) AS size
       FROM unify_work_record w JOIN record_match_key k ON k.rec_no = w.rec_no AND k.rule = ?) x
     WHERE x.size > 1`,
    [rule],
  );
  let after = 0;
  let block: BlockEntry[] = [];
  let blockKey: string | undefined;
  for (;;) {
    const rows = await db.query<{
      seq: number | string;
      key: string;
      i: number | string;
      s: number | string;
      f: string;
    }>(
      `SELECT seq, key, i, source_rank AS s, fuzzy AS f FROM unify_work_block
       WHERE seq > ? ORDER BY seq LIMIT ?`,
      [after, PAGE_ROWS],
    );
    for (const row of rows) {
      if (row.key !== blockKey) {
        if (blockKey !== undefined) await compare(block, blockKey);
        block = [];
        blockKey = row.key;
      }
      block.push({
        values: JSON.parse(row.f) as string[],
        records: [Number(row.i)],
        sources: [Number(row.s)],
      });
    }
    if (rows.length < PAGE_ROWS) break;
    after = Number(rows[rows.length - 1].seq);
    await checkpoint();
  }
  if (blockKey !== undefined) await compare(block, blockKey);
  await db.query('DELETE FROM unify_work_block');
  return skip.size;
}

/**
 * The blocks of fuzzy rule `rule` with more than {@link MAX_FUZZY_BLOCK} distinct fuzzy values,
 * over all records (whether a block is compared depends on all of it, not only on the records a
 * run recomputes), with a warning for each.
 */
export async function oversizedBlocks(
  db: Db,
  rule: number,
  compiled: CompiledRule,
): Promise<{ keys: Set<string>; warnings: string[] }> {
  const rows = await db.query<{ key: string; n: number | string }>(
    `SELECT key, COUNT(DISTINCT fuzzy) AS n FROM record_match_key WHERE rule = ?
     GROUP BY key HAVING COUNT(DISTINCT fuzzy) > ? ORDER BY ${codePointOrder(db, 'key')}`,
    [rule, MAX_FUZZY_BLOCK],
  );
  return {
    keys: new Set(rows.map((o) => o.key)),
    warnings: rows.map(
      (o) =>
        `rule "${compiled.name}": a block of ${Number(o.n)} distinct values (blocking key "${preview(o.key)}") exceeds ${MAX_FUZZY_BLOCK} and was not fuzzy-compared; add an exact condition that splits it`,
    ),
  };
}

function similar(a: string[], b: string[], thresholds: number[]): boolean {
  for (let c = 0; c < a.length; c++) {
    const threshold = thresholds[c];
    if (similarityBound(a[c].length, b[c].length) < threshold) return false;
    if (similarity(a[c], b[c]) < threshold) return false;
  }
  return true;
}

/** Merges entries with identical fuzzy values (they are similar whatever the threshold). */
function distinctTuples(entries: BlockEntry[]): BlockEntry[] {
  const byTuple = new Map<string, BlockEntry>();
  for (const entry of entries) {
    const key = tupleKey(entry.values);
    const group = byTuple.get(key);
    if (group) {
      group.records.push(...entry.records);
      group.sources.push(...entry.sources);
    } else {
      byTuple.set(key, {
        values: entry.values,
        records: [...entry.records],
        sources: [...entry.sources],
      });
    }
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
  a: BlockEntry,
  b: BlockEntry,
  dedupe: boolean,
  join: (x: number, y: number) => void,
): void {
  if (dedupe) {
    const root = a.records[0];
    for (const r of a.records) if (r !== root) join(r, root);
    if (b !== a) for (const r of b.records) join(r, root);
    return;
  }
  const partsA = bySource(a);
  const partsB = a === b ? partsA : bySource(b);
  const joined = new Set<number[]>();
  for (const [s, pa] of partsA) {
    for (const [t, pb] of partsB) {
      if (s === t) continue;
      join(pa[0], pb[0]);
      joined.add(pa).add(pb);
    }
  }
  for (const part of joined) for (let i = 1; i < part.length; i++) join(part[i], part[0]);
}

function bySource(entry: BlockEntry): Map<number, number[]> {
  const parts = new Map<number, number[]>();
  entry.records.forEach((r, k) => {
    const s = entry.sources[k];
    const part = parts.get(s);
    if (part) part.push(r);
    else parts.set(s, [r]);
  });
  return parts;
}

function preview(key: string): string {
  return key.length > 40 ? `${key.slice(0, 40)}…` : key;
}

/**
 * Numbers the components in identity order of their smallest record (records are numbered in
 * identity order, so by first appearance) and writes each record's cluster and credited rule.
 */
async function writeClusters(
  db: Db,
  sets: UnionFind,
  credit: Int32Array,
  checkpoint: () => Promise<void>,
): Promise<number> {
  const n = sets.length;
  const clusterOfRoot = new Int32Array(n).fill(-1);
  const batch = new BulkRows(db, 'unify_work_member', [
    { name: 'i', type: 'integer' },
    { name: 'cluster', type: 'integer' },
    { name: 'merge_rule', type: 'integer' },
  ]);
  let clusters = 0;
  let i = 0;
  while (i < n) {
    await db.atomicStream((emit) => {
      const end = Math.min(n, i + MEMBER_ROWS_PER_TRANSACTION);
      for (; i < end; i++) {
        const root = sets.find(i);
        if (clusterOfRoot[root] === -1) clusterOfRoot[root] = clusters++;
        batch.add(i, clusterOfRoot[root], credit[i] >= 0 ? credit[i] : null);
        if (batch.full) batch.take().forEach(emit);
      }
      batch.take().forEach(emit);
    });
    await checkpoint();
  }
  await db.query(
    `INSERT INTO unify_work_cluster (cluster, size, changed)
     SELECT cluster, COUNT(*), 1 FROM unify_work_member GROUP BY cluster`,
  );
  return clusters;
}
