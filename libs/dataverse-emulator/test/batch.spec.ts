import { MAX_BATCH_OPERATIONS } from '../src';
import { batchBody, parseBatchResponse, type Op } from './support/batch-body';
import { startFixture, type Fixture } from './support/fixture';

describe('Dataverse: $batch', () => {
  let f: Fixture;
  let ids: string[];
  beforeAll(async () => {
    f = await startFixture({ contacts: 40 });
    ids = f.emu.contacts.all().map((c) => c.contactid);
  });
  afterAll(() => f.close());

  const api = () => new URL(f.emu.apiUrl).pathname; // /api/data/v9.2
  async function send(items: (Op | Op[])[], prefer?: string) {
    const { body, contentType } = batchBody(items);
    const res = await f.dv.post('$batch', body, {
      'content-type': contentType,
      ...(prefer ? { prefer } : {}),
    });
    const multipart = res.headers['content-type'].startsWith('multipart/mixed');
    return {
      res,
      parts: multipart ? parseBatchResponse(res.text, res.headers['content-type']) : [],
    };
  }
  const addMembers = (listRef: string, contactIds: string[]): Op => ({
    method: 'POST',
    url: `${api()}/AddListMembersList`,
    body: {
      List: { listid: listRef, '@odata.type': 'Microsoft.Dynamics.CRM.list' },
      Members: contactIds.map((contactid) => ({
        contactid,
        '@odata.type': 'Microsoft.Dynamics.CRM.contact',
      })),
    },
  });

  it('runs operations in order and answers each in its own part', async () => {
    const { res, parts } = await send([
      { method: 'GET', url: `${api()}/WhoAmI` },
      {
        method: 'POST',
        url: `${f.emu.apiUrl}/lists`,
        body: { listname: 'batch A', createdfromcode: 2 },
      },
      { method: 'GET', url: 'contacts?$select=contactid&$top=2' },
    ]);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(
      /^multipart\/mixed; boundary=batchresponse_[0-9a-f-]{36}$/,
    );
    expect(parts.map((p) => p.status)).toEqual([200, 204, 200]);
    expect(parts[1].headers['odata-entityid']).toMatch(/\/lists\([0-9a-f-]{36}\)$/);
    expect(parts[2].body.value).toHaveLength(2);
    expect(f.emu.stats().endpoints['POST /$batch']?.count).toBe(1);
    expect(f.emu.stats().endpoints['POST /lists']?.inBatch).toBe(1);
  });

  it('change sets: Content-ID references, atomic success', async () => {
    const { res, parts } = await send([
      [
        {
          method: 'POST',
          url: `${api()}/lists`,
          body: { listname: 'batch B', createdfromcode: 2 },
          contentId: '1',
        },
        {
          method: 'POST',
          url: '$1/Microsoft.Dynamics.CRM.AddMemberList',
          body: { EntityId: ids[0] },
          contentId: '2',
        },
        {
          method: 'PATCH',
          url: '$1',
          body: { description: 'filled in the same change set' },
          contentId: '3',
        },
      ],
    ]);
    expect(res.status).toBe(200);
    expect(parts.map((p) => [p.status, p.contentId, p.changeSet])).toEqual([
      [204, '1', 0],
      [200, '2', 0],
      [204, '3', 0],
    ]);
    const listid = /lists\(([^)]+)\)/.exec(parts[0].headers['odata-entityid'])![1];
    expect(f.emu.lists.members(listid)).toEqual([ids[0]]);
    expect(f.emu.lists.get(listid)?.description).toBe('filled in the same change set');
  });

  it('change sets are all-or-nothing: a failure undoes the earlier operations', async () => {
    const before = f.emu.lists.all().length;
    const { res, parts } = await send([
      [
        {
          method: 'POST',
          url: `${api()}/lists`,
          body: { listname: 'never kept', createdfromcode: 2 },
          contentId: '1',
        },
        {
          method: 'POST',
          url: '$1/Microsoft.Dynamics.CRM.AddMemberList',
          body: { EntityId: '00000000-0000-4000-8000-000000000bad' },
          contentId: '2',
        },
      ],
    ]);
    expect(res.status).toBe(400);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({
      status: 404,
      contentId: '2',
      body: { error: { code: '0x80040217' } },
    });
    expect(f.emu.lists.all().length).toBe(before);
  });

  it('stops at the first failure by default (400), continues with odata.continue-on-error (200)', async () => {
    const listid = (
      await f.dv.post(
        'lists',
        { listname: 'batch C', createdfromcode: 2 },
        { prefer: 'return=representation' },
      )
    ).json.listid;
    const ops: Op[] = [
      addMembers(listid, [ids[1]]),
      addMembers(listid, ['00000000-0000-4000-8000-000000000bad']),
      addMembers(listid, [ids[2]]),
    ];
    const stop = await send(ops);
    expect(stop.res.status).toBe(400);
    expect(stop.parts.map((p) => p.status)).toEqual([204, 404]);
    expect(f.emu.lists.members(listid)).toEqual([ids[1]]);
    const go = await send(ops, 'odata.continue-on-error');
    expect(go.res.status).toBe(200);
    expect(go.res.headers['preference-applied']).toBe('odata.continue-on-error');
    expect(go.parts.map((p) => p.status)).toEqual([204, 404, 204]);
    expect(f.emu.lists.members(listid)).toEqual([ids[1], ids[2]]);
  });

  it('refuses more than 1000 operations, GET in a change set, undeclared Content-IDs, nested batches', async () => {
    const many = Array.from({ length: MAX_BATCH_OPERATIONS + 1 }, (): Op => ({
      method: 'GET',
      url: 'WhoAmI',
    }));
    const tooMany = await send(many);
    expect(tooMany.res.status).toBe(400);
    expect(JSON.parse(tooMany.res.text).error.message).toMatch(
      /1001 operations; a batch may contain at most 1000/,
    );
    const exactly = await send(many.slice(1));
    expect(exactly.res.status).toBe(200);
    expect(exactly.parts).toHaveLength(1000);

    const getInChangeSet = await send([[{ method: 'GET', url: 'WhoAmI' }]]);
    expect(getInChangeSet.parts[0].body.error.message).toMatch(
      /GET operations are not allowed in a change set/,
    );
    const badRef = await send([
      [
        {
          method: 'POST',
          url: '$7/Microsoft.Dynamics.CRM.AddMemberList',
          body: { EntityId: ids[0] },
        },
      ],
    ]);
    expect(badRef.parts[0]).toMatchObject({ status: 400 });
    expect(badRef.parts[0].body.error.message).toMatch(/Content-ID reference '\$7'/);
    const nested = await send([{ method: 'POST', url: '$batch' }]);
    expect(nested.parts[0].status).toBe(400);
    const noBoundary = await f.dv.post('$batch', 'x', { 'content-type': 'application/json' });
    expect(noBoundary.status).toBe(400);
    const truncated = await f.dv.post(
      '$batch',
      '--b\r\nContent-Type: application/http\r\n\r\nGET WhoAmI HTTP/1.1\r\n\r\n',
      { 'content-type': 'multipart/mixed; boundary=b' },
    );
    expect(truncated.status).toBe(400);
    expect(truncated.json.error.message).toMatch(/does not end with '--b--'/);
  });

  it('counts as one request for service protection, with the summed execution time', async () => {
    f.emu.resetStats();
    const listid = (
      await f.dv.post(
        'lists',
        { listname: 'batch D', createdfromcode: 2 },
        { prefer: 'return=representation' },
      )
    ).json.listid;
    await send([addMembers(listid, ids.slice(0, 10)), addMembers(listid, ids.slice(10, 20))]);
    const stats = f.emu.stats();
    const model = f.emu.limits.costModel();
    expect(stats.endpoints['POST /$batch']).toMatchObject({
      count: 1,
      executionMs: model.baseMs.batch + 2 * model.baseMs.memberAction + 20 * model.perMemberMs,
    });
    expect(stats.totals.count).toBe(2);
    expect(f.emu.projection().requests).toBe(2);
  });
});
