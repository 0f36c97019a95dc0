import { NotFoundError } from '../src';
import { startFixture, type Fixture } from './support/fixture';

describe('admin API (/_emulator/v1) and handle: every bad input gets a clear error', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await startFixture({ contacts: 6 });
  });
  afterAll(() => f.close());
  afterEach(() => {
    f.emu.reset();
  });

  const admin = (method: string, path: string, body?: object | string) =>
    f.http.send(method, `${f.emu.adminUrl}/${path}`, { body });
  const unknownId = '00000000-0000-4000-8000-000000000000';

  it('answers info, contacts, cost model, token lifetime and statistics', async () => {
    expect((await admin('GET', 'info')).json).toEqual({
      url: f.emu.url,
      authority: f.emu.authority,
      tenantId: f.emu.tenantId,
      clientId: f.emu.clientId,
      clientSecret: f.emu.clientSecret,
      caCertPath: f.emu.caCertPath,
      apiUrl: f.emu.apiUrl,
      contacts: 6,
      lists: 0,
    });
    const page = await admin('GET', 'contacts?offset=4&limit=5');
    expect(page.json.value.map((c: { contactid: string }) => c.contactid)).toEqual(
      f.emu.contacts
        .all()
        .slice(4)
        .map((c) => c.contactid),
    );
    const [first] = f.emu.contacts.all();
    expect((await admin('GET', `contacts/${first.contactid}`)).json).toEqual(first);
    expect((await admin('PUT', 'cost-model', { baseMs: { read: 3 } })).json.baseMs.read).toBe(3);
    expect((await admin('GET', 'cost-model')).json.baseMs).toMatchObject({ read: 3, whoami: 5 });
    expect((await admin('PUT', 'token-lifetime', { seconds: 30 })).json).toEqual({ seconds: 30 });
    await f.dv.get('WhoAmI');
    expect((await admin('GET', 'stats')).json.endpoints['GET /WhoAmI'].count).toBe(1);
    expect((await admin('POST', 'stats/reset')).json.totals.count).toBe(0);
  });

  it('404 for a list or contact it does not have', async () => {
    const cases: [string, string, object | undefined, RegExp][] = [
      ['GET', `contacts/${unknownId}`, undefined, /No contact/],
      ['PATCH', `contacts/${unknownId}`, { firstname: 'A' }, /No contact/],
      ['DELETE', `contacts/${unknownId}`, undefined, /No contact/],
      ['GET', `lists/${unknownId}`, undefined, /No list/],
      ['GET', `lists/${unknownId}/members`, undefined, /No list/],
      ['POST', `lists/${unknownId}/lock`, undefined, /No list/],
      ['POST', 'faults', { type: 'lockList', listid: unknownId }, /No list/],
      ['POST', 'faults', { type: 'deleteContact', contactid: unknownId }, /No contact/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await admin(method, path, body);
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
      expect(res.json.error).toMatch(message);
    }
    expect(() => {
      f.emu.lists.lock(unknownId);
    }).toThrow(NotFoundError);
  });

  it('400 naming what is wrong, and nothing changes', async () => {
    const cases: [string, string, object | string | undefined, RegExp][] = [
      ['POST', 'faults', '{not json', /not valid JSON/],
      ['POST', 'faults', { type: 'nope' }, /Unknown fault type 'nope'; known: failNext, /],
      ['POST', 'faults', { type: 'failNext', count: 'x' }, /'count' must be a number/],
      ['POST', 'faults', { type: 'failNext', endpoint: 5 }, /'endpoint' must be a string/],
      ['POST', 'faults', { type: 'latency', ms: 10, target: 'db' }, /'target' must be/],
      ['POST', 'faults', { type: 'latency', ms: 10, jitterMs: -1 }, /'jitterMs' must be/],
      ['POST', 'faults', { type: 'failureRate', rate: 0.5, seed: 'x' }, /'seed' must be/],
      ['POST', 'faults', { type: 'lockList' }, /'listid' must be a non-empty string/],
      ['POST', 'faults', { type: 'denyPrivileges', privileges: 'prvReadList' }, /'privileges'/],
      [
        'POST',
        'faults',
        { type: 'denyPrivileges', privileges: ['prvNope'] },
        /Unknown privilege 'prvNope'/,
      ],
      [
        'POST',
        'faults',
        { type: 'denyPrivileges', privileges: 'all', target: 'admins' },
        /privilege target must be/,
      ],
      ['PUT', 'limits', { maxRequest: 10 }, /limits has no setting 'maxRequest' \(known: /],
      ['PUT', 'limits', { maxRequests: 0 }, /limits\.maxRequests must be a positive number/],
      ['PUT', 'cost-model', { perRow: 1 }, /costModel has no setting 'perRow'/],
      ['PUT', 'cost-model', { baseMs: { reads: 1 } }, /costModel\.baseMs has no setting 'reads'/],
      ['PUT', 'token-lifetime', { seconds: 0 }, /tokenLifetimeSeconds must be positive/],
      ['GET', 'contacts?offset=-1', undefined, /'offset' must be an integer ≥ 0, got '-1'/],
      ['GET', 'contacts?limit=many', undefined, /'limit' must be an integer ≥ 1/],
      ['GET', 'projection?from=abc', undefined, /'from' must be an integer ≥ 0/],
      ['POST', 'contacts', {}, /Give \{"count": n\} or \{"contacts"/],
      ['POST', 'contacts', { count: -2 }, /contacts must be an integer ≥ 0/],
      ['POST', 'contacts', { contacts: 'Bo' }, /contacts must be a count or an array/],
      [
        'POST',
        'contacts',
        { contacts: [{ firstname: 'Ok' }, { firstname: 'Bad', statecode: 7 }] },
        /contacts\[1\]\.statecode must be 0 \(Active\) or 1/,
      ],
      [
        'POST',
        'contacts',
        { contacts: [{ contactid: unknownId }, { contactid: unknownId.toUpperCase() }] },
        /contacts\[1\]\.contactid: a contact with id .* exists already/,
      ],
      ['PATCH', `contacts/${f.emu.contacts.all()[0].contactid}`, { city: 'x' }, /unknown field/],
      ['POST', 'device-codes/approve', {}, /No pending device code/],
    ];
    for (const [method, path, body, message] of cases) {
      const res = await admin(method, path, body);
      expect({ method, path, body, status: res.status }).toEqual({
        method,
        path,
        body,
        status: 400,
      });
      expect(res.json.error).toMatch(message);
    }
    expect(f.emu.contacts.count()).toBe(6);
    expect(f.emu.contacts.all()[0].address1_city).not.toBe('x');
    expect(f.emu.faults.describe()).toMatchObject({ failNext: [], privileges: [] });
    expect(f.emu.faults.describe().latency).toBeUndefined();
    expect(f.emu.limits.get().maxRequests).toBe(6000);
  });

  it('405 for a known path with another method, 404 for an unknown one', async () => {
    const wrong = await admin('DELETE', 'limits');
    expect(wrong.status).toBe(405);
    expect(wrong.json.error).toBe('/_emulator/v1/limits answers GET, PUT, not DELETE');
    expect((await admin('GET', 'nothing')).status).toBe(404);
  });
});
