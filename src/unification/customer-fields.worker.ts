/**
 * Merges customers' fields and computes their digests for a large unification run's write
 * (see `customer-fields-feed.ts`), with the same {@link CustomerFields} code as the main thread
 * over the same record texts (shared, not copied). Works through the planned jobs in order,
 * skipping those the main thread has already taken, never past the limit it sets, and posts a
 * {@link FieldsBatch} (transferred) per `batchJobs` jobs. It reads and writes nothing else.
 */
import { parentPort, type MessagePort } from 'node:worker_threads';
import { ChunkCursor } from '../segments/chunk-cursor';
import { Clusters } from './clusters';
import { CustomerFields } from './customer-fields';
import type {
  FieldsBatch,
  FieldsRequest,
  FieldsWorkerInit,
  KeptDigests,
} from './customer-fields-feed';
import { FieldMerger } from './field-merger';
import { TextStore } from './text-store';
import { Utf8Pack } from '../common/utf8-pack';

const port = parentPort;
if (!port) throw new Error('customer-fields.worker must run in a worker thread');

let state:
  | {
      clusters: Clusters;
      fields: CustomerFields;
      batchJobs: number;
      results: MessagePort;
      taken: Int32Array;
    }
  | undefined;
let jobs: Int32Array = new Int32Array(0);
let done = 0;

port.on('message', (request: FieldsRequest) => {
  if ('init' in request) {
    state = start(request.init);
  } else if ('kept' in request) {
    digestKept(request.kept);
    port.postMessage({ keptDone: true });
  } else if ('jobs' in request) {
    jobs = request.jobs;
  } else {
    produce(Math.min(request.limit, jobs.length));
  }
});

function start(init: FieldsWorkerInit) {
  const clusters = new Clusters(init.clusterCount, init.start, init.members, new Int32Array(0));
  const records = {
    source: init.records.source,
    lastModified: init.records.lastModified,
    keys: TextStore.of(init.records.keys),
    fields: TextStore.of(init.records.fields),
  };
  const merger = new FieldMerger(init.merge, init.sources);
  const fields = new CustomerFields(clusters, records, init.sources, init.merge, merger);
  const taken = new Int32Array(init.taken);
  return { clusters, fields, batchJobs: init.batchJobs, results: init.results, taken };
}

function ready() {
  if (!state) throw new Error('customer-fields.worker got work before its data');
  return state;
}

function digestKept(kept: KeptDigests): void {
  const { clusters, fields } = ready();
  const cursor = new ChunkCursor(kept.cursor);
  const digests = Buffer.from(kept.digests);
  for (let i = cursor.next(); i >= 0; i = cursor.next()) {
    for (let c = i * kept.chunk, end = Math.min(clusters.count, c + kept.chunk); c < end; c++) {
      if (kept.keeper[c] >= 0) fields.digest(c).copy(digests, c * 20);
    }
  }
}

/** Posts the results of the jobs up to `limit` that the main thread has not taken yet. */
function produce(limit: number): void {
  const { batchJobs, results, taken } = ready();
  for (;;) {
    done = Math.max(done, Atomics.load(taken, 0));
    if (done >= limit) return;
    const message = batch(done, Math.min(batchJobs, jobs.length - done));
    results.postMessage(message, [
      message.json.buffer as ArrayBuffer,
      message.ends.buffer as ArrayBuffer,
      message.digests,
    ]);
    done += message.count;
  }
}

function batch(first: number, count: number): FieldsBatch {
  const { clusters, fields } = ready();
  const texts = new Utf8Pack(64 * 1024);
  const ends = new Uint32Array(count);
  const digests = Buffer.from(new ArrayBuffer(count * 20));
  for (let i = 0; i < count; i++) {
    const job = jobs[first + i];
    const c = job < 0 ? ~job : job;
    if (clusters.size(c) > 1) {
      texts.add(fields.json(c));
    }
    ends[i] = texts.byteLength;
    if (job >= 0) fields.digest(c).copy(digests, i * 20);
  }
  const { bytes } = texts.take();
  return { first, count, json: bytes, ends, digests: digests.buffer };
}
