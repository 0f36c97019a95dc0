import {
  DestinationError,
  DestinationErrorCode,
  type ChangeBatch,
  type DestinationRef,
  type MemberOutcome,
  type MemberRecord,
  type PluginLogger,
  type SegmentExportJob,
  type SyncMode,
} from '@audience-sync/exporter-contract';
import type { Db } from '@platform/database/db.service';
import { CUSTOMER_ID_FIELD } from '@stages/contract/customer-field';
import {
  CheckpointStore,
  PendingOp,
  type ExportTarget,
  type RecordTally,
} from './checkpoint-store';
import type { SegmentHold } from './export-run';
import type { MemberKeySql } from './member-keys';
import { removalsOverLimit, type RemovalLimit } from './removal-limit';
import type { MemberLogWriter } from './member-log-writer';

const DEFAULT_CHANGE_BATCH = 1000;
const DEFAULT_MEMBER_BATCH = 5000;

/** Tallies a job keeps while the plugin works (read by the run for its figures). */
export interface JobTally extends Omit<RecordTally, 'failures'> {
  failures: string[];
  processed: number;
  total: number;
}

export interface SegmentJobOptions {
  db: Db;
  store: CheckpointStore;
  destination: DestinationRef;
  segment: { id: string; name: string; description: string | null };
  syncMode: SyncMode;
  fullSync: boolean;
  signal: AbortSignal;
  keys: MemberKeySql;
  target: ExportTarget;
  counts: { members: number; withoutKey: number };
  log: PluginLogger;
  /**
   * The removal limit to enforce before any write (mirror exports not approved); absent: none.
   */
  removalLimit?: RemovalLimit;

  /** The run's per-member log of this segment (absent when the log is off). */
  memberLog?: MemberLogWriter;
  /** Called whenever figures change (the run persists them now and then). */
  onChange?: () => void;
}

/**
 * The contract's {@link SegmentExportJob}: a plugin's view of one segment of one run, backed
 * by the checkpoint store. `prepare()` must run before the plugin gets the job.
 */
export class SegmentJob implements SegmentExportJob {
  readonly destination: DestinationRef;
  readonly segment: { id: string; name: string; description: string | null };
  readonly syncMode: SyncMode;
  readonly fullSync: boolean;
  readonly signal: AbortSignal;
  readonly counts: { members: number; withoutKey: number };
  readonly log: PluginLogger;
  readonly tally: JobTally = {
    exported: 0,
    removed: 0,
    skippedNotFound: 0,
    skippedInvalid: 0,
    skippedNoKey: 0,
    failed: 0,
    failures: [],
    processed: 0,
    total: 0,
  };
  /** Pending changes when the job was prepared (or last re-prepared). */
  planned = { adds: 0, removes: 0 };
  /** What `reconcile` found, for the run's notes. */
  readonly reconciliations: { unexpected: number; missing: number }[] = [];
  checkpointReset = false;
  /** Set when the removal limit stopped the segment (the plugin then gets an error). */
  held: SegmentHold | null = null;
  /** What the plugin last said of its requests (kept for a segment that fails). */
  readonly requests = { requests: 0, throttled: 0 };
  private currentState: Record<string, unknown>;

  constructor(private readonly o: SegmentJobOptions) {
    this.destination = o.destination;
    this.segment = o.segment;
    this.syncMode = o.syncMode;
    this.fullSync = o.fullSync;
    this.signal = o.signal;
    this.counts = o.counts;
    this.log = o.log;
    this.currentState = o.target.state;
  }

  get state(): Readonly<Record<string, unknown>> {
    return this.currentState;
  }

  /** (Re)computes the pending changes from the checkpoint and the membership. */
  async prepare(): Promise<void> {
    this.planned = await this.o.store.prepare(
      this.o.target.id,
      this.o.keys,
      this.segment.id,
      this.syncMode,
      await this.o.memberLog?.plannedAdds(),
    );
    this.tally.total = this.planned.adds + this.planned.removes;
    await this.o.memberLog?.plan(this.planned, this.counts.withoutKey);
  }

  /**
   * Stops the segment (throws) when the planned removals go over the removal limit: called
   * before the plugin gets the job and again after a `reconcile`, which may plan more removals
   * (members added by hand in the target), so a held segment never reaches a write.
   */
  async checkRemovals(): Promise<void> {
    const limit = this.o.removalLimit;
    if (!limit || this.syncMode !== 'mirror' || this.planned.removes === 0) return;
    const listSize = await this.o.store.size(this.o.target.id);
    const reason = removalsOverLimit(this.planned.removes, listSize, limit);
    if (reason === null) return;
    this.held = { reason, removals: this.planned.removes, listSize };
    throw new DestinationError(
      DestinationErrorCode.CANCELED,
      `Held before any write: the export ${reason}.`,
    );
  }

