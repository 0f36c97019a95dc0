import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { AuditRetention } from '@platform/audit/audit-retention';
import { REDACTED } from '@platform/audit/redact';
import { Clock } from '@platform/clock/clock';
import { TestAudience } from './support/audience-fixtures';
import { closeAll } from './support/close-all';
import { MEMORY_TYPE, registerMemoryDestination } from './support/memory-destination';
import { roleClient } from './support/role-tokens';
import { startTestApp, type ApiClient, type TestApp } from './support/test-app';

const SECRET = `client-secret-${randomBytes(8).toString('hex')}`;
const NEW_SECRET = `client-secret-${randomBytes(8).toString('hex')}`;
const API_KEY = `api-key-${randomBytes(8).toString('hex')}`;

interface Entry {
  id: number;
  at: string;
  actor: { kind: string; id: string; name: string } | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
interface Page {
  items: Entry[];
  next: string | null;
}

describe('Audit log', () => {
  let t: TestApp;
  let editor: { id: string; api: ApiClient };
  let vip: string;
  beforeAll(async () => {
    t = await startTestApp();
    registerMemoryDestination(t);
    const audience = new TestAudience(t);
    await audience.load([{ id: 'a', email: 'a@example.test', groups: ['vip'] }]);
    vip = await audience.segment('VIP', 'vip');
    editor = await roleClient(t, 'editor', 'Erin the editor');
  });
  afterAll(() => closeAll(t));
  afterEach(() => jest.restoreAllMocks());

  const audit = async (query = ''): Promise<Page> =>
    (await t.api().get(`/api/audit${query}`).expect(200)).body as Page;

  it('records creating, changing and deleting a segment with who did it, before and after', async () => {
    const created = await editor.api
      .post('/api/segments', {
        name: 'Audited',
        active: false,
        rule: { all: [{ field: 'groups', op: 'contains', value: ';vip;' }] },
      })
      .expect(201);
    const id = created.body.id as string;
    await editor.api
      .put(`/api/segments/${id}`, {
        name: 'Audited, renamed',
        active: false,
        rule: { all: [{ field: 'groups', op: 'contains', value: ';vip;' }] },
      })
      .expect(200);
    await editor.api.delete(`/api/segments/${id}`).expect(204);
    // A failed change changed nothing and is not recorded.
    await editor.api.delete(`/api/segments/${id}`).expect(404);

    const { items } = await audit(`?entity=segment&entityId=${id}`);
    const actor = { kind: 'api-token', id: editor.id, name: 'Erin the editor' };
    expect(items.map((e) => [e.action, e.actor])).toEqual([
      ['delete', actor],
      ['update', actor],
      ['create', actor],
    ]);
    const [del, upd, cre] = items;
    expect(cre.before).toBeNull();
    expect(cre.after).toMatchObject({ id, name: 'Audited' });
    expect(upd.before).toMatchObject({ name: 'Audited' });
    expect(upd.after).toMatchObject({ name: 'Audited, renamed' });
    expect(del.before).toMatchObject({ name: 'Audited, renamed' });
    expect(del.after).toBeNull();
    expect(Date.parse(del.at)).toBeGreaterThanOrEqual(Date.parse(cre.at));
  });

  it('records a destination with its secrets redacted, never their values', async () => {
    const body = {
      type: MEMORY_TYPE,
      displayName: 'Audited destination',
      config: {
        apiKey: API_KEY,
        auth: {
          kind: 'clientCredentials',
          clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
          clientSecret: SECRET,
        },
      },
      contactIdField: 'contactId',
      segmentIds: [vip],
    };
    const id = (await t.api().post('/api/destinations', body).expect(201)).body.id as string;
    await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: { ...body.config, auth: { ...body.config.auth, clientSecret: NEW_SECRET } },
        enabled: false,
      })
      .expect(200);
    await t.api().delete(`/api/destinations/${id}`).expect(204);

    const { items } = await audit(`?entity=destination&entityId=${id}`);
    expect(items.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
    const admin = { kind: 'admin-token', id: 'admin', name: 'Admin token' };
    for (const e of items) expect(e.actor).toEqual(admin);
    const [, upd, cre] = items;
    expect(cre.after).toMatchObject({ displayName: 'Audited destination', secrets: REDACTED });
    expect(upd.before).toMatchObject({ enabled: true, secrets: REDACTED });
    expect(upd.after).toMatchObject({ enabled: false, secrets: REDACTED });
    expect((upd.after?.config as { auth: object }).auth).toEqual({
      kind: 'clientCredentials',
      clientId: '6f1c1a52-3f5e-4a43-9d9a-1f1d8a0c2b11',
    });
    const everything = JSON.stringify(await audit('?limit=500'));
    for (const secret of [SECRET, NEW_SECRET, API_KEY]) expect(everything).not.toContain(secret);
  });

  it('records tokens and the schedule', async () => {
    const token = await roleClient(t, 'viewer', 'Short-lived');
    await t.api().delete(`/api/tokens/${token.id}`).expect(204);
    const tokens = await audit(`?entity=api-token&entityId=${token.id}`);
    expect(tokens.items.map((e) => e.action)).toEqual(['delete', 'create']);
    expect(tokens.items[1].after).toMatchObject({ name: 'Short-lived', role: 'viewer' });
    expect(JSON.stringify(tokens)).not.toContain(token.token);

    await editor.api
      .put('/api/schedule', { enabled: true, cron: '0 5 * * *', timeZone: 'UTC' })
      .expect(200);
    const [schedule] = (await audit('?entity=schedule')).items;
    expect(schedule).toMatchObject({
      action: 'update',
      actor: { id: editor.id },
      before: { enabled: false },
      after: { enabled: true, cron: '0 5 * * *' },
    });
  });

  it('filters by actor and pages through the log newest first', async () => {
    const byEditor = await audit(`?actor=${encodeURIComponent('Erin the editor')}&limit=500`);
    expect(byEditor.items.length).toBeGreaterThanOrEqual(4);
    for (const e of byEditor.items) expect(e.actor?.id).toBe(editor.id);
    expect((await audit(`?actor=${editor.id}&limit=500`)).items).toEqual(byEditor.items);

    const all = (await audit('?limit=500')).items;
    expect(all.length).toBeGreaterThan(8);
    const paged: Entry[] = [];
    let after: string | null = null;
    do {
      const page: Page = await audit(`?limit=3${after ? `&after=${after}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(3);
      paged.push(...page.items);
      after = page.next;
    } while (after !== null);
    expect(paged).toEqual(all);
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));

    await t.api().get('/api/audit?limit=0').expect(400);
    await t.api().get('/api/audit?after=x').expect(400);
  });

  it('has no route that changes or deletes an entry; only admins read it', async () => {
    const doc = (await request(t.url).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, object>;
    };
    const auditPaths = Object.entries(doc.paths).filter(([p]) => p.startsWith('/api/audit'));
    expect(auditPaths.map(([p, ops]) => [p, Object.keys(ops)])).toEqual([['/api/audit', ['get']]]);
    const [first] = (await audit()).items;
    for (const path of ['/api/audit', `/api/audit/${first.id}`]) {
      await t.api().delete(path).expect(404);
      await t.api().put(path, {}).expect(404);
      await t.api().post(path, {}).expect(404);
    }
    expect((await audit()).items[0]).toEqual(first);
    await editor.api.get('/api/audit').expect(403);
  });

  it('purges entries older than the retention', async () => {
    const before = (await audit('?limit=500')).items.length;
    expect(await t.app.get(AuditRetention).purge()).toBe(0);
    const clock = t.app.get(Clock);
    jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 366 * 86_400_000));
    expect(await t.app.get(AuditRetention).purge()).toBe(before);
    expect((await audit()).items).toEqual([]);
  });
});
