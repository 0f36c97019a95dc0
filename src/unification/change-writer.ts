import type { Db, Statement } from '../database/db.service';
import type { Clusters } from './clusters';
import { CustomerFields } from './customer-fields';
import { CustomerFieldsFeed } from './customer-fields-feed';
import type { FieldMerger } from './field-merger';
import type { MergeConfig } from './unification-config';
import { OldFate, type IdAssignment } from './id-assignment';
import type { OldCustomers, RecordTable, SourceInfo } from './record-table';
import { storedTime } from './snapshot-reader';
import { RowBatch } from '../database/row-batch';
import { WriteUnits } from './write-units';

/**
 * Rows (customers, identities, aliases) per transaction; a unit is never split. Rows are
 * written as they are built (not held until the commit), so this bounds how long the store's
 * write lock and the event loop are held, not memory; fewer, larger commits cost less (each
 * commit writes the index pages it touched to the WAL, and checkpoints copy them again).
 */
export const CHUNK_ROWS = 50_000;

/** Longest `IN (…)` list per statement. */
const IN_LIST = 500;

/**
 * Customers from which a worker thread merges the fields and computes the digests of the
 * customers written (see {@link CustomerFieldsFeed}); below it, starting a thread costs more
 * than it saves.
 */
export const PARALLEL_FIELDS_FROM = 100_000;

export const SEQUENCE_KEY = 'unification.customerSequence';

export interface WriteInput {
  sources: SourceInfo[];
  records: RecordTable;
  clusters: Clusters;
  assignment: IdAssignment;
  old: OldCustomers;
  merge: MergeConfig;
  merger: FieldMerger;
  now: Date;
  /** The next customer number after this run's new IDs (stored with the first new customer). */
  nextSequence: number;
}

export interface WriteFigures {
  customersCreated: number;
  customersUpdated: number;
  customersUnchanged: number;
  customersMerged: number;
  customersDeleted: number;
  identitiesWritten: number;
  identitiesDeleted: number;
  transactions: number;
}

export interface WriteHooks {
  checkpoint(): Promise<void>;
  progress(figures: { customersWritten: number; unitsWritten: number; units: number }): void;
}

/**
 * Applies a run's result as a diff: new customers are inserted, changed ones updated, vanished
 * ones deleted, identities and aliases upserted — and nothing is written for what did not
 * change (so `updated_at` moves only when a customer's fields do). Changes are grouped into
 * units (see {@link WriteUnits}) and units into transactions of about {@link CHUNK_ROWS} rows,
 * each one `Db.atomic` call: a reader sees every customer either before or after the run,
 * never half-written, and SQLite never holds a write transaction across an await.
 */
export class ChangeWriter {
  /** Clusters from which the fields are merged on a worker thread (tests lower it). */
  static parallelFrom = PARALLEL_FIELDS_FROM;

  constructor(private readonly db: Db) {}

  async write(input: WriteInput, hooks: WriteHooks): Promise<WriteFigures> {
    const { records, clusters, sources, merge } = input;
    const fields = new CustomerFields(clusters, records, sources, merge, input.merger);
    // Started first: the thread boots while the changes are found.
    const feed =
      clusters.count >= ChangeWriter.parallelFrom
        ? new CustomerFieldsFeed(fields, clusters, records, sources, merge)
        : undefined;
    try {
      return await this.writeWith(input, hooks, fields, feed);
    } finally {
      await feed?.stop();
    }
  }

