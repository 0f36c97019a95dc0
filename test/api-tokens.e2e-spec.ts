import { hashToken } from '@platform/auth/token-hash';
import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { closeAll } from './support/close-all';
import { roleClient } from './support/role-tokens';
import { apiClient, startTestApp, type TestApp } from './support/test-app';

describe('Named API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => closeAll(t));
  afterEach(() => jest.restoreAllMocks());

  it('answers the token once, stores only its hash, and the token works with its role', async () => {
    const created = await t
      .api()
      .post('/api/tokens', { name: 'script', role: 'editor' })
      .expect(201);
    const { id, token } = created.body as { id: string; token: string };
    expect(token).toMatch(/^as_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ name: 'script', role: 'editor', expiresAt: null });

    const rows = await t.app.get(Db).query('SELECT * FROM api_token WHERE id = ?', [id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);

    const list = await t.api().get('/api/tokens').expect(200);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body).toEqual([
      expect.objectContaining({ id, name: 'script', role: 'editor', lastUsedAt: null }),
    ]);
    expect(Object.keys((list.body as object[])[0])).not.toContain('token');

    const me = await apiClient(t.url, token).get('/api/me').expect(200);
    expect(me.body).toEqual({ kind: 'api-token', id, name: 'script', role: 'editor' });
    await apiClient(t.url, token).get('/api/tokens').expect(403);
  });

  it('refuses bad input with 400s naming the field', async () => {
    const cases: [object, string][] = [
      [{ role: 'viewer' }, 'name'],
      [{ name: '   ', role: 'viewer' }, 'name'],
      [{ name: 'x', role: 'superuser' }, 'role'],
      [{ name: 'x' }, 'role'],
      [{ name: 'x', role: 'viewer', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ name: 'x', role: 'viewer', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    ];
    for (const [body, path] of cases) {
      const res = await t.api().post('/api/tokens', body).expect(400);
      expect(JSON.stringify(res.body)).toContain(path);
    }
    await t.api().post('/api/tokens', { name: 'twice', role: 'viewer' }).expect(201);
    const dup = await t.api().post('/api/tokens', { name: 'twice', role: 'admin' }).expect(400);
    expect(dup.body.details).toEqual([expect.objectContaining({ path: 'name' })]);
  });

  it('refuses a revoked token at once', async () => {
    const { id, api } = await roleClient(t, 'viewer', 'to revoke');
    await api.get('/api/info').expect(200);
    await t.api().delete(`/api/tokens/${id}`).expect(204);
    await api.get('/api/info').expect(401);
    await t.api().delete(`/api/tokens/${id}`).expect(404);
    const list = await t.api().get('/api/tokens').expect(200);
    expect((list.body as { id: string }[]).map((x) => x.id)).not.toContain(id);
  });

  it('refuses an expired token at once, and lists it as expired', async () => {
    const clock = t.app.get(Clock);
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const res = await t.api().post('/api/tokens', { name: 'short', role: 'operator', expiresAt });
    expect(res.status).toBe(201);
    const api = apiClient(t.url, (res.body as { token: string }).token);
    await api.get('/api/info').expect(200);
    jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.parse(expiresAt) + 1));
    const refused = await api.get('/api/info').expect(401);
    expect(refused.body.message).toMatch(/expired/);
    const list = await t.api().get('/api/tokens').expect(200);
    expect(list.body).toContainEqual(expect.objectContaining({ name: 'short', expired: true }));
  });

  it('notes the last use, writing it at most once a minute', async () => {
    const clock = t.app.get(Clock);
    const { id, api } = await roleClient(t, 'viewer', 'used');
    const lastUse = async () =>
      (
        (await t.api().get('/api/tokens').expect(200)).body as { id: string; lastUsedAt: string }[]
      ).find((x) => x.id === id)?.lastUsedAt;
    const t0 = new Date('2030-01-01T10:00:00.000Z');
    jest.spyOn(clock, 'now').mockReturnValue(t0);
    await api.get('/api/info').expect(200);
    expect(await lastUse()).toBe(t0.toISOString());
    jest.spyOn(clock, 'now').mockReturnValue(new Date(t0.getTime() + 30_000));
    await api.get('/api/info').expect(200);
    expect(await lastUse()).toBe(t0.toISOString());
    const t1 = new Date(t0.getTime() + 61_000);
    jest.spyOn(clock, 'now').mockReturnValue(t1);
    await api.get('/api/info').expect(200);
    expect(await lastUse()).toBe(t1.toISOString());
  });

  it('lets only admins manage tokens', async () => {
    for (const role of ['editor', 'operator', 'viewer'] as const) {
      const { id, api } = await roleClient(t, role, `manager ${role}`);
      await api.get('/api/tokens').expect(403);
      await api.post('/api/tokens', { name: `by ${role}`, role: 'admin' }).expect(403);
      await api.delete(`/api/tokens/${id}`).expect(403);
    }
  });
});
