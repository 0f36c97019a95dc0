import { randomUUID } from 'node:crypto';
import Papa from 'papaparse';
import request from 'supertest';
import { Clock } from '@platform/clock/clock';
import { TestAudience, type Person } from './support/audience-fixtures';
import { exportNow } from './support/export-run-wait';
import {
  MEMORY_TYPE,
  registerMemoryDestination,
  type MemoryTarget,
} from './support/memory-destination';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const contact = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

interface Item {
  segmentId: string;
  customerId: string | null;
  contactId: string | null;
  outcome: string;
  reason: string;
}

function person(i: number, groups: string[], noKey = false): Person {
  return {
    id: `p${i}`,
    contactId: noKey ? undefined : contact(i),
    email: `p${i}@example.test`,
    groups,
  };
}

/**
 * Issue 16, the per-member log and "why is this customer (not) on the list", through the API:
 * a changes-style destination (in memory) with adds, removes, skips (no contact id, not found)
 * and per-member failures; a snapshot destination (files); paging, CSV, bad parameters,
 * retention.
 */
describe('per-member log of export runs and explain (through the API)', () => {
  let t: TestApp;
  let target: MemoryTarget;
  let audience: TestAudience;
  let segmentId: string;
  let destinationId: string;
  let first: string;
  let second: string;

  /** Every member of a run's log, following `next`. */
  async function all(runId: string, query = '', limit = 100): Promise<Item[]> {
    const items: Item[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const q = `limit=${limit}${query ? `&${query}` : ''}${after ? `&after=${after}` : ''}`;
      const res = await t.api().get(`/api/export-runs/${runId}/members?${q}`).expect(200);
      items.push(...(res.body.items as Item[]));
      after = res.body.next as string | null;
      if (!after) return items;
    }
    throw new Error('no end of pages');
  }
  const count = (items: Item[], outcome: string) =>
    items.filter((i) => i.outcome === outcome).length;
  const byContact = (items: Item[], i: number) => items.find((x) => x.contactId === contact(i));

  beforeAll(async () => {
    t = await startTestApp();
    target = registerMemoryDestination(t);
    audience = new TestAudience(t);
    // p0..p9 in "log"; p3 has no contact id; p5's contact is unknown to the target; p6 fails.
    await audience.load(Array.from({ length: 10 }, (_, i) => person(i, ['log'], i === 3)));
    segmentId = await audience.segment('Logged', 'log');
    target.known = new Set(
      Array.from({ length: 20 }, (_, i) => contact(i)).filter((c) => c !== contact(5)),
    );
    target.failingKeys.add(contact(6));
    const created = await t
      .api()
      .post('/api/destinations', {
        type: MEMORY_TYPE,
        displayName: 'Memory',
        config: {
          apiKey: 'api-key-value-1',
          auth: { kind: 'clientCredentials', clientId: randomUUID(), clientSecret: 'secret-1' },
        },
        contactIdField: 'contactId',
        segmentIds: [segmentId],
      })
      .expect(201);
    destinationId = created.body.id;
  });
  afterAll(() => closeAll(t));

  it("keeps each member's outcome with its reason, matching the run's figures", async () => {
    const run = await exportNow(t, destinationId);
    first = run.id;
    expect(run.status).toBe('partial');
    expect(run.segments[0]).toMatchObject({
      added: 7,
      skippedNoKey: 1,
      skippedNotFound: 1,
      failed: 1,
    });
    const items = await all(first);
    expect(items).toHaveLength(10);
    expect(new Set(items.map((i) => i.customerId)).size).toBe(10);
    expect(items.every((i) => i.segmentId === segmentId)).toBe(true);
    expect(count(items, 'added')).toBe(7);
    expect(count(items, 'skipped')).toBe(2);
    expect(count(items, 'failed')).toBe(1);
    expect(byContact(items, 0)).toMatchObject({
      outcome: 'added',
      reason: expect.stringMatching(/^Added/),
    });
    expect(byContact(items, 5)).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringMatching(/not found in the target/),
    });
    expect(byContact(items, 6)).toMatchObject({
      outcome: 'failed',
      reason: 'Failed (the next run tries again): HTTP 503',
    });
    const noKey = items.filter((i) => i.contactId === null);
    expect(noKey).toEqual([
      expect.objectContaining({
        outcome: 'skipped',
        reason: expect.stringMatching(/has no contactId/),
      }),
    ]);
  });

  it('pages with a keyset cursor and filters by outcome, customer and contact id', async () => {
    const one = await all(first, '', 100);
    const paged = await all(first, '', 3);
    expect(paged).toEqual(one);
    const skipped = await all(first, 'outcome=skipped');
    expect(skipped.map((i) => i.contactId).sort()).toEqual([null, contact(5)].sort());
    const bySegment = await all(first, `segmentId=${segmentId}&outcome=added`, 2);
    expect(bySegment).toHaveLength(7);
    expect(await all(first, `contactId=${contact(6)}`)).toEqual([byContact(one, 6)]);
    const customer = byContact(one, 2)!.customerId!;
    expect(await all(first, `customerId=${customer}`)).toEqual([byContact(one, 2)]);
  });

  it('streams the same members as CSV', async () => {
    const res = await t
      .api()
      .get(`/api/export-runs/${first}/members?outcome=added`)
      .set('Accept', 'text/csv')
      .buffer(true)
      .parse((r, done) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => {
          done(null, text);
        });
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const parsed = Papa.parse<Record<string, string>>(res.body as string, {
      header: true,
      skipEmptyLines: true,
    });
    const json = await all(first, 'outcome=added');
    expect(parsed.data).toEqual(
      json.map((i) => ({
        segmentId: i.segmentId,
        customerId: i.customerId ?? '',
        contactId: i.contactId ?? '',
        outcome: i.outcome,
        reason: i.reason,
      })),
    );
  });

  it('answers 400 for bad parameters and 404 for an unknown run', async () => {
    const get = (q: string) => t.api().get(`/api/export-runs/${first}/members?${q}`);
    const bad = async (q: string, path: string) => {
      const res = await get(q).expect(400);
      expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    };
    await bad('outcome=kept', 'outcome');
    await bad('limit=0', 'limit');
    await bad('limit=5000', 'limit');
    await bad('after=not-a-cursor', 'after');
    await bad(`segmentId=${randomUUID()}`, 'segmentId');
    await t.api().get(`/api/export-runs/${randomUUID()}/members`).expect(404);
  });

  it('logs removes and retried failures in the next run; skipped-not-found keys are not offered again', async () => {
    target.failingKeys.clear();
    // p0 and p1 leave, p10 joins.
    await audience.load([
      ...Array.from({ length: 10 }, (_, i) => person(i, i < 2 ? [] : ['log'], i === 3)),
      person(10, ['log']),
    ]);
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    const run = await exportNow(t, destinationId);
    second = run.id;
    expect(run.segments[0]).toMatchObject({ added: 2, removed: 2, skippedNoKey: 1, failed: 0 });
    const items = await all(second);
    expect(items).toHaveLength(5);
    expect(byContact(items, 6)?.outcome).toBe('added');
    expect(byContact(items, 10)?.outcome).toBe('added');
    const removed = items.filter((i) => i.outcome === 'removed');
    expect(removed.map((i) => i.contactId).sort()).toEqual([contact(0), contact(1)]);
    // The customers who left are named.
    const firstItems = await all(first);
    expect(removed.find((i) => i.contactId === contact(0))?.customerId).toBe(
      byContact(firstItems, 0)?.customerId,
    );
  });

  it('explains, per segment, why a customer is or is not on the list', async () => {
    const items = await all(first);
    const explain = (q: string) => t.api().get(`/api/destinations/${destinationId}/explain?${q}`);
    const on = await explain(`customerId=${byContact(items, 2)!.customerId}`).expect(200);
    expect(on.body).toMatchObject({
      destinationId,
      contactIdField: 'contactId',
      contactId: contact(2),
      segments: [
        {
          segmentId,
          segmentName: 'Logged',
          member: true,
          memberSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          hasContactId: true,
          foundInTarget: true,
          onList: true,
          lastRun: { runId: second, outcome: 'unchanged' },
          explanation: expect.stringMatching(
            new RegExp(
              `^On the list: a member of "Logged" since .*; contact ${contact(2)} was added by an earlier export\\.$`,
            ),
          ),
        },
      ],
    });
    const added = await explain(`contactId=${contact(10)}`).expect(200);
    expect(added.body.segments[0]).toMatchObject({
      onList: true,
      lastRun: { runId: second, outcome: 'added' },
      explanation: expect.stringMatching(
        /was added by the export of \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
      ),
    });
    const noKey = items.find((i) => i.contactId === null)!;
    const none = await explain(`customerId=${noKey.customerId}`).expect(200);
    expect(none.body.segments[0]).toMatchObject({
      member: true,
      hasContactId: false,
      onList: false,
      foundInTarget: null,
      lastRun: { outcome: 'skipped' },
      explanation: expect.stringMatching(
        /^Not on the list: a member of "Logged" since .*, but it has no contactId/,
      ),
    });
    const notFound = await explain(`contactId=${contact(5)}`).expect(200);
    expect(notFound.body.segments[0]).toMatchObject({
      member: true,
      foundInTarget: false,
      onList: false,
      explanation: expect.stringMatching(
        /^Not on the list: contact .* was not found in "Memory" at the last export/,
      ),
    });
    const left = await explain(`contactId=${contact(0)}`).expect(200);
    expect(left.body.segments[0]).toMatchObject({
      member: false,
      memberSince: null,
      onList: false,
      lastRun: { outcome: 'removed' },
      explanation: expect.stringMatching(
        /^Not on the list: no longer a member of "Logged"; the export of .* removed it\.$/,
      ),
    });
  });

  it('explain answers 400 without exactly one of customerId and contactId, 404 for unknowns', async () => {
    const base = `/api/destinations/${destinationId}/explain`;
    const neither = await t.api().get(base).expect(400);
    expect(neither.body.details[0].path).toBe('customerId');
    await t.api().get(`${base}?customerId=a&contactId=b`).expect(400);
    await t.api().get(`${base}?customerId=${randomUUID()}`).expect(404);
    await t
      .api()
      .get(`${base}?contactId=${contact(99)}`)
      .expect(404);
    await t.api().get(`/api/destinations/${randomUUID()}/explain?customerId=x`).expect(404);
  });

  it('logs what a snapshot destination (files) wrote', async () => {
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'Files',
        config: { folder: 'logged', fields: ['email'] },
        segmentIds: [segmentId],
      })
      .expect(201);
    const run = await exportNow(t, created.body.id);
    expect(run.status).toBe('succeeded');
    const items = await all(run.id);
    expect(items).toHaveLength(9);
    expect(items.every((i) => i.outcome === 'added' && i.contactId === i.customerId)).toBe(true);
  });

  it('describes both routes in the OpenAPI document', async () => {
    const res = await request(t.url).get('/api/docs-json').expect(200);
    const paths = res.body.paths as Partial<Record<string, { get?: Record<string, unknown> }>>;
    const members = paths['/api/export-runs/{id}/members']?.get;
    expect(members).toBeDefined();
    expect(Object.keys((members?.responses as { 200: { content: object } })[200].content)).toEqual(
      expect.arrayContaining(['application/json', 'text/csv']),
    );
    expect(paths['/api/destinations/{id}/explain']?.get).toBeDefined();
  });

  it('deletes logs older than the retention when an export starts', async () => {
    expect((await all(first)).length).toBeGreaterThan(0);
    const later = new Date(Date.now() + 31 * 86_400_000);
    jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(later);
    try {
      const run = await exportNow(t, destinationId);
      expect(await all(first)).toEqual([]);
      expect(await all(second)).toEqual([]);
      // The new run keeps its own log (its member without a contact id).
      expect(await all(run.id)).toHaveLength(1);
    } finally {
      jest.restoreAllMocks();
    }
  });
});
