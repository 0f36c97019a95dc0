import { Logger } from '@nestjs/common';
import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';

const NUL = 'must not contain the NUL character (U+0000)';

/** `{"a":{"a":…1…}}`, `levels` objects deep. */
function nested(levels: number): string {
  let json = '1';
  for (let i = 0; i < levels; i++) json = `{"a":${json}}`;
  return json;
}

/** A segment rule with `groups` levels of groups around one condition. */
function ruleOfDepth(groups: number): object {
  let node: object = { field: 'email', op: 'isNotEmpty' };
  for (let i = 0; i < groups; i++) node = { [i % 2 ? 'any' : 'all']: [node] };
  return node;
}

describe('hostile input: nesting, NUL characters, reserved keys', () => {
  let t: TestApp;
  let sourceId: string;
  let errors: jest.SpyInstance;

  beforeAll(async () => {
    t = await startTestApp();
    const source = await t
      .api()
      .post('/api/sources', { name: 'crm', type: 'csv', primaryKey: 'id', mapping: { email: 'E' } })
      .expect(201);
    sourceId = (source.body as { id: string }).id;
  });
  afterAll(() => closeAll(t));
  beforeEach(() => {
    errors = jest.spyOn(Logger.prototype, 'error');
  });
  afterEach(() => {
    errors.mockRestore();
  });

  it('answers a body nested 3,000 deep with 400 on every route with a body, logging nothing', async () => {
    const deep = nested(3000);
    const routes: [string, string, string][] = [
      ['post', '/api/segments', `{"name":"x","rule":${deep}}`],
      ['post', '/api/segments/preview', `{"rule":${deep}}`],
      ['post', '/api/sources', `{"name":"x","type":"csv","primaryKey":"id","mapping":${deep}}`],
      ['put', `/api/sources/${sourceId}`, `{"mapping":${deep}}`],
      ['post', '/api/destinations', `{"type":"file","displayName":"x","config":${deep}}`],
      ['put', '/api/unification', `{"rules":${deep}}`],
      ['put', '/api/schedule', `{"cron":${deep}}`],
    ];
    for (const [method, path, body] of routes) {
      const client = t.api();
      const res = await (method === 'put' ? client.put(path) : client.post(path))
        .set('Content-Type', 'application/json')
        .send(body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(res.body.message).toMatch(/nests too deep: at most 64 levels of objects and arrays/);
    }
    expect(errors).not.toHaveBeenCalled();
  });

  it('leaves rules as deep as the rule validator allows to it', async () => {
    const res = await t
      .api()
      .post('/api/segments/preview', { rule: ruleOfDepth(10) })
      .expect(400);
    expect(res.body.message).toMatch(/nests too deep \(at most 10 levels of groups\)/);
    await t
      .api()
      .post('/api/segments/preview', { rule: ruleOfDepth(9) })
      .expect(200);
  });

  it('refuses NUL characters in bodies with 400 naming the field', async () => {
    const cases: [string, string, object, string][] = [
      ['post', '/api/segments', { name: 'a\u0000b', rule: { all: [] } }, 'name'],
      [
        'post',
        '/api/segments',
        { name: 'ok', description: 'x\u0000', rule: { all: [] } },
        'description',
      ],
      [
        'post',
        '/api/segments/preview',
        { rule: { all: [{ field: 'email', op: 'in', value: ['a', 'b\u0000'] }] } },
        'rule.all[0].value[1]',
      ],
      [
        'post',
        '/api/destinations',
        { type: 'file', displayName: 'x\u0000', config: {} },
        'displayName',
      ],
      [
        'post',
        '/api/sources',
        { name: 'n', type: 'csv', primaryKey: 'id', mapping: { email: 'E\u0000' } },
        'mapping.email',
      ],
      ['put', `/api/sources/${sourceId}`, { name: '\u0000' }, 'name'],
    ];
    for (const [method, path, body, field] of cases) {
      const client = t.api();
      const res = await (method === 'put' ? client.put(path, body) : client.post(path, body));
      expect([path, res.status, res.body.details]).toEqual([
        path,
        400,
        [{ path: field, message: NUL }],
      ]);
    }
    const key = await t
      .api()
      .post('/api/segments/preview', { rule: { 'a\u0000': 1 } })
      .expect(400);
    expect(key.body.details).toEqual([{ path: 'rule', message: `keys ${NUL}` }]);
    expect(errors).not.toHaveBeenCalled();
  });

  it('refuses NUL characters in query strings and path parameters', async () => {
    const cases: [string, string][] = [
      ['/api/customers?q=%00', 'q'],
      ['/api/customers?email=a%00', 'email'],
      [`/api/sources/${sourceId}/records?after=%00`, 'after'],
      ['/api/segments/%00', 'id'],
      ['/api/customers/a%00b', 'id'],
    ];
    for (const [url, field] of cases) {
      const res = await t.api().get(url);
      expect([url, res.status, res.body.details]).toEqual([
        url,
        400,
        [{ path: field, message: NUL }],
      ]);
    }
    expect(errors).not.toHaveBeenCalled();
  });

  it('refuses keys every JavaScript object has (they were dropped silently) with 400 naming them', async () => {
    for (const key of ['__proto__', 'constructor', 'toString']) {
      const body = `{"name":"s-${key}","type":"csv","primaryKey":"id","mapping":{"email":"E","${key}":"X"}}`;
      const res = await t
        .api()
        .post('/api/sources')
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(400);
      expect(res.body.details).toEqual([
        {
          path: `mapping.${key}`,
          message: `"${key}" is reserved (every JavaScript object has it); use another name`,
        },
      ]);
    }
    const update = await t
      .api()
      .put(`/api/sources/${sourceId}`, { mapping: { email: 'E', valueOf: 'V' } })
      .expect(400);
    expect(update.body.details[0].path).toBe('mapping.valueOf');
    const config = await t
      .api()
      .post('/api/destinations', { type: 'file', displayName: 'f', config: { constructor: 1 } })
      .expect(400);
    expect(config.body.details[0].path).toBe('config.constructor');
    const sources = await t.api().get('/api/sources').expect(200);
    expect((sources.body as { name: string }[]).map((s) => s.name)).toEqual(['crm']);
  });
});
