import request from 'supertest';
import { Db } from '@platform/database/db.service';
import type { FieldValues } from '@stages/contract/customer-field';
import { seedFields, upsertCustomers } from './segments-seed';
import { startTestApp, type TestApp } from './support/test-app';

/** The rule of the finding: 500 `endsWith` conditions of 1,000 characters. */
const HOSTILE = {
  any: Array.from({ length: 500 }, (_, i) => ({
    field: 'email',
    op: 'endsWith',
    value: `@hostile${i}.test`.padStart(1000, 'x'),
  })),
};

/**
 * Within the limits, and costly on purpose: 100 case-insensitive `endsWith`, the only one that
 * matches last, so every customer that does not match computes all 100.
 */
const HEAVY = {
  any: [
    ...Array.from({ length: 99 }, (_, i) => ({
      field: 'email',
      op: 'endsWith',
      value: `@nowhere${i}.test`,
    })),
    { field: 'email', op: 'endsWith', value: '@EXAMPLE.com' },
  ],
};

const id = (i: number) => `c${String(i).padStart(6, '0')}`;
const email = (i: number) => `user${i}@${i % 3 === 0 ? 'example.com' : 'mail.test'}`;

/** Customers 0 … n-1, inserted last id first so that rowid order is not id order. */
async function seed(t: TestApp, n: number): Promise<void> {
  await seedFields(t.app, { email: 'string' });
  const customers: Record<string, FieldValues> = {};
  for (let i = n - 1; i >= 0; i--) customers[id(i)] = { email: email(i) };
  await upsertCustomers(t.app, customers);
}

/** A Db call's arguments hold `value` among a statement's parameters. */
function hasParameter(args: unknown[], value: string): boolean {
  return args.some((arg) => Array.isArray(arg) && arg.includes(value));
}

/** How many statements have run with `value` (one of a rule's values) among their parameters. */
function statementsWith(t: TestApp, value: string): () => number {
  const db = t.app.get(Db);
  // Plain spies: the real methods run.
  const spies = [jest.spyOn(db, 'query'), jest.spyOn(db, 'queryWithSettings')];
  return () =>
    spies
      .flatMap((spy) => spy.mock.calls as unknown[][])
      .filter((args) => hasParameter(args, value)).length;
}

/** Resolves once a statement with `value` among its parameters starts (the real one runs). */
function statementStarted(t: TestApp, value: string): Promise<void> {
  const db = t.app.get(Db);
  return new Promise((resolve) => {
    for (const method of ['query', 'queryWithSettings'] as const) {
      const real = db[method].bind(db) as (...args: unknown[]) => Promise<unknown[]>;
      jest.spyOn(db, method).mockImplementation((...args: unknown[]) => {
        if (hasParameter(args, value)) resolve();
        return real(...args);
      });
    }
  });
}

