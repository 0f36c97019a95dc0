import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { WorkerThread } from '../common/worker-thread';
import { ChunkCursor } from '../segments/chunk-cursor';
import type { Clusters } from './clusters';
import type { CustomerFields } from './customer-fields';
import type { RecordTable, RecordTableData, SourceInfo } from './record-table';
import type { MergeConfig } from './unification-config';

/** Customers per batch of results the worker posts. */
const BATCH_JOBS = 4096;

/** Batches the worker may work ahead of the customers taken (flow control: bounded memory). */
const BATCHES_AHEAD = 4;

/** Clusters per chunk when the threads share the kept customers' digests. */
const KEPT_CHUNK = 4096;

/** What the worker merges from (typed arrays transferred, texts shared). */
export interface FieldsWorkerInit {
  sources: SourceInfo[];
  merge: MergeConfig;
  clusterCount: number;
  start: Int32Array;
  members: Int32Array;
  /** The records (see `RecordTable.share`). */
  records: RecordTableData;
  batchJobs: number;
  /** Where the worker posts its {@link FieldsBatch}es. */
  results: MessagePort;
  /** Cell 0: jobs the main thread has taken (the worker skips those). */
  taken: SharedArrayBuffer;
}

/**
 * The digests of the kept customers (`keeper[c] >= 0`), shared: each thread takes chunks of
 * `chunk` clusters from `cursor`; the worker writes its digests at `20 * c` in `digests`.
 */
export interface KeptDigests {
  keeper: Int32Array;
  cursor: SharedArrayBuffer;
  chunk: number;
  digests: SharedArrayBuffer;
}

/**
 * Main thread → worker. `kept`: share the kept customers' digests (answered `{ keptDone }`).
 * `jobs`: the customers to write, in write order: `c` for a new customer (its JSON and
 * digest), `~c` for a changed one (its JSON; the digest is known). `limit`: the worker may work
 * on jobs up to there, and no further.
 */
export type FieldsRequest =
  { init: FieldsWorkerInit } | { kept: KeptDigests } | { jobs: Int32Array } | { limit: number };

/** Worker → main thread, on the `results` port: the results of jobs `[first, first + count)`. */
export interface FieldsBatch {
  first: number;
  count: number;
  /** Merged JSON of multi-record jobs as UTF-8, back to back; job `first + i`'s ends at `ends[i]`. */
  json: Uint8Array;
  ends: Uint32Array;
  /** 20 bytes per job: a new customer's digest (zeros for a changed one). */
  digests: ArrayBuffer;
}

interface Batch {
  first: number;
  count: number;
  json: Buffer;
  ends: Uint32Array;
  digests: Buffer;
}

/** What the worker is called in failures. */
const WORKER = 'the customer fields worker';

/**
 * The fields of the customers a large run writes, merged by a worker thread while the main
 * thread runs the inserts: the merges (JSON.parse, FieldMerger, JSON.stringify) and the SHA-1
 * digests are a quarter of the write phase, and the second core would otherwise be idle. The
 * worker runs the same {@link CustomerFields} code over the same bytes (the record texts are
 * shared, not copied), so its results are the in-thread ones. A one-record customer's JSON is
 * its stored text, read here: it must become a string on this thread anyway.
 *
 * Results are taken in the order of the planned jobs, inside the synchronous pass that builds a
 * transaction, so they are received synchronously (`receiveMessageOnPort`): nothing waits for
 * the event loop. The main thread never waits for the worker either: a result that has not
 * arrived (while the worker starts, or falls behind) is computed here, and the worker skips
 * what was taken. It works at most {@link BATCHES_AHEAD} batches ahead.
 */
export class CustomerFieldsFeed {
  private readonly worker: WorkerThread<FieldsRequest, unknown>;
  private readonly results: MessagePort;
  private readonly takenCell = new Int32Array(new SharedArrayBuffer(4));
  private jobs: Int32Array = new Int32Array(0);
  private readonly batches: Batch[] = [];
  private taken = 0;
  private limit = 0;
  private failure?: Error;
  private keptDone?: { resolve: () => void; reject: (error: Error) => void };
  /** Jobs whose results came from the worker (the rest were computed here). */
  fromWorker = 0;

  constructor(
    private readonly fields: CustomerFields,
    private readonly clusters: Clusters,
    records: RecordTable,
    sources: SourceInfo[],
    merge: MergeConfig,
  ) {
    const channel = new MessageChannel();
    this.results = channel.port1;
    const init: FieldsWorkerInit = {
      sources,
      merge,
      clusterCount: clusters.count,
      start: clusters.start.slice(),
      members: clusters.members.slice(),
      records: records.share(),
      batchJobs: BATCH_JOBS,
      results: channel.port2,
      taken: this.takenCell.buffer,
    };
    this.worker = new WorkerThread(__dirname, 'customer-fields.worker', undefined, WORKER, {
      message: () => this.keptDone?.resolve(),
      failed: (error) => {
        this.fail(error);
      },
    });
    // Transferred: the copies above are the worker's, not cloned a second time. The texts and
    // their index arrays are shared memory, read in place.
    const arrays = [init.start, init.members, init.records.source, init.records.lastModified];
    const transfer = [channel.port2, ...arrays.map((a) => a.buffer as ArrayBuffer)];
    this.worker.post({ init }, transfer);
  }