  private async writeWith(
    input: WriteInput,
    hooks: WriteHooks,
    fields: CustomerFields,
    feed: CustomerFieldsFeed | undefined,
  ): Promise<WriteFigures> {
    const { records, clusters, assignment, old } = input;
    const { keeper } = assignment;
    const dirtyCluster = new Uint8Array(clusters.count);
    /** Kept customers whose inputs changed: cluster → digest. */
    const changed = new Map<number, Buffer>();
    const check = (c: number, digest: Buffer) => {
      const k = keeper[c];
      const members = clusters.membersOf(c);
      if (!old.sameHash(k, digest) || members.length !== old.recordCount(k)) {
        changed.set(c, feed ? Buffer.from(digest) : digest); // the feed's may be a view
        dirtyCluster[c] = 1;
      } else {
        for (const r of members) {
          if (records.oldCustomer[r] !== k) {
            dirtyCluster[c] = 1;
            break;
          }
        }
      }
    };
    let kept = 0;
    for (let c = 0; c < clusters.count; c++) {
      if (keeper[c] < 0) dirtyCluster[c] = 1;
      else kept++;
    }
    if (feed && kept > 0) {
      await feed.digestKept(keeper, check, () => hooks.checkpoint());
    } else if (kept > 0) {
      for (let c = 0; c < clusters.count; c++) {
        if (keeper[c] >= 0) check(c, fields.digest(c));
        if ((c & 0x3fff) === 0) await hooks.checkpoint();
      }
    }

    // Old customers whose identity rows include records that are no longer current.
    const pointing = new Int32Array(old.count);
    for (let r = 0; r < records.count; r++) {
      const o = records.oldCustomer[r];
      if (o >= 0) pointing[o]++;
    }
    const dirtyOld = new Uint8Array(old.count);
    for (let o = 0; o < old.count; o++) {
      if (assignment.fate[o] !== OldFate.Kept || pointing[o] !== old.recordCount(o)) {
        dirtyOld[o] = 1;
      }
    }

    const units = WriteUnits.plan(clusters, records.oldCustomer, old.count, dirtyCluster, dirtyOld);
    feed?.plan(writeOrder(units, keeper, changed));
    const chunk = new Chunk(this.db, input);
    const sourceIds = input.sources.map((s) => s.id);
    const figures: WriteFigures = {
      customersCreated: 0,
      customersUpdated: changed.size,
      customersUnchanged: 0,
      customersMerged: 0,
      customersDeleted: 0,
      identitiesWritten: 0,
      identitiesDeleted: 0,
      transactions: 0,
    };
    let customersWritten = 0;
    const addUnit = (u: number) => {
      for (const node of units.nodesOf(u)) {
        if (node < clusters.count) {
          const c = node;
          const k = keeper[c];
          const id = assignment.ids[c];
          if (k < 0) {
            const merged = feed?.take(c);
            const json = merged ? merged.json : fields.json(c);
            const digest = merged?.digest ?? fields.digest(c);
            chunk.customer(id, json, digest, clusters.size(c), true);
            figures.customersCreated++;
          } else {
            const digest = changed.get(c);
            if (digest) {
              const json = feed ? feed.take(c).json : fields.json(c);
              chunk.customer(id, json, digest, clusters.size(c), false);
            }
          }
          const members = clusters.members;
          for (let m = clusters.start[c], end = clusters.start[c + 1]; m < end; m++) {
            const r = members[m];
            if (k < 0 || records.oldCustomer[r] !== k) {
              chunk.identity(sourceIds[records.source[r]], records.key(r), id);
              figures.identitiesWritten++;
            }
          }
        } else {
          const o = node - clusters.count;
          const id = old.id(o);
          switch (assignment.fate[o] as OldFate) {
            case OldFate.Merged:
              chunk.merge(id, assignment.ids[assignment.destination[o]]);
              figures.customersMerged++;
              break;
            case OldFate.Deleted:
              chunk.remove(id);
              figures.customersDeleted++;
              break;
            case OldFate.Kept:
              chunk.cleanIdentities(id);
              break;
          }
        }
      }
    };
    // One transaction per chunk of units, its rows built and written in the same synchronous
    // pass (see Chunk.write): the rows are not all held in memory at once.
    let u = 0;
    while (u < units.count) {
      feed?.throwIfFailed(); // before the transaction starts, not halfway through it
      const result = await chunk.write(() => {
        do addUnit(u++);
        while (u < units.count && chunk.rows < CHUNK_ROWS);
      });
      figures.identitiesDeleted += result.identitiesDeleted;
      figures.transactions++;
      customersWritten += result.customers;
      hooks.progress({ customersWritten, unitsWritten: u, units: units.count });
      await hooks.checkpoint();
    }
    figures.customersUnchanged =
      clusters.count - figures.customersCreated - figures.customersUpdated;
    return figures;
  }
}

