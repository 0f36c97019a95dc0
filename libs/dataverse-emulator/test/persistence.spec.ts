import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../src';
import { startFixture } from './support/fixture';

describe('data folder: state across restarts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-persist-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the CA, identity, contacts, lists, members and delta tokens', async () => {
    const first = await startFixture({ dataDir: dir, contacts: 30, autosaveMs: 0 });
    const port = first.emu.port;
    const ids = first.emu.contacts.all().map((c) => c.contactid);
    const listid = (
      await first.dv.post(
        'lists',
        { listname: 'kept', createdfromcode: 2 },
        { prefer: 'return=representation' },
      )
    ).json.listid;
    await first.dv.post('AddListMembersList', {
      List: { listid },
      Members: ids
        .slice(0, 5)
        .map((contactid) => ({ contactid, '@odata.type': 'Microsoft.Dynamics.CRM.contact' })),
    });
    const tracked = await first.dv.get('contacts?$select=contactid', {
      prefer: 'odata.track-changes',
    });
    const deltaLink: string = tracked.json['@odata.deltaLink'];
    first.emu.contacts.update(ids[2], { lastname: 'Changed' });
    first.emu.contacts.delete(ids[9]);
    const [given] = first.emu.contacts.add([{ firstname: 'Kept', lastname: 'Given' }]);
    const token = first.dv.token;
    const identity = {
      secret: first.emu.clientSecret,
      ca: first.emu.caCertPem,
      tenant: first.emu.tenantId,
    };
    await first.close();
    expect(statSync(join(dir, 'server-key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(first.emu.caCertPath, 'utf8')).toBe(identity.ca);

    const second = await startFixture({ dataDir: dir, port, contacts: 999 });
    try {
      expect(second.emu.caCertPem).toBe(identity.ca);
      expect(second.emu.clientSecret).toBe(identity.secret);
      expect(second.emu.tenantId).toBe(identity.tenant);
      expect(second.emu.contacts.count()).toBe(30); // saved state wins over the contacts option
      expect(second.emu.contacts.get(given.contactid)?.fullname).toBe('Kept Given');
      expect(second.emu.contacts.get(ids[2])?.lastname).toBe('Changed');
      expect(second.emu.contacts.get(ids[9])).toBeUndefined();
      expect(second.emu.lists.members(listid)).toEqual(ids.slice(0, 5));
      // A token issued before the restart is still valid (same key, same org URL).
      second.dv.token = token;
      expect((await second.dv.get('WhoAmI')).status).toBe(200);
      const delta = await second.dv.get(deltaLink);
      expect(
        delta.json.value.map((r: { contactid?: string; id?: string }) => r.contactid ?? r.id),
      ).toEqual([ids[2], ids[9], given.contactid]);
    } finally {
      await second.close();
    }
  });

  it('autosaves changes while running', async () => {
    const emu = await startEmulator({ dataDir: dir, contacts: 3, autosaveMs: 50 });
    try {
      emu.contacts.add([{ firstname: 'Auto' }]);
      await new Promise((r) => setTimeout(r, 200));
      const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8'));
      expect(state.contacts.size).toBe(4);
    } finally {
      await emu.stop();
    }
  });

  it('refuses a data folder written with another seed', async () => {
    const emu = await startEmulator({ dataDir: dir, contacts: 1, seed: 5 });
    await emu.stop();
    await expect(startEmulator({ dataDir: dir, seed: 6 })).rejects.toThrow(/written with seed 5/);
  });
});