describe('segment rules too costly to run', () => {
  let t: TestApp;
  const N = 30_000;
  const matching = Array.from({ length: N }, (_, i) => i).filter((i) => i % 3 === 0);

  beforeAll(async () => {
    // A generous time limit: these specs are about the static limit and the server staying
    // responsive, not about the clock (the next describe is).
    t = await startTestApp({ env: { SEGMENT_QUERY_TIMEOUT_MS: '600000' } });
    await seed(t, N);
  }, 120_000);
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.close());

  it('refuses the rule of the finding before running it: preview, create and replace', async () => {
    const ran = statementsWith(t, HOSTILE.any[0].value);
    const limit = /rule: is too costly: it has 500 conditions, at most 100 per rule/;

    const preview = await t.api().post('/api/segments/preview', { rule: HOSTILE }).expect(400);
    expect(preview.body.message).toMatch(limit);
    expect(preview.body.details).toEqual([{ path: 'rule', message: expect.any(String) }]);

    const created = await t
      .api()
      .post('/api/segments', { name: 'Hostile', rule: HOSTILE })
      .expect(400);
    expect(created.body.message).toMatch(limit);
    expect((await t.api().get('/api/segments').expect(200)).body).toEqual([]);

    const cheap = { field: 'email', op: 'endsWith', value: '@example.com' };
    const saved = await t.api().post('/api/segments', { name: 'Cheap', rule: cheap }).expect(201);
    const replaced = await t
      .api()
      .put(`/api/segments/${saved.body.id}`, { name: 'Cheap', rule: HOSTILE })
      .expect(400);
    expect(replaced.body.message).toMatch(limit);
    const kept = await t.api().get(`/api/segments/${saved.body.id}`).expect(200);
    expect(kept.body.rule).toEqual(cheap);
    await t.api().delete(`/api/segments/${saved.body.id}`).expect(204);

    expect(ran()).toBe(0);
  });

  it('refuses to evaluate a saved rule that became too costly, keeping the members and saying why', async () => {
    const cheap = { field: 'email', op: 'endsWith', value: '@example.com' };
    const saved = await t.api().post('/api/segments', { name: 'Old', rule: cheap }).expect(201);
    const segmentId = saved.body.id as string;
    await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(200);
    // As if saved before the limit existed.
    await t.app
      .get(Db)
      .query('UPDATE segment SET rule = ?, rule_version = rule_version + 1 WHERE id = ?', [
        JSON.stringify(HOSTILE),
        segmentId,
      ]);

    const evaluated = await t.api().post(`/api/segments/${segmentId}/evaluate`).expect(400);
    expect(evaluated.body.message).toMatch(/at most 100 per rule/);
    const after = await t.api().get(`/api/segments/${segmentId}`).expect(200);
    expect(after.body.membership).toMatchObject({
      size: matching.length,
      stale: true,
      lastError: expect.stringMatching(/at most 100 per rule/) as unknown,
    });
    await t.api().delete(`/api/segments/${segmentId}`).expect(204);
  });

  it('answers /health while a costly preview runs, then the preview itself', async () => {
    const started = statementStarted(t, HEAVY.any[0].value);
    let previewDone = false;
    const preview = t
      .api()
      .post('/api/segments/preview', { rule: HEAVY, sampleSize: 5 })
      .then((response) => {
        previewDone = true;
        return response;
      });
    await started; // the server is matching the rule against the customers

    const health = await request(t.url).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(previewDone).toBe(false);

    const answered = await preview;
    expect(answered.status).toBe(200);
    expect(answered.body.count).toBe(matching.length);
    expect(answered.body.sample.map((c: { customerId: string }) => c.customerId)).toEqual(
      matching.slice(0, 5).map(id),
    );
  }, 300_000);

  it('still previews an ordinary rule: count and sample in id order across chunks', async () => {
    const response = await t
      .api()
      .post('/api/segments/preview', {
        rule: { field: 'email', op: 'endsWith', value: '@example.com' },
        sampleSize: 100,
      })
      .expect(200);
    expect(response.body.count).toBe(matching.length);
    expect(response.body.sample).toEqual(
      matching.slice(0, 100).map((i) => ({ customerId: id(i), fields: { email: email(i) } })),
    );
  });
});

describe('segment rules that run past the time limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { SEGMENT_QUERY_TIMEOUT_MS: '1' } });
    await seed(t, 5_000);
  }, 120_000);
  afterAll(() => t.close());

  const tooSlow =
    /rule: is too costly: matching it against the customers took longer than the limit of 1 ms \(setting SEGMENT_QUERY_TIMEOUT_MS\)/;

  it('stops a preview and answers 400 in words', async () => {
    const response = await t.api().post('/api/segments/preview', { rule: HEAVY }).expect(400);
    expect(response.body.message).toMatch(tooSlow);
    expect(response.body.details).toEqual([{ path: 'rule', message: expect.any(String) }]);
  });

  it('stops an evaluation, keeping the previous membership and saying why', async () => {
    const saved = await t.api().post('/api/segments', { name: 'Heavy', rule: HEAVY }).expect(201);
    const response = await t.api().post(`/api/segments/${saved.body.id}/evaluate`).expect(400);
    expect(response.body.message).toMatch(tooSlow);
    const after = await t.api().get(`/api/segments/${saved.body.id}`).expect(200);
    expect(after.body.membership).toMatchObject({
      size: 0,
      evaluatedAt: null,
      lastError: expect.stringMatching(tooSlow) as unknown,
    });
    const members = await t.app
      .get(Db)
      .query('SELECT COUNT(*) AS n FROM segment_member WHERE segment_id = ?', [saved.body.id]);
    expect(Number(members[0].n)).toBe(0);
  });
});