/**
 * The statements of one transaction, built unit by unit. Customers and identities (nearly all
 * the rows) are emitted a statement at a time while the units are added; the deletes and
 * alias changes, which must follow them, at the end.
 */
class Chunk {
  rows = 0;
  private customerRows = 0;
  private emit: (statement: Statement) => void = () => {
    throw new Error('rows added outside Chunk.write');
  };
  private readonly customers: RowBatch;
  private readonly identities: RowBatch;
  private readonly aliases: RowBatch;
  /** Surviving ID → retired IDs whose aliases now point to it. */
  private repoint = new Map<string, string[]>();
  private retired: string[] = [];
  private removed: string[] = [];
  private kept: string[] = [];
  private newCustomers = 0;
  private readonly now: string;

  constructor(
    private readonly db: Db,
    private readonly input: WriteInput,
  ) {
    this.now = storedTime(input.now);
    const dialect = db.dialect;
    this.customers = new RowBatch(
      'customer',
      ['customer_id', 'fields', 'record_count', 'fields_hash', 'created_at', 'updated_at'],
      dialect,
      {
        casts: { fields: dialect.jsonParam() },
        // created_at stays; updated_at moves only when the fields changed.
        suffix: `ON CONFLICT (customer_id) DO UPDATE SET fields = excluded.fields,
          record_count = excluded.record_count,
          updated_at = CASE WHEN customer.fields = excluded.fields
            THEN customer.updated_at ELSE excluded.updated_at END,
          fields_hash = excluded.fields_hash`,
      },
    );
    this.identities = new RowBatch(
      'customer_identity',
      ['source_id', 'record_key', 'customer_id'],
      dialect,
      { suffix: dialect.upsertSuffix(['source_id', 'record_key'], ['customer_id']) },
    );
    this.aliases = new RowBatch(
      'customer_alias',
      ['previous_id', 'customer_id', 'merged_at'],
      dialect,
      {
        suffix: dialect.upsertSuffix(['previous_id'], ['customer_id', 'merged_at']),
      },
    );
  }

  customer(id: string, json: string, digest: Buffer, size: number, isNew: boolean): void {
    this.customers.add(id, json, size, digest.toString('base64'), this.now, this.now);
    if (isNew) this.newCustomers++;
    this.customerRows++;
    this.rows++;
    if (this.customers.full) this.customers.take().forEach(this.emit);
  }

  identity(sourceId: string, key: string, customerId: string): void {
    this.identities.add(sourceId, key, customerId);
    this.rows++;
    if (this.identities.full) this.identities.take().forEach(this.emit);
  }

  merge(retiredId: string, survivorId: string): void {
    this.aliases.add(retiredId, survivorId, this.now);
    const list = this.repoint.get(survivorId) ?? [];
    list.push(retiredId);
    this.repoint.set(survivorId, list);
    this.retired.push(retiredId);
    this.rows++;
  }

  remove(id: string): void {
    this.removed.push(id);
    this.rows++;
  }

  cleanIdentities(id: string): void {
    this.kept.push(id);
    this.rows++;
  }

