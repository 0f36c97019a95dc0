import { Clusters } from './clusters';
import { CustomerFields } from './customer-fields';
import { CustomerFieldsFeed } from './customer-fields-feed';
import { FieldMerger } from './field-merger';
import { RecordTable, type SourceInfo } from './record-table';
import type { MergeConfig } from './unification-config';
import { UnionFind } from './union-find';

const sources: SourceInfo[] = [
  { id: 'id-crm', name: 'crm', generation: 1 },
  { id: 'id-shop', name: 'shop', generation: 1 },
  { id: 'id-web', name: 'web', generation: 1 },
];
const merge: MergeConfig = {
  default: 'mostRecent',
  fields: { first: { sourcePriority: ['id-web', 'id-crm'] }, ltv: 'leastRecent' },
  groups: [{ name: 'address', fields: ['street', 'city', 'zip'] }],
};

/**
 * Records with shuffled keys (arrival order is not identity order), non-ASCII values, some
 * undated; every third one alone, the others in customers of 2–5 records across sources.
 */
function table(n: number, fieldsOf: (i: number) => string = fieldsJson) {
  const records = new RecordTable();
  for (let i = 0; i < n; i++) {
    const at = i % 7 === 0 ? Number.NaN : Date.UTC(2024, i % 12, (i % 27) + 1);
    records.add(i % 3, `k${(i * 7919) % n}`, fieldsOf(i), at);
  }
  const sets = new UnionFind(n);
  for (let i = 0; i < n; i++) if (i % 3 !== 0 && i % 5 !== 0) sets.union(i, i - (i % 5));
  const clusters = Clusters.from(sets, records.identityOrder());
  const fields = new CustomerFields(
    clusters,
    records,
    sources,
    merge,
    new FieldMerger(merge, sources),
  );
  return { records, clusters, fields };
}

function fieldsJson(i: number): string {
  const f: Record<string, unknown> = { email: `p${i % 40}@x.com`, first: `Fïrst ${i} ✓` };
  if (i % 2 === 0) f.city = `City ${i % 9} 𝄞`;
  if (i % 4 === 1) f.zip = `${i % 10}000`;
  if (i % 3 === 2) f.ltv = i * 1.5;
  return JSON.stringify(f);
}

/** Every cluster once, not in cluster order; every fourth one "changed" (`~c`: JSON only). */
function jobsOf(count: number): Int32Array {
  const jobs = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    const c = (j * 40503) % count;
    jobs[j] = j % 4 === 3 ? ~c : c;
  }
  return jobs;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes every job, 1000 at a time with `pause` ms between; counts wrong results. */
async function takeAll(
  feed: CustomerFieldsFeed,
  { clusters, fields }: ReturnType<typeof table>,
  jobs: Int32Array,
  pause: number,
) {
  let wrong = 0;
  for (let from = 0; from < jobs.length; from += 1000) {
    for (let j = from; j < Math.min(jobs.length, from + 1000); j++) {
      const job = jobs[j];
      const c = job < 0 ? ~job : job;
      const got = feed.take(c);
      if (got.json !== fields.json(c)) wrong++;
      if (job >= 0 && !got.digest?.equals(fields.digest(c))) wrong++;
      if (job < 0 && got.digest !== undefined) wrong++;
    }
    if (pause > 0) await sleep(pause);
  }
  expect(clusters.count).toBeGreaterThan(2 * 4096); // several batches
  return wrong;
}

describe('CustomerFieldsFeed', () => {
  const data = table(30_011);
  const { records, clusters, fields } = data;
  const jobs = jobsOf(clusters.count);

  it("shares the kept customers' digests, then merges ahead of this thread: the in-thread results", async () => {
    const feed = new CustomerFieldsFeed(fields, clusters, records, sources, merge);
    try {
      const keeper = new Int32Array(clusters.count);
      for (let c = 0; c < clusters.count; c++) keeper[c] = c % 3 === 1 ? -1 : c;
      const seen = new Int32Array(clusters.count);
      let wrong = 0;
      let checkpoints = 0;
      await feed.digestKept(
        keeper,
        (c, digest) => {
          seen[c]++;
          if (!digest.equals(fields.digest(c))) wrong++;
        },
        () => {
          checkpoints++;
          return Promise.resolve();
        },
      );
      expect(wrong).toBe(0);
      for (let c = 0; c < clusters.count; c++) expect(seen[c]).toBe(keeper[c] < 0 ? 0 : 1);
      expect(checkpoints).toBeGreaterThan(0);

      // The worker is running now; with pauses it works ahead and nearly all results are its.
      feed.plan(jobs);
      expect(await takeAll(feed, data, jobs, 5)).toBe(0);
      expect(feed.fromWorker).toBeGreaterThan(jobs.length / 2);
      expect(() => feed.take(0)).toThrow(/taken out of the planned order/);
    } finally {
      await feed.stop();
    }
  });

  it('computes here what the worker has not delivered yet', async () => {
    const feed = new CustomerFieldsFeed(fields, clusters, records, sources, merge);
    try {
      feed.plan(jobs);
      expect(await takeAll(feed, data, jobs, 0)).toBe(0);
      expect(feed.fromWorker).toBeLessThan(jobs.length);
    } finally {
      await feed.stop();
    }
  });

  it('refuses a result taken out of order', async () => {
    const feed = new CustomerFieldsFeed(fields, clusters, records, sources, merge);
    try {
      feed.plan(Int32Array.of(1, 0));
      expect(() => feed.take(0)).toThrow(/customer 0's fields were taken out of the planned order/);
    } finally {
      await feed.stop();
    }
  });

  it('fails with a clear message when the worker fails', async () => {
    const broken = table(100, (i) => (i === 1 ? '{bad' : fieldsJson(i)));
    const c = broken.clusters.clusterOf[1];
    expect(broken.clusters.size(c)).toBeGreaterThan(1);
    const feed = new CustomerFieldsFeed(
      broken.fields,
      broken.clusters,
      broken.records,
      sources,
      merge,
    );
    try {
      feed.plan(Int32Array.of(c));
      const message = /the customer fields worker failed: .*JSON/;
      for (let waited = 0; waited < 30_000; waited += 20) {
        try {
          feed.throwIfFailed();
        } catch {
          break;
        }
        await sleep(20);
      }
      expect(() => {
        feed.throwIfFailed();
      }).toThrow(message);
      expect(() => feed.take(c)).toThrow(message);
    } finally {
      await feed.stop();
    }
  });
});
