import { decodeJwt } from 'jose';
import { REAL_LIMITS } from '../src';
import { startFixture, type Fixture } from './support/fixture';

describe('reset(): back to the emulator as it started', () => {
  let f: Fixture;
  const startLimits = { ...REAL_LIMITS, windowSeconds: 60, maxRequests: 500 };
  beforeAll(async () => {
    f = await startFixture({
      contacts: 10,
      limits: { windowSeconds: 60, maxRequests: 500 },
      costModel: { perRowMs: 1, baseMs: { read: 12 } },
      tokenLifetimeSeconds: 120,
    });
  });
  afterAll(() => f.close());

  it('restores the limits, cost model and token lifetime given at start', async () => {
    const startModel = f.emu.limits.costModel();
    expect(f.emu.limits.get()).toEqual(startLimits);
    expect(startModel).toMatchObject({ perRowMs: 1, baseMs: { read: 12, whoami: 5 } });

    f.emu.limits.set({ windowSeconds: 1, maxRequests: 2, maxConcurrent: 1 });
    f.emu.limits.setCostModel({ perMemberMs: 9, baseMs: { whoami: 99 } });
    f.emu.identity.setTokenLifetime(5);
    f.emu.reset();

    expect(f.emu.limits.get()).toEqual(startLimits);
    expect(f.emu.limits.costModel()).toEqual(startModel);
    const claims = decodeJwt(await f.appToken());
    expect(claims.exp! - claims.iat!).toBe(120);
    // The limit of two requests per second set before is gone.
    for (let i = 0; i < 3; i += 1) expect((await f.dv.get('WhoAmI')).status).toBe(200);
  });

  it('clears lists, faults, privilege denials and statistics; re-seeds contacts; expires delta links', async () => {
    const tracked = await f.dv.get('contacts?$select=contactid', {
      prefer: 'odata.track-changes',
    });
    const deltaLink: string = tracked.json['@odata.deltaLink'];
    await f.dv.post('lists', { listname: 'gone after reset', createdfromcode: 2 });
    const seeded = f.emu.contacts.all();
    f.emu.contacts.delete(seeded[0].contactid);
    f.emu.contacts.add([{ firstname: 'Extra' }]);
    f.emu.faults.failureRate(0.5, { endpoint: 'lists' });
    f.emu.faults.denyPrivileges(['prvReadList']);

    f.emu.reset();

    expect(f.emu.lists.all()).toEqual([]);
    expect(f.emu.contacts.all()).toEqual(seeded);
    expect(f.emu.faults.describe()).toMatchObject({
      failNext: [],
      dropConnections: [],
      privileges: [],
      delayedRequests: 0,
    });
    expect(f.emu.faults.describe().failureRate).toBeUndefined();
    expect(f.emu.stats().totals.count).toBe(0);
    expect((await f.dv.get('lists')).json.value).toEqual([]);
    expect((await f.dv.get(deltaLink)).json.error.code).toBe('0x80044352');
    f.emu.reset({ contacts: 3 });
    expect(f.emu.contacts.count()).toBe(3);
  });

  it('over the admin API: POST reset', async () => {
    f.emu.limits.set({ maxRequests: 7 });
    const res = await f.http.send('POST', `${f.emu.adminUrl}/reset`, { body: { contacts: 4 } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ contacts: 4, lists: 0 });
    expect((await f.http.send('GET', `${f.emu.adminUrl}/limits`)).json).toEqual(startLimits);
  });
});