  /**
   * Runs `addUnits` (which adds this transaction's units, synchronously) and writes the rows as
   * one transaction.
   */
  async write(addUnits: () => void): Promise<{ customers: number; identitiesDeleted: number }> {
    let tail: { statements: Statement[]; identityDeletes: number[] } | undefined;
    const changes = await this.db.atomicStream((emit) => {
      this.emit = emit;
      addUnits();
      this.customers.take().forEach(emit);
      this.identities.take().forEach(emit);
      tail = this.tail();
      tail.statements.forEach(emit);
    });
    const customers = this.customerRows;
    this.reset();
    const first = changes.length - (tail?.statements.length ?? 0);
    return {
      customers,
      identitiesDeleted: (tail?.identityDeletes ?? []).reduce(
        (sum, i) => sum + changes[first + i],
        0,
      ),
    };
  }

  /** The statements after the customers and identities: deletes, aliases, the sequence. */
  private tail(): { statements: Statement[]; identityDeletes: number[] } {
    const db = this.db;
    const statements: Statement[] = [];
    // Identities still pointing to a merged or deleted customer are records that are gone.
    const identityDeletes: number[] = [];
    for (const ids of slices([...this.retired, ...this.removed])) {
      identityDeletes.push(statements.length);
      statements.push({
        sql: `DELETE FROM customer_identity WHERE customer_id IN (${marks(ids.length)})`,
        params: ids,
      });
    }
    for (const ids of slices(this.kept)) {
      identityDeletes.push(statements.length);
      statements.push({
        sql: `DELETE FROM customer_identity WHERE customer_id IN (${marks(ids.length)})
          AND NOT EXISTS (SELECT 1 FROM source s JOIN source_record r
            ON r.source_id = s.id AND r.generation = s.current_generation
            WHERE s.id = customer_identity.source_id AND r.record_key = customer_identity.record_key)`,
        params: ids,
      });
    }
    for (const [survivor, retired] of this.repoint) {
      for (const ids of slices(retired)) {
        statements.push({
          sql: `UPDATE customer_alias SET customer_id = ? WHERE customer_id IN (${marks(ids.length)})`,
          params: [survivor, ...ids],
        });
      }
    }
    statements.push(...this.aliases.take());
    for (const ids of slices(this.removed)) {
      statements.push({
        sql: `DELETE FROM customer_alias WHERE customer_id IN (${marks(ids.length)})`,
        params: ids,
      });
    }
    for (const ids of slices([...this.retired, ...this.removed])) {
      statements.push({
        sql: `DELETE FROM customer WHERE customer_id IN (${marks(ids.length)})`,
        params: ids,
      });
    }
    if (this.newCustomers > 0) {
      statements.push(
        ...db.insertRows(
          'app_setting',
          ['key', 'value', 'updated_at'],
          [[SEQUENCE_KEY, JSON.stringify(this.input.nextSequence), this.now]],
          { suffix: db.dialect.upsertSuffix(['key'], ['value', 'updated_at']) },
        ),
      );
    }
    return { statements, identityDeletes };
  }

  private reset(): void {
    this.rows = 0;
    this.customerRows = 0;
    this.repoint = new Map();
    this.retired = [];
    this.removed = [];
    this.kept = [];
    this.newCustomers = 0;
  }
}

/**
 * The customers {@link ChangeWriter.write} writes (new or changed), in the order it writes
 * them, as {@link CustomerFieldsFeed} jobs: `c` for a new customer, `~c` for a changed one.
 */
function writeOrder(units: WriteUnits, keeper: Int32Array, changed: Map<number, Buffer>) {
  const jobs = new Int32Array(units.clusterCount);
  let n = 0;
  for (let u = 0; u < units.count; u++) {
    for (const node of units.nodesOf(u)) {
      if (node >= units.clusterCount) continue;
      if (keeper[node] < 0) jobs[n++] = node;
      else if (changed.has(node)) jobs[n++] = ~node;
    }
  }
  return jobs.slice(0, n);
}

function* slices(ids: string[]): Generator<string[]> {
  for (let i = 0; i < ids.length; i += IN_LIST) yield ids.slice(i, i + IN_LIST);
}

function marks(n: number): string {
  return new Array<string>(n).fill('?').join(', ');
}