  async saveState(state: Record<string, unknown>): Promise<void> {
    await this.o.store.saveState(this.o.target.id, state);
    this.currentState = { ...state };
  }

  async *changes(options: { batchSize?: number } = {}): AsyncIterable<ChangeBatch> {
    const size = Math.max(1, options.batchSize ?? DEFAULT_CHANGE_BATCH);
    const ops = this.syncMode === 'mirror' ? [PendingOp.ADD, PendingOp.REMOVE] : [PendingOp.ADD];
    for (const op of ops) {
      let after = '';
      for (;;) {
        this.throwIfCanceled();
        const keys = await this.o.store.pending(this.o.target.id, op, after, size);
        if (keys.length === 0) break;
        after = keys[keys.length - 1];
        yield op === PendingOp.ADD ? { add: keys, remove: [] } : { add: [], remove: keys };
        if (keys.length < size) break;
      }
    }
  }

  async record(outcomes: MemberOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const keys = this.o.keys;
    const normalized = keys.lowerCase
      ? outcomes.map((o) => ({ ...o, key: keys.normalize(o.key) }))
      : outcomes;
    const t = await this.o.store.record(
      this.o.target.id,
      normalized,
      this.o.memberLog?.statements(normalized),
    );
    this.tally.exported += t.exported;
    this.tally.removed += t.removed;
    this.tally.skippedNotFound += t.skippedNotFound;
    this.tally.skippedInvalid += t.skippedInvalid;
    this.tally.skippedNoKey += t.skippedNoKey;
    this.tally.failed += t.failed;
    this.tally.failures.push(...t.failures.slice(0, Math.max(0, 20 - this.tally.failures.length)));
    this.tally.processed += outcomes.length;
    this.o.onChange?.();
  }

  checkpointSize(): Promise<number> {
    return this.o.store.size(this.o.target.id);
  }

  async resetCheckpoint(): Promise<void> {
    const forgotten = await this.o.store.reset(this.o.target.id);
    this.checkpointReset = true;
    // Nothing held was forgotten (a first export to a new list): the plan stands as it is.
    if (forgotten > 0) await this.prepare();
  }

  async reconcile(
    actualKeys: AsyncIterable<string[]>,
  ): Promise<{ unexpected: number; missing: number }> {
    const keys = this.o.keys;
    const result = await this.o.store.reconcile(
      this.o.target.id,
      normalizedPages(actualKeys, keys),
    );
    this.reconciliations.push(result);
    await this.prepare();
    await this.checkRemovals();
    return result;
  }

  async *members(options: { fields: string[]; batchSize?: number }): AsyncIterable<MemberRecord[]> {
    const size = Math.max(1, options.batchSize ?? DEFAULT_MEMBER_BATCH);
    const keyed = this.o.keys.keyField !== CUSTOMER_ID_FIELD;
    const sql = `SELECT sm.customer_id AS customer_id, c.fields AS fields
      FROM segment_member sm JOIN customer c ON c.customer_id = sm.customer_id
      WHERE sm.segment_id = ? AND sm.customer_id > ?${keyed ? ` AND ${this.o.keys.key} <> ''` : ''}
      ORDER BY sm.customer_id LIMIT ?`;
    let after = '';
    for (;;) {
      this.throwIfCanceled();
      const rows = await this.o.db.query<{
        customer_id: string;
        fields: string | Record<string, unknown>;
      }>(sql, [this.segment.id, after, size]);
      if (rows.length === 0) return;
      after = rows[rows.length - 1].customer_id;
      yield rows.map((r) => toRecord(r.customer_id, r.fields, options.fields));
      if (rows.length < size) return;
    }
  }

  progress(processed: number, total: number): void {
    this.tally.processed = processed;
    this.tally.total = total;
    this.o.onChange?.();
  }

  reportRequests(figures: { requests: number; throttled: number }): void {
    this.requests.requests = count(figures.requests, this.requests.requests);
    this.requests.throttled = count(figures.throttled, this.requests.throttled);
    this.o.onChange?.();
  }

  private throwIfCanceled(): void {
    if (this.signal.aborted) {
      throw new DestinationError(DestinationErrorCode.CANCELED, 'The export was canceled.');
    }
  }
}

/** A figure from a plugin: a whole number ≥ 0, or the previous value when it is not one. */
function count(value: unknown, previous: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : previous;
}

function toRecord(
  customerId: string,
  raw: string | Record<string, unknown>,
  fields: string[],
): MemberRecord {
  const values = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
  const out: MemberRecord['fields'] = {};
  for (const f of fields) {
    const v = f === CUSTOMER_ID_FIELD ? customerId : values[f];
    out[f] = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
  }
  return { customerId, fields: out };
}

async function* normalizedPages(
  pages: AsyncIterable<string[]>,
  keys: MemberKeySql,
): AsyncIterable<string[]> {
  for await (const page of pages) yield keys.lowerCase ? page.map((k) => keys.normalize(k)) : page;
}
