import { startFixture, type Fixture } from './support/fixture';

describe('Dataverse: marketing list members', () => {
  let f: Fixture;
  let ids: string[];
  beforeAll(async () => {
    f = await startFixture({ contacts: 30 });
    ids = f.emu.contacts.all().map((c) => c.contactid);
  });
  afterAll(() => f.close());

  async function newList(extra: object = {}): Promise<string> {
    const res = await f.dv.post(
      'lists',
      { listname: 'Members test', createdfromcode: 2, ...extra },
      { prefer: 'return=representation' },
    );
    return res.json.listid as string;
  }

  const members = (contactIds: string[]) =>
    contactIds.map((contactid) => ({ contactid, '@odata.type': 'Microsoft.Dynamics.CRM.contact' }));
  const addBody = (listid: string, contactIds: string[]) => ({
    List: { listid, '@odata.type': 'Microsoft.Dynamics.CRM.list' },
    Members: members(contactIds),
  });

  it('AddListMembersList adds members once each (204), membercount follows', async () => {
    const listid = await newList();
    const res = await f.dv.post('AddListMembersList', addBody(listid, ids.slice(0, 10)));
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    // Adding existing members again keeps one membership each.
    expect(
      (await f.dv.post('AddListMembersList', addBody(listid, [...ids.slice(5, 12), ids[5]])))
        .status,
    ).toBe(204);
    expect(f.emu.lists.members(listid)).toEqual(ids.slice(0, 12));
    expect((await f.dv.get(`lists(${listid})?$select=membercount`)).json.membercount).toBe(12);
  });

  it('lists members through listcontact_association (paged) and listmembers', async () => {
    const listid = await newList();
    await f.dv.post('AddListMembersList', addBody(listid, ids.slice(0, 7)));
    const page1 = await f.dv.get(`lists(${listid})/listcontact_association?$select=contactid`, {
      prefer: 'odata.maxpagesize=5',
    });
    expect(page1.json.value.map((r: { contactid: string }) => r.contactid)).toEqual(
      ids.slice(0, 5),
    );
    const page2 = await f.dv.get(page1.json['@odata.nextLink'], { prefer: 'odata.maxpagesize=5' });
    expect(page2.json.value.map((r: { contactid: string }) => r.contactid)).toEqual(
      ids.slice(5, 7),
    );
    expect(page2.json['@odata.nextLink']).toBeUndefined();

    const lm = await f.dv.get(
      `listmembers?$filter=${encodeURIComponent(`_listid_value eq ${listid}`)}`,
    );
    expect(lm.json.value).toHaveLength(7);
    expect(lm.json.value[0]).toEqual({
      '@odata.etag': expect.any(String),
      listmemberid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      _listid_value: listid,
      _entityid_value: ids[0],
      entitytype: 'contact',
      entityidtypecode: 2,
    });
    const one = await f.dv.get(`listmembers(${lm.json.value[3].listmemberid})`);
    expect(one.json._entityid_value).toBe(ids[3]);
    // DELETE listmembers(id) removes that membership.
    expect((await f.dv.delete(`listmembers(${lm.json.value[3].listmemberid})`)).status).toBe(204);
    expect(f.emu.lists.members(listid)).toEqual([...ids.slice(0, 3), ...ids.slice(4, 7)]);
    expect((await f.dv.get(`listmembers(${lm.json.value[3].listmemberid})`)).status).toBe(404);
    // Paging across all lists' members.
    const all: string[] = [];
    let url: string | undefined = 'listmembers?$select=listmemberid';
    while (url) {
      const page = await f.dv.get(url, { prefer: 'odata.maxpagesize=4' });
      all.push(...page.json.value.map((r: { listmemberid: string }) => r.listmemberid));
      url = page.json['@odata.nextLink'];
    }
    const total = f.emu.lists.all().reduce((n, l) => n + l.membercount, 0);
    expect(all).toHaveLength(total);
    expect(new Set(all).size).toBe(total);
  });

  it('AddMemberList / RemoveMemberList (bound) add and remove one member', async () => {
    const listid = await newList();
    const added = await f.dv.post(`lists(${listid})/Microsoft.Dynamics.CRM.AddMemberList`, {
      EntityId: ids[1],
    });
    expect(added.status).toBe(200);
    expect(added.json).toEqual({
      '@odata.context': `${f.emu.apiUrl}/$metadata#Microsoft.Dynamics.CRM.AddMemberListResponse`,
      Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    const again = await f.dv.post(`lists(${listid})/Microsoft.Dynamics.CRM.AddMemberList`, {
      EntityId: ids[1],
    });
    expect(again.json.Id).toBe(added.json.Id);
    expect(f.emu.lists.members(listid)).toEqual([ids[1]]);
    expect(
      (
        await f.dv.post(`lists(${listid})/Microsoft.Dynamics.CRM.RemoveMemberList`, {
          EntityId: ids[1],
        })
      ).status,
    ).toBe(204);
    // Removing a contact that is not a member is a no-op.
    expect(
      (
        await f.dv.post(`lists(${listid})/Microsoft.Dynamics.CRM.RemoveMemberList`, {
          EntityId: ids[2],
        })
      ).status,
    ).toBe(204);
    expect(f.emu.lists.members(listid)).toEqual([]);
    const unqualified = await f.dv.post(`lists(${listid})/AddMemberList`, { EntityId: ids[1] });
    expect(unqualified.status).toBe(404);
    const noParam = await f.dv.post(`lists(${listid})/Microsoft.Dynamics.CRM.AddMemberList`, {});
    expect(noParam.json.error.message).toMatch(/parameter 'EntityId' is required/);
  });

  it('RemoveListMembersList removes members; non-members are a no-op', async () => {
    const listid = await newList();
    await f.dv.post('AddListMembersList', addBody(listid, ids.slice(0, 6)));
    const res = await f.dv.post(
      'RemoveListMembersList',
      addBody(listid, [ids[0], ids[2], ids[20]]),
    );
    expect(res.status).toBe(204);
    expect(f.emu.lists.members(listid)).toEqual([ids[1], ids[3], ids[4], ids[5]]);
  });

  it('enforces the server rules; a failing call changes nothing', async () => {
    const listid = await newList();
    await f.dv.post('AddListMembersList', addBody(listid, ids.slice(0, 2)));
    const unknown = await f.dv.post(
      'AddListMembersList',
      addBody(listid, [ids[3], '00000000-0000-4000-8000-00000000abcd']),
    );
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toEqual({
      code: '0x80040217',
      message: "Entity 'contact' With Id = 00000000-0000-4000-8000-00000000abcd Does Not Exist",
    });
    expect(f.emu.lists.members(listid)).toEqual(ids.slice(0, 2)); // ids[3] was not added

    const missingList = await f.dv.post(
      'AddListMembersList',
      addBody('00000000-0000-4000-8000-000000000000', ids.slice(0, 1)),
    );
    expect(missingList.status).toBe(404);
    expect(missingList.json.error.message).toMatch(/^Entity 'list' With Id/);

    const accountList = await newList({ createdfromcode: 1 });
    const mismatch = await f.dv.post('AddListMembersList', addBody(accountList, ids.slice(0, 1)));
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.message).toMatch(
      /member type of marketing list .* is account .*a contact cannot be a member/,
    );

    const noType = await f.dv.post('AddListMembersList', {
      List: { listid },
      Members: [{ contactid: ids[0] }],
    });
    expect(noType.status).toBe(400);
    expect(noType.json.error.message).toMatch(/Members\[0\].*'@odata\.type'/);
    const noMembers = await f.dv.post('AddListMembersList', { List: { listid } });
    expect(noMembers.json.error.message).toMatch(/parameter 'Members' is required/);
    const noList = await f.dv.post('AddListMembersList', { Members: [] });
    expect(noList.json.error.message).toMatch(/parameter 'List' is required/);
    const byRef = await f.dv.post('AddListMembersList', {
      List: { '@odata.id': `lists(${listid})` },
      Members: members([ids[9]]),
    });
    expect(byRef.status).toBe(204);

    const dynamic = await newList({ type: true });
    expect(
      (await f.dv.post('AddListMembersList', addBody(dynamic, ids.slice(0, 1)))).json.error.message,
    ).toMatch(/is dynamic/);
  });

  it('faults: a locked or deactivated list refuses member changes; a deleted contact leaves its lists', async () => {
    const listid = await newList();
    await f.dv.post('AddListMembersList', addBody(listid, ids.slice(0, 3)));
    f.emu.faults.lockList(listid);
    const locked = await f.dv.post('AddListMembersList', addBody(listid, [ids[4]]));
    expect(locked.status).toBe(400);
    expect(locked.json.error).toEqual({
      code: '0x80040203',
      message: expect.stringMatching(/is locked/),
    });
    expect((await f.dv.post('RemoveListMembersList', addBody(listid, [ids[0]]))).status).toBe(400);
    f.emu.lists.unlock(listid);
    f.emu.faults.deactivateList(listid);
    const inactive = await f.dv.post(`lists(${listid})/Microsoft.Dynamics.CRM.AddMemberList`, {
      EntityId: ids[4],
    });
    expect(inactive.status).toBe(400);
    expect(inactive.json.error.message).toMatch(/is inactive/);
    f.emu.lists.activate(listid);
    f.emu.faults.deleteContact(ids[1]);
    expect(f.emu.lists.members(listid)).toEqual([ids[0], ids[2]]);
    const gone = await f.dv.post('AddListMembersList', addBody(listid, [ids[1]]));
    expect(gone.status).toBe(404);
  });

  it('fault: without prvAppendToList the member actions answer 403', async () => {
    const listid = await newList();
    f.emu.faults.denyPrivileges(['prvAppendToList']);
    const res = await f.dv.post('AddListMembersList', addBody(listid, [ids[5]]));
    expect(res.status).toBe(403);
    expect(res.json.error.message).toMatch(/missing prvAppendToList privilege/);
    f.emu.faults.clear();
    expect((await f.dv.post('AddListMembersList', addBody(listid, [ids[5]]))).status).toBe(204);
  });
});
