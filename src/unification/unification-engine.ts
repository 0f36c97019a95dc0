import { Logger } from '@nestjs/common';
import type { Db } from '../database/db.service';
import type { FieldValues } from '../sources/customer-field';
import { ChangeWriter, SEQUENCE_KEY, type WriteFigures } from './change-writer';
import { Clusters } from './clusters';
import { compileRules } from './compiled-rules';
import { FieldMerger } from './field-merger';
import { assignIds } from './id-assignment';
import { Matcher, type RuleFigures } from './matcher';
import { PARALLEL_READ_FROM, ParallelRead } from './parallel-read';
import type { Pacer } from './pacer';
import { RecordTable, type OldCustomers, type SourceInfo } from './record-table';
import { parseLastModified, SnapshotReader } from './snapshot-reader';
import { ScratchText } from './text-store';
import type { UnificationConfig } from './unification-config';

/**
 * Share of the rowids the main thread reads when a worker reads the rest: the main thread also
 * files the worker's match keys afterwards, so it takes less (balanced at 1,000,000 records,
 * docs/benchmarks.md).
 */
const MAIN_THREAD_SHARE = 0.42;

/** Attempts at a consistent read when sources are re-ingested during the read. */
const READ_ATTEMPTS = 3;

export interface EngineFigures extends WriteFigures {
  sources: number;
  sourceRecords: number;
  customers: number;
  /** Records that joined another record's customer: sourceRecords − customers. */
  recordsMerged: number;
  /** Customers whose records now belong to two or more customers. */
  customersSplit: number;
  /** SQLite, many records: records read by the second reader (see parallel-read.ts). */
  recordsReadByWorker: number;
  readMs: number;
  matchMs: number;
  writeMs: number;
  rules: RuleFigures[];
  warnings: string[];
}

export type EngineProgress = (figures: Record<string, number | string>) => void;

/** Formats customer number `n` as a customer ID (`cus_000000000042`); text order = number order. */
export function customerIdFor(n: number): string {
  return `cus_${String(n).padStart(12, '0')}`;
}

/**
 * One unification run: read the current source records (with the customer each belonged to),
 * match them into clusters, give the clusters stable IDs, merge their fields and write the
 * difference. Memory stays compact (typed arrays per record, the fields as JSON text); see
 * the notes in docs/benchmarks.md for the figures.
 */
export class UnificationEngine {
  private readonly logger = new Logger('Unification');
  private readonly reader: SnapshotReader;

  constructor(
    private readonly db: Db,
    /** SQLite: source-record rowids from which a worker reads half of them (see parallel-read.ts). */
    private readonly parallelReadFrom = PARALLEL_READ_FROM,
  ) {
    this.reader = new SnapshotReader(db);
  }

  async run(
    config: UnificationConfig,
    pacer: Pacer,
    progress: EngineProgress,
  ): Promise<EngineFigures> {
    const checkpoint = () => pacer.checkpoint();
    const readStart = performance.now();
    let snapshot = await this.read(config, checkpoint, progress);
    for (let attempt = 1; !snapshot.consistent; attempt++) {
      if (attempt >= READ_ATTEMPTS) {
        throw new Error(
          `sources were re-ingested during each of ${READ_ATTEMPTS} attempts to read them; run unification again when ingestion is done`,
        );
      }
      this.logger.warn('a source was re-ingested while unification read it; reading again');
      snapshot = await this.read(config, checkpoint, progress);
    }
    const { sources, records, old, matcher, recordsReadByWorker } = snapshot;
    const readMs = performance.now() - readStart;

    progress({ phase: 'matching', sourceRecords: records.count });
    const matchStart = performance.now();
    const matched = await matcher.finish(records.source, checkpoint, records.count);
    const clusters = Clusters.from(matched.sets, records.identityOrder());
    let sequence = Number((await this.readSetting(SEQUENCE_KEY)) ?? 1);
    const aliases = await this.reader.aliasIds();
    const newId = () => {
      for (;;) {
        const id = customerIdFor(sequence++);
        if (!old.has(id) && !aliases.has(id)) return id;
      }
    };
    const assignment = assignIds(clusters, records.oldCustomer, old, newId);
    const matchMs = performance.now() - matchStart;
    await checkpoint();

    progress({ phase: 'writing', sourceRecords: records.count, customers: clusters.count });
    const writeStart = performance.now();
    const written = await new ChangeWriter(this.db).write(
      {
        sources,
        records,
        clusters,
        assignment,
        old,
        merge: config.merge,
        merger: new FieldMerger(config.merge, sources),
        now: new Date(),
        nextSequence: sequence,
      },
      {
        checkpoint,
        progress: (p) => {
          progress({
            phase: 'writing',
            sourceRecords: records.count,
            customers: clusters.count,
            ...p,
          });
        },
      },
    );
    return {
      ...written,
      sources: sources.length,
      sourceRecords: records.count,
      customers: clusters.count,
      recordsMerged: records.count - clusters.count,
      customersSplit: assignment.split,
      recordsReadByWorker,
      readMs: Math.round(readMs),
      matchMs: Math.round(matchMs),
      writeMs: Math.round(performance.now() - writeStart),
      rules: matched.rules,
      warnings: matched.warnings,
    };
  }

