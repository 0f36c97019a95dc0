import type { ChangeBatch, MemberOutcome, SyncMode } from '@audience-sync/exporter-contract';
import { openSpecDb, type SpecDb } from '../../../test/support/spec-db';
import { asyncPages } from '../../../test/support/memory-destination';
import { seedSegment, type SeedMember } from '../../../test/support/segment-seed';
import { CheckpointStore } from './checkpoint-store';
import { effectiveOutcome, LogOutcome } from './member-log-codes';
import { MemberLogReader } from './member-log-reader';
import { MemberLogWriter } from './member-log-writer';
import { MemberKeySql } from './member-keys';
import { SegmentJob } from './segment-job';

const silent = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

function people(
  from: number,
  to: number,
  extra: (i: number) => Record<string, string | number> = () => ({}),
): SeedMember[] {
  const out: SeedMember[] = [];
  for (let i = from; i < to; i++) {
    out.push({
      customerId: `cust-${String(i).padStart(6, '0')}`,
      fields: {
        contactId: `contact-${String(i).padStart(6, '0')}`,
        email: `p${i}@example.test`,
        ...extra(i),
      },
    });
  }
  return out;
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

// With the member log on, the pending adds are taken from its rows: the same plans must result.
describe.each([
  ['off', false],
  ['on', true],
])('CheckpointStore and SegmentJob (set-based diffs), member log %s', (_label, withLog) => {
  let s: SpecDb;
  let store: CheckpointStore;
  const destinationId = 'dest-1';
  let runs = 0;

  /** A member log of a run of its own (as each job() call stands for a run). */
  async function openLog(
    segmentId: string,
    targetId: number,
    keys: MemberKeySql,
  ): Promise<MemberLogWriter> {
    const runId = `run-${++runs}`;
    await s.db.query(
      `INSERT INTO export_log (run_id, destination_id, segment_id, key_field, created_at)
       VALUES (?, ?, ?, ?, ?)`,
      [runId, destinationId, segmentId, keys.keyField, new Date().toISOString()],
    );
    const [row] = await s.db.query<{ id: number | string }>(
      'SELECT id FROM export_log WHERE run_id = ?',
      [runId],
    );
    return new MemberLogWriter(s.db, Number(row.id), targetId, keys, segmentId);
  }

  beforeEach(async () => {
    s = await openSpecDb();
    store = new CheckpointStore(s.db);
  });
  afterEach(() => s.close());

  async function job(
    segmentId: string,
    options: {
      mode?: SyncMode;
      keyField?: string;
      signal?: AbortSignal;
      fullSync?: boolean;
      caseInsensitive?: boolean;
      memberLog?: MemberLogWriter;
    } = {},
  ): Promise<SegmentJob> {
    const keys = new MemberKeySql(
      s.db.dialect,
      options.keyField ?? 'contactId',
      options.caseInsensitive ?? false,
    );
    const target = await store.target(destinationId, segmentId);
    if (options.fullSync) await store.forgetSkips(target.id);
    const j = new SegmentJob({
      db: s.db,
      store,
      destination: { id: destinationId, displayName: 'd', config: {} },
      segment: { id: segmentId, name: 'seg', description: null },
      syncMode: options.mode ?? 'mirror',
      fullSync: options.fullSync ?? false,
      signal: options.signal ?? new AbortController().signal,
      keys,
      target,
      counts: await store.counts(keys, segmentId),
      log: silent,
      memberLog:
        options.memberLog ?? (withLog ? await openLog(segmentId, target.id, keys) : undefined),
    });
    await j.prepare();
    return j;
  }

  /** Applies every change as a target would, recording each batch; answers the batches. */
  async function exportAll(
    j: SegmentJob,
    batchSize = 100,
    outcome?: (key: string, add: boolean) => MemberOutcome,
  ): Promise<ChangeBatch[]> {
    const batches: ChangeBatch[] = [];
    for await (const batch of j.changes({ batchSize })) {
      batches.push(batch);
      await j.record([
        ...batch.add.map((key) => outcome?.(key, true) ?? ({ key, outcome: 'exported' } as const)),
        ...batch.remove.map(
          (key) => outcome?.(key, false) ?? ({ key, outcome: 'removed' } as const),
        ),
      ]);
    }
    return batches;
  }

  const adds = (batches: ChangeBatch[]) => batches.flatMap((b) => b.add).sort();
  const removes = (batches: ChangeBatch[]) => batches.flatMap((b) => b.remove).sort();

  it('first export: distinct non-empty keys in batches; members without a key are counted', async () => {
    const members = [
      ...people(0, 250),
      { customerId: 'no-key-1', fields: { email: 'x@example.test' } },
      { customerId: 'no-key-2', fields: { contactId: '' } },
      // Two customers sharing one contact id: one key.
      { customerId: 'dup-a', fields: { contactId: 'contact-shared' } },
      { customerId: 'dup-b', fields: { contactId: 'contact-shared' } },
    ];
    const seg = await seedSegment(s.db, {}, members);
    const j = await job(seg);
    expect(j.counts).toEqual({ members: 254, withoutKey: 2 });
    expect(j.planned).toEqual({ adds: 251, removes: 0 });
    const batches = await exportAll(j, 100);
    expect(batches.map((b) => b.add.length)).toEqual([100, 100, 51]);
    expect(adds(batches)).toEqual(
      [...people(0, 250).map((m) => m.fields.contactId), 'contact-shared'].sort(),
    );
    expect(await j.checkpointSize()).toBe(251);
    expect(j.tally.exported).toBe(251);
  });

  it('re-running a completed export yields no changes', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 120));
    await exportAll(await job(seg));
    const again = await job(seg);
    expect(again.planned).toEqual({ adds: 0, removes: 0 });
    expect(await all(again.changes())).toEqual([]);
  });

  it('mirror: members who joined are added and those who left are removed; additive never removes', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 100));
    await exportAll(await job(seg));
    await seedSegment(s.db, { id: seg }, people(10, 130));
    const additive = await job(seg, { mode: 'additive' });
    expect(additive.planned).toEqual({ adds: 30, removes: 0 });
    const mirror = await job(seg, { mode: 'mirror' });
    expect(mirror.planned).toEqual({ adds: 30, removes: 10 });
    const batches = await exportAll(mirror, 7);
    expect(adds(batches)).toEqual(
      people(100, 130)
        .map((m) => String(m.fields.contactId))
        .sort(),
    );
    expect(removes(batches)).toEqual(
      people(0, 10)
        .map((m) => String(m.fields.contactId))
        .sort(),
    );
    expect(await mirror.checkpointSize()).toBe(120);
    expect((await job(seg)).planned).toEqual({ adds: 0, removes: 0 });
  });

  it('a member whose key changed is removed under the old key and added under the new', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 5));
    await exportAll(await job(seg));
    await seedSegment(
      s.db,
      { id: seg },
      people(0, 5, (i): Record<string, string> => (i === 2 ? { contactId: 'contact-new' } : {})),
    );
    const batches = await exportAll(await job(seg));
    expect(adds(batches)).toEqual(['contact-new']);
    expect(removes(batches)).toEqual(['contact-000002']);
  });

  it('keys skipped as not found are not offered again until a full sync, and are forgotten when they leave', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 20));
    const missing = new Set(['contact-000003', 'contact-000007']);
    const first = await job(seg);
    await exportAll(first, 5, (key, add) =>
      add && missing.has(key)
        ? { key, outcome: 'skipped', reason: 'not-found' }
        : { key, outcome: add ? 'exported' : 'removed' },
    );
    expect(first.tally).toMatchObject({ exported: 18, skippedNotFound: 2 });
    expect(await first.checkpointSize()).toBe(18);
    expect((await job(seg)).planned).toEqual({ adds: 0, removes: 0 });

    const full = await job(seg, { fullSync: true });
    expect(full.planned).toEqual({ adds: 2, removes: 0 });
    expect(adds(await all(full.changes()))).toEqual([...missing].sort());
    await exportAll(full, 5, (key) => ({ key, outcome: 'skipped', reason: 'not-found' }));

    // contact-000003 leaves the segment, then comes back: it is offered again.
    await seedSegment(
      s.db,
      { id: seg },
      people(0, 20).filter((m) => m.fields.contactId !== 'contact-000003'),
    );
    const leaving = await job(seg);
    expect(leaving.planned).toEqual({ adds: 0, removes: 0 });
    await seedSegment(s.db, { id: seg }, people(0, 20));
    expect(adds(await all((await job(seg)).changes()))).toEqual(['contact-000003']);
  });

  it('failed members change nothing and are offered again by the next run', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 10));
    const j = await job(seg);
    await exportAll(j, 4, (key) =>
      key === 'contact-000004'
        ? { key, outcome: 'failed', retryable: true, message: 'HTTP 503' }
        : { key, outcome: 'exported' },
    );
    expect(j.tally.failed).toBe(1);
    expect(j.tally.failures).toEqual([
      'member contact-000004: HTTP 503 (will be retried by the next run)',
    ]);
    expect(adds(await all((await job(seg)).changes()))).toEqual(['contact-000004']);
  });

  it('a run resumed after a failure offers the failed member again and logs each member once', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 10));
    const keys = new MemberKeySql(s.db.dialect, 'contactId');
    const target = await store.target(destinationId, seg);
    const log = await openLog(seg, target.id, keys);
    await exportAll(await job(seg, { memberLog: log }), 4, (key) =>
      key === 'contact-000004'
        ? { key, outcome: 'failed', retryable: true, message: 'HTTP 503' }
        : { key, outcome: 'exported' },
    );
    const outcomes = async () =>
      s.db.query<{ member_key: string; outcome: number | string }>(
        'SELECT member_key, outcome FROM export_member_log WHERE log_id = ? ORDER BY member_key',
        [log.logId],
      );
    expect((await outcomes()).filter((r) => Number(r.outcome) === LogOutcome.FAILED)).toEqual([
      { member_key: 'contact-000004', outcome: LogOutcome.FAILED },
    ]);
    // The same run resumes (another job with the same log): only the failed member is planned.
    const resumed = await job(seg, { memberLog: log });
    expect(resumed.planned).toEqual({ adds: 1, removes: 0 });
    expect(adds(await exportAll(resumed))).toEqual(['contact-000004']);
    // The segment's end settles the log: every planned row left stands for a change made.
    await log.settleUnapplied();
    const rows = await outcomes();
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => effectiveOutcome(Number(r.outcome), true))).toEqual(
      new Array(10).fill(LogOutcome.ADDED),
    );
  });

  it('the log shows a change made only once the segment is settled; what was not reached is "not applied"', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 3));
    const keys = new MemberKeySql(s.db.dialect, 'contactId');
    const target = await store.target(destinationId, seg);
    const log = await openLog(seg, target.id, keys);
    const j = await job(seg, { memberLog: log });
    await j.record([
      { key: 'contact-000000', outcome: 'exported' },
      { key: 'contact-000001', outcome: 'failed', retryable: false, message: 'HTTP 400' },
    ]);
    const reader = new MemberLogReader(s.db);
    const read = async (outcome?: 'added' | 'failed') =>
      (await reader.page(await reader.logs(`run-${runs}`), { outcome }, 10, undefined)).items.map(
        (i) => `${i.contactId ?? ''} ${i.outcome}`,
      );
    // In progress: the planned rows are not shown, the failure is.
    expect(await read()).toEqual(['contact-000001 failed']);
    await log.settleUnapplied();
    expect(await read()).toEqual([
      'contact-000000 added',
      'contact-000001 failed',
      'contact-000002 failed',
    ]);
    expect(await read('added')).toEqual(['contact-000000 added']);
    const notApplied = await reader.page(
      await reader.logs(`run-${runs}`),
      { outcome: 'failed' },
      10,
      undefined,
    );
    expect(notApplied.items[1].reason).toMatch(/^Not applied/);
  });

  it('a process killed midway resumes from the checkpoint without losing or duplicating members', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 1000));
    const landed: string[] = [];
    // First process: three batches land and are recorded, a fourth lands but the process dies
    // before recording it, a fifth is in flight.
    const first = await job(seg);
    let n = 0;
    for await (const batch of first.changes({ batchSize: 100 })) {
      n++;
      if (n <= 3) {
        landed.push(...batch.add);
        await first.record(batch.add.map((key) => ({ key, outcome: 'exported' as const })));
      } else if (n === 4) {
        landed.push(...batch.add); // in the target, never recorded
      } else break; // killed
    }
    expect(await first.checkpointSize()).toBe(300);

    // Next process: the plan is everything not recorded, exactly once.
    const resumed = await job(seg);
    expect(resumed.planned).toEqual({ adds: 700, removes: 0 });
    const rest = adds(await exportAll(resumed, 100));
    expect(rest).toHaveLength(700);
    expect(new Set(rest).size).toBe(700);
    expect(rest.filter((k) => landed.slice(0, 300).includes(k))).toEqual([]);
    const everything = new Set([...landed, ...rest]);
    expect(everything.size).toBe(1000);
    expect(await resumed.checkpointSize()).toBe(1000);
    expect((await job(seg)).planned).toEqual({ adds: 0, removes: 0 });
  });

  it('paging stays correct while batches are recorded out of order (parallel plugins)', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 500));
    const j = await job(seg);
    const seen: string[] = [];
    const inFlight: Promise<void>[] = [];
    for await (const batch of j.changes({ batchSize: 50 })) {
      seen.push(...batch.add);
      const outcomes = batch.add.map((key) => ({ key, outcome: 'exported' as const }));
      inFlight.push(
        new Promise((r) => setTimeout(r, Math.random() * 5)).then(() => j.record(outcomes)),
      );
    }
    await Promise.all(inFlight);
    expect(seen).toHaveLength(500);
    expect(new Set(seen).size).toBe(500);
    expect(await j.checkpointSize()).toBe(500);
  });

  it('reconcile replaces the checkpoint with what the target holds, then plans the correction', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 10));
    await exportAll(await job(seg));
    const j = await job(seg);
    // The target lost contact-000001 and contact-000002 and gained a hand-made member.
    const actual = people(0, 10)
      .map((m) => String(m.fields.contactId))
      .filter((k) => k !== 'contact-000001' && k !== 'contact-000002');
    const read = asyncPages([actual.slice(0, 4), [...actual.slice(4), 'contact-by-hand']]);
    expect(await j.reconcile(read)).toEqual({ unexpected: 1, missing: 2 });
    expect(await j.checkpointSize()).toBe(9);
    expect(j.planned).toEqual({ adds: 2, removes: 1 });
    const batches = await exportAll(j);
    expect(adds(batches)).toEqual(['contact-000001', 'contact-000002']);
    expect(removes(batches)).toEqual(['contact-by-hand']);
    expect(await j.checkpointSize()).toBe(10);
  });

  it('resetCheckpoint plans every member again (the target was created anew)', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 30));
    await exportAll(await job(seg));
    const j = await job(seg);
    expect(j.planned.adds).toBe(0);
    await j.resetCheckpoint();
    expect(j.planned).toEqual({ adds: 30, removes: 0 });
    expect(await j.checkpointSize()).toBe(0);
  });

  it('resetCheckpoint on a first export (nothing held) keeps the plan and exports each member once', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 30));
    const j = await job(seg);
    await j.resetCheckpoint();
    expect(j.planned).toEqual({ adds: 30, removes: 0 });
    const batches = await exportAll(j, 8);
    expect(adds(batches)).toHaveLength(30);
    expect(new Set(adds(batches)).size).toBe(30);
    expect(await j.checkpointSize()).toBe(30);
  });

  it('members() pages through every exportable member with the asked fields', async () => {
    const members = [
      ...people(0, 23, (i) => ({ score: i })),
      { customerId: 'zz-no-key', fields: { email: 'n@example.test' } },
    ];
    const seg = await seedSegment(s.db, {}, members);
    const keyed = await job(seg);
    const pages = await all(
      keyed.members({ fields: ['customerId', 'email', 'score', 'missing'], batchSize: 10 }),
    );
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
    expect(pages[0][2]).toEqual({
      customerId: 'cust-000002',
      fields: { customerId: 'cust-000002', email: 'p2@example.test', score: 2, missing: null },
    });
    const everyone = await job(seg, { keyField: 'customerId' });
    expect((await all(everyone.members({ fields: ['email'] }))).flat()).toHaveLength(24);
  });

  it('commitPending turns a snapshot export into the checkpoint (added / removed figures)', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 40));
    const first = await job(seg, { keyField: 'customerId' });
    expect(await store.commitPending((await store.target(destinationId, seg)).id)).toEqual({
      added: 40,
      removed: 0,
    });
    expect(await first.checkpointSize()).toBe(40);
    await seedSegment(s.db, { id: seg }, people(5, 45));
    await job(seg, { keyField: 'customerId' });
    expect(await store.commitPending((await store.target(destinationId, seg)).id)).toEqual({
      added: 5,
      removed: 5,
    });
  });

  it('reads number-typed keys as the same text on both stores', async () => {
    const seg = await seedSegment(s.db, {}, [
      { customerId: 'n1', fields: { accountNo: 1234 } },
      { customerId: 'n2', fields: { accountNo: 98765 } },
    ]);
    expect(adds(await all((await job(seg, { keyField: 'accountNo' })).changes()))).toEqual([
      '1234',
      '98765',
    ]);
  });

  it('stops paging with a CANCELED error once the signal is aborted', async () => {
    const seg = await seedSegment(s.db, {}, people(0, 30));
    const controller = new AbortController();
    const j = await job(seg, { signal: controller.signal });
    const seen: ChangeBatch[] = [];
    await expect(
      (async () => {
        for await (const batch of j.changes({ batchSize: 10 })) {
          seen.push(batch);
          controller.abort();
        }
      })(),
    ).rejects.toMatchObject({ name: 'DestinationError', code: 'CANCELED' });
    expect(seen).toHaveLength(1);
  });

  it('case-insensitive keys: compared and handed out in lower case, recorded in any case', async () => {
    const seg = await seedSegment(s.db, {}, [
      { customerId: 'a', fields: { contactId: 'AAAA-0001' } },
      { customerId: 'b', fields: { contactId: 'aaaa-0001' } },
      { customerId: 'c', fields: { contactId: 'BbBb-0002' } },
    ]);
    const first = await job(seg, { caseInsensitive: true });
    expect(adds(await all(first.changes()))).toEqual(['aaaa-0001', 'bbbb-0002']);
    await first.record([
      { key: 'AAAA-0001', outcome: 'exported' },
      { key: 'BBBB-0002', outcome: 'exported' },
    ]);
    expect(await first.checkpointSize()).toBe(2);
    // The source now spells the ids otherwise: nothing to do.
    await seedSegment(s.db, { id: seg }, [
      { customerId: 'a', fields: { contactId: 'aaaa-0001' } },
      { customerId: 'c', fields: { contactId: 'BBBB-0002' } },
    ]);
    const again = await job(seg, { caseInsensitive: true });
    expect(again.planned).toEqual({ adds: 0, removes: 0 });
    // The target answers ids in upper case: no drift.
    expect(await again.reconcile(asyncPages([['AAAA-0001', 'BBBB-0002']]))).toEqual({
      unexpected: 0,
      missing: 0,
    });
    // Without the flag the same spelling change is a remove and an add.
    const strict = await job(seg);
    expect(strict.planned).toEqual({ adds: 1, removes: 1 });
  });
});