  /**
   * Calls `check(c, digest)` for every kept customer `c` (`keeper[c] >= 0`), in no particular
   * order; `digest` may be a view, valid during the call. The threads take chunks of clusters
   * in turn, so neither waits for a fixed half; the worker's are checked here at the end.
   */
  async digestKept(
    keeper: Int32Array,
    check: (c: number, digest: Buffer) => void,
    checkpoint: () => Promise<void>,
  ): Promise<void> {
    this.throwIfFailed();
    const count = this.clusters.count;
    const chunks = Math.ceil(count / KEPT_CHUNK);
    const cursor = new ChunkCursor(chunks);
    const digests = Buffer.from(new SharedArrayBuffer(count * 20));
    const done = new Promise<void>((resolve, reject) => (this.keptDone = { resolve, reject }));
    done.catch(() => undefined); // awaited below, unless this thread fails first
    const kept: KeptDigests = {
      keeper: keeper.slice(),
      cursor: cursor.buffer,
      chunk: KEPT_CHUNK,
      digests: digests.buffer,
    };
    this.worker.post({ kept }, [kept.keeper.buffer as ArrayBuffer]);
    const mine = new Uint8Array(chunks);
    for (let i = cursor.next(); i >= 0; i = cursor.next()) {
      mine[i] = 1;
      for (let c = i * KEPT_CHUNK, end = Math.min(count, c + KEPT_CHUNK); c < end; c++) {
        if (keeper[c] >= 0) check(c, this.fields.digest(c));
      }
      await checkpoint();
    }
    await done;
    for (let i = 0; i < chunks; i++) {
      if (mine[i]) continue;
      for (let c = i * KEPT_CHUNK, end = Math.min(count, c + KEPT_CHUNK); c < end; c++) {
        if (keeper[c] >= 0) check(c, digests.subarray(c * 20, c * 20 + 20));
      }
    }
  }

  /** The customers to write, in write order (see {@link FieldsRequest}); the worker starts. */
  plan(jobs: Int32Array): void {
    this.jobs = jobs;
    const copy = jobs.slice();
    this.worker.post({ jobs: copy }, [copy.buffer]);
    this.raiseLimit();
  }

  /**
   * The next job's result, which must be cluster `c`'s: its JSON, and for a new customer its
   * digest (maybe a view, valid until the next call).
   */
  take(c: number): { json: string; digest: Buffer | undefined } {
    this.throwIfFailed();
    const j = this.taken;
    const job = this.jobs[j];
    if (j >= this.jobs.length || (job < 0 ? ~job : job) !== c) {
      throw new Error(`customer ${c}'s fields were taken out of the planned order`);
    }
    this.taken++;
    Atomics.store(this.takenCell, 0, this.taken);
    // Raised a batch at a time: the worker stays within BATCHES_AHEAD batches of this thread.
    if (
      this.limit < this.jobs.length &&
      this.taken + (BATCHES_AHEAD - 1) * BATCH_JOBS >= this.limit
    ) {
      this.raiseLimit();
    }
    const batch = this.batchOf(j);
    if (!batch) {
      return { json: this.fields.json(c), digest: job >= 0 ? this.fields.digest(c) : undefined };
    }
    this.fromWorker++;
    const i = j - batch.first;
    const json =
      this.clusters.size(c) === 1
        ? this.fields.json(c)
        : batch.json.toString('utf8', i === 0 ? 0 : batch.ends[i - 1], batch.ends[i]);
    return { json, digest: job >= 0 ? batch.digests.subarray(i * 20, i * 20 + 20) : undefined };
  }

  /** Throws the worker's failure, if it failed. */
  throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  async stop(): Promise<void> {
    this.results.close();
    await this.worker.stop();
  }

  /** The batch holding job `j`'s result, if it has arrived; batches before it are dropped. */
  private batchOf(j: number): Batch | undefined {
    for (;;) {
      while (this.batches.length > 0 && j >= this.batches[0].first + this.batches[0].count) {
        this.batches.shift();
      }
      if (this.batches.length > 0) return this.batches[0].first <= j ? this.batches[0] : undefined;
      const received = receiveMessageOnPort(this.results);
      if (!received) return undefined;
      const message = received.message as FieldsBatch;
      this.batches.push({
        first: message.first,
        count: message.count,
        json: Buffer.from(message.json.buffer, message.json.byteOffset, message.json.byteLength),
        ends: message.ends,
        digests: Buffer.from(message.digests),
      });
    }
  }

  private raiseLimit(): void {
    this.limit = Math.min(this.jobs.length, this.taken + BATCHES_AHEAD * BATCH_JOBS);
    this.worker.post({ limit: this.limit });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.keptDone?.reject(this.failure);
  }
}