  private async read(
    config: UnificationConfig,
    checkpoint: () => Promise<void>,
    progress: EngineProgress,
  ): Promise<{
    consistent: boolean;
    sources: SourceInfo[];
    records: RecordTable;
    old: OldCustomers;
    matcher: Matcher;
    recordsReadByWorker: number;
  }> {
    const sources = await this.reader.sources();
    const old = await this.reader.oldCustomers(checkpoint);
    const records = new RecordTable();
    const matcher = new Matcher(compileRules(config.rules), config.dedupeWithinSource);
    const matching = config.rules.length > 0;
    const second = await this.secondReader(sources, config);
    let recordsReadByWorker = 0;
    try {
      for await (const page of this.reader.records(sources, second?.upTo)) {
        for (const row of page) {
          const index = records.add(
            row.source,
            row.key,
            row.fields,
            parseLastModified(row.lastModified),
          );
          if (matching) matcher.add(index, row.source, JSON.parse(row.fields) as FieldValues);
        }
        progress({ phase: 'reading', sourceRecords: records.count });
        await checkpoint();
      }
      if (second) {
        const part = await second.read.finished;
        let next = records.append(part.table);
        recordsReadByWorker = part.table.count;
        for (const batch of part.keys) {
          matcher.addPacked(next, records.source, batch);
          next += batch.count;
          await checkpoint();
        }
        progress({ phase: 'reading', sourceRecords: records.count });
      }
    } finally {
      await second?.read.stop();
    }
    records.identityOrder();
    for (let s = 0; s < sources.length; s++) {
      await this.linkIdentities(sources[s], s, records, old, checkpoint);
    }
    const after = await this.reader.sources();
    const consistent =
      after.length === sources.length &&
      after.every((s, i) => s.id === sources[i].id && s.generation === sources[i].generation);
    return { consistent, sources, records, old, matcher, recordsReadByWorker };
  }

  /**
   * SQLite, many records: a worker that reads the upper half of the source-record rowids while
   * this thread reads the rest (up to `upTo`). Its records come after this thread's, so the
   * records arrive in the same order as from one reader.
   */
  private async secondReader(
    sources: SourceInfo[],
    config: UnificationConfig,
  ): Promise<{ read: ParallelRead; upTo: number } | undefined> {
    const file = this.db.sqliteFile;
    if (!file || sources.length === 0) return undefined;
    const [range] = await this.db.query<{ lo: number | null; hi: number | null }>(
      'SELECT MIN(rowid) AS lo, MAX(rowid) AS hi FROM source_record',
    );
    if (range.lo === null || range.hi === null) return undefined;
    if (range.hi - range.lo + 1 < this.parallelReadFrom) return undefined;
    const upTo = range.lo + Math.floor((range.hi - range.lo) * MAIN_THREAD_SHARE);
    const read = new ParallelRead({
      file,
      sources: sources.map((s) => ({ id: s.id, generation: s.generation })),
      rules: config.rules.length > 0 ? config.rules : null,
      after: upTo,
      upTo: Number.MAX_SAFE_INTEGER,
    });
    return { read, upTo };
  }

  /**
   * Sets each record's previous customer from the source's identities. Both sides are in key
   * order (records sorted by code point; identities as the store sorts them, which is the same
   * on SQLite), so a merge join does it without a lookup table; should the store's order differ
   * (a PostgreSQL collation), it falls back to a map of the source's keys.
   */
  private async linkIdentities(
    source: SourceInfo,
    rank: number,
    records: RecordTable,
    old: OldCustomers,
    checkpoint: () => Promise<void>,
  ): Promise<void> {
    const own = records.recordsOfSource(rank);
    const keys = records.keys;
    let p = 0;
    let byKey: Map<string, number> | undefined;
    let probe = new ScratchText();
    let previous = new ScratchText();
    let first = true;
    for await (const page of this.reader.identities(source)) {
      for (const { key, customerId } of page) {
        [probe, previous] = [previous, probe];
        probe.set(key);
        if (!byKey && !first && probe.compare(previous) <= 0) {
          byKey = new Map(Array.from(own, (r) => [records.key(r), r]));
        }
        first = false;
        let record = -1;
        if (byKey) {
          record = byKey.get(key) ?? -1;
        } else {
          while (p < own.length && keys.compareTo(own[p], probe.buffer, 0, probe.length) < 0) p++;
          if (p < own.length && keys.compareTo(own[p], probe.buffer, 0, probe.length) === 0) {
            record = own[p];
          }
        }
        if (record >= 0) records.oldCustomer[record] = old.indexOf(customerId);
      }
      await checkpoint();
    }
  }

  private async readSetting(key: string): Promise<unknown> {
    const rows = await this.db.query<{ value: string }>(
      'SELECT value FROM app_setting WHERE key = ?',
      [key],
    );
    return rows.length > 0 ? (JSON.parse(rows[0].value) as unknown) : undefined;
  }
}
