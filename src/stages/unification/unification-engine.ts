import type { Db } from '@platform/database/db.service';
import { publishChanges, SEQUENCE_KEY, STATE_KEY, type WriteFigures } from './change-publisher';
import { matchWorkSet, oversizedBlocks, type RuleFigures } from './cluster-matcher';
import { compileRules } from './compiled-rules';
import { analyze, clearWorkTables, count } from './engine-sql';
import { mergeChangedCustomers } from './golden-records';
import { computeMatchKeys, keySignature } from './match-keys';
import type { Pacer } from './pacer';
import { RecordSnapshot } from './record-snapshot';
import { assignStableIds } from './stable-ids';
import type { UnificationConfig } from './unification-config';
import { buildWorkSet } from './work-set';

export { customerIdFor } from './engine-sql';

const KEY_SIGNATURE_KEY = 'unification.keySignature';

export interface EngineFigures extends WriteFigures {
  sources: number;
  sourceRecords: number;
  customers: number;
  /** Records that joined another record's customer: sourceRecords − customers. */
  recordsMerged: number;
  /** Customers whose records now belong to two or more customers. */
  customersSplit: number;
  /** Records whose match keys were computed (new or changed ones; all after a rule change). */
  recordsKeyed: number;
  /** Records recomputed: all in a full run, those the changes can touch in an incremental one. */
  recordsRecomputed: number;
  readMs: number;
  matchMs: number;
  writeMs: number;
  rules: RuleFigures[];
  warnings: string[];
}

export type EngineProgress = (figures: Record<string, number | string>) => void;

/**
 * One unification run, as set-based work in the database engine (README.md): bring the record
 * snapshot up to date, compute the match keys that are missing, choose the records to recompute
 * (all of them, or only the components the changes touch), match them into clusters, give the
 * clusters stable IDs, merge the changed customers' fields, and publish the difference in one
 * transaction. The app holds a few integers per recomputed record, never the records' texts
 * beyond a page or a cluster.
 */
export class UnificationEngine {
  constructor(private readonly db: Db) {}

  async run(
    config: UnificationConfig,
    pacer: Pacer,
    progress: EngineProgress,
  ): Promise<EngineFigures> {
    const db = this.db;
    const checkpoint = () => pacer.checkpoint();
    const rules = compileRules(config.rules);

    const readStart = performance.now();
    progress({ phase: 'reading' });
    const { sources, compared } = await new RecordSnapshot(db).refresh(checkpoint);
    if (compared > 0) {
      await analyze(db, ['unify_record', 'unify_pending', 'unify_unkeyed', 'unify_gone']);
    }
    const keys = keySignature(rules);
    if ((await this.setting(KEY_SIGNATURE_KEY)) !== keys) {
      await db.atomic([
        { sql: 'DELETE FROM record_match_key' },
        { sql: 'DELETE FROM unify_unkeyed' },
        { sql: 'INSERT INTO unify_unkeyed (rec_no) SELECT rec_no FROM unify_record' },
        ...db.insertRows(
          'app_setting',
          ['key', 'value', 'updated_at'],
          [[KEY_SIGNATURE_KEY, keys, storedNow()]],
          { suffix: db.dialect.upsertSuffix(['key'], ['value', 'updated_at']) },
        ),
      ]);
    }
    const sourceRecords = await count(db, 'SELECT COUNT(*) AS n FROM unify_record');
    progress({ phase: 'reading', sourceRecords });
    const recordsKeyed = await computeMatchKeys(db, rules, checkpoint);
    if (recordsKeyed > 0) await analyze(db, ['record_match_key']);
    const readMs = performance.now() - readStart;
    await checkpoint();

    // Everything is recomputed when what clustering or merging depends on changed.
    const matching = JSON.stringify({
      rules: config.rules.map((r) => r.conditions.map((c) => [c.field, c.normalizers, c.match])),
      dedupeWithinSource: config.dedupeWithinSource,
      sources: sources.map((s) => [s.id, s.name]),
    });
    const merging = JSON.stringify({
      merge: config.merge,
      sources: sources.map((s) => [s.id, s.name]),
    });
    const state = JSON.stringify({ matching, merging });
    const stored = parseState(await this.setting(STATE_KEY));
    const full = stored?.matching !== matching || stored.merging !== merging;
    const remerge = stored?.merging !== merging;
    const pending =
      full ||
      (await count(
        db,
        `SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM unify_pending LIMIT 1) d)
          + (SELECT COUNT(*) FROM (SELECT 1 FROM unify_gone LIMIT 1) g) AS n`,
      )) > 0;

    const matchStart = performance.now();
    let figures = {
      customersCreated: 0,
      customersUpdated: 0,
      customersMerged: 0,
      customersDeleted: 0,
      customersSplit: 0,
      identitiesWritten: 0,
      identitiesDeleted: 0,
      transactions: 0,
    };
    let recordsRecomputed = 0;
    let warnings: string[] = [];
    let blocksSkipped = rules.map(() => 0);
    let matchMs = 0;
    let writeStart = performance.now();
    if (pending) {
      progress({ phase: 'matching', sourceRecords });
      await clearWorkTables(db);
      recordsRecomputed = await buildWorkSet(db, sources, full);
      await analyze(db, ['unify_work_record', 'unify_work_touched']);
      await checkpoint();
      const matched = await matchWorkSet(
        db,
        rules,
        config.dedupeWithinSource,
        recordsRecomputed,
        full,
        checkpoint,
      );
      warnings = matched.warnings;
      blocksSkipped = matched.blocksSkipped;
      await analyze(db, ['unify_work_member', 'unify_work_cluster']);
      const sequence = Number((await this.setting(SEQUENCE_KEY)) ?? 1);
      const ids = await assignStableIds(db, sequence, checkpoint);
      await markChanged(db, remerge);
      matchMs = performance.now() - matchStart;
      await checkpoint();

      writeStart = performance.now();
      progress({ phase: 'writing', sourceRecords, customers: matched.clusters });
      await mergeChangedCustomers(db, config.merge, sources, checkpoint);
      await analyze(db, ['unify_work_fields', 'unify_work_old', 'unify_work_pair']);
      const [updated] = await db.query<{ n: number | string }>(
        'SELECT COUNT(*) AS n FROM unify_work_cluster WHERE changed = 1 AND keeper IS NOT NULL',
      );
      const written = await publishChanges(db, {
        now: new Date(),
        full,
        nextSequence: ids.created > 0 ? ids.nextSequence : undefined,
        state,
      });
      figures = {
        customersCreated: ids.created,
        customersUpdated: Number(updated.n),
        customersMerged: ids.merged,
        customersDeleted: ids.deleted,
        customersSplit: ids.split,
        identitiesWritten: written.identitiesWritten,
        identitiesDeleted: written.identitiesDeleted,
        transactions: 1,
      };
      await clearWorkTables(db);
    } else {
      // Nothing changed, nothing to write; oversized fuzzy blocks are still worth a warning.
      progress({ phase: 'matching', sourceRecords });
      for (let r = 0; r < rules.length; r++) {
        if (rules[r].fuzzy.length === 0) continue;
        const oversized = await oversizedBlocks(db, r, rules[r]);
        blocksSkipped[r] = oversized.keys.size;
        warnings.push(...oversized.warnings);
      }
      progress({ phase: 'writing', sourceRecords });
    }
    const customers = await count(db, 'SELECT COUNT(*) AS n FROM customer');
    const credited = await db.query<{ r: number | string; n: number | string }>(
      'SELECT rule AS r, COUNT(*) AS n FROM unify_credit GROUP BY rule',
    );
    const merges = rules.map(() => 0);
    for (const row of credited) {
      const r = Number(row.r);
      if (r < merges.length) merges[r] = Number(row.n);
    }
    return {
      ...figures,
      customersUnchanged: customers - figures.customersCreated - figures.customersUpdated,
      sources: sources.length,
      sourceRecords,
      customers,
      recordsMerged: sourceRecords - customers,
      recordsKeyed,
      recordsRecomputed,
      readMs: Math.round(readMs),
      matchMs: Math.round(matchMs),
      writeMs: Math.round(performance.now() - writeStart),
      rules: rules.map((rule, r) => ({
        rule: rule.name,
        merges: merges[r],
        blocksSkipped: blocksSkipped[r],
      })),
      warnings,
    };
  }

  private async setting(key: string): Promise<string | undefined> {
    const rows = await this.db.query<{ value: string }>(
      'SELECT value FROM app_setting WHERE key = ?',
      [key],
    );
    return rows.at(0)?.value;
  }
}

function parseState(text: string | undefined): { matching: string; merging: string } | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as { matching: string; merging: string };
  } catch {
    return undefined;
  }
}

function storedNow(): string {
  return new Date().toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * Marks the clusters whose customer row must be written: new ones, and kept ones that gained or
 * lost records or have a record that changed (a one-record customer only when its fields did:
 * its fields are its record's). Clusters are written marked; the mark is cleared on the kept
 * ones that none of this applies to, so a first run (no kept clusters) rewrites no row here.
 */
async function markChanged(db: Db, remerge: boolean): Promise<void> {
  await db.query(
    `UPDATE unify_work_cluster SET changed = 0
     WHERE keeper IS NOT NULL${remerge ? ' AND size = 1' : ''}
       AND size = (SELECT record_count FROM customer c WHERE c.customer_id = unify_work_cluster.keeper)
       AND NOT EXISTS (SELECT 1 FROM unify_work_member m
         JOIN unify_work_record w ON w.i = m.i LEFT JOIN unify_pending p ON p.rec_no = w.rec_no
         WHERE m.cluster = unify_work_cluster.cluster
           AND (w.old_customer IS NULL OR w.old_customer <> unify_work_cluster.keeper
             OR p.dirty = 1 OR (p.dirty = 2 AND unify_work_cluster.size > 1)))`,
  );
}
