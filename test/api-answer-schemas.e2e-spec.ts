import Ajv from 'ajv';
import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';
import { TestSources } from './unification-seed';

/**
 * The admin UI's types are generated from the OpenAPI document, so the answers the document
 * describes must match it: these are checked against their documented schemas.
 */
describe('answers match their OpenAPI schemas (customers, unification)', () => {
  let t: TestApp;
  let doc: {
    paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    components: unknown;
  };
  const ajv = new Ajv({ strict: false, allErrors: true });

  beforeAll(async () => {
    t = await startTestApp();
    doc = (await t.api().get('/api/docs-json').expect(200)).body as typeof doc;
    const sources = new TestSources(t);
    const crm = await sources.create({
      name: 'crm',
      primaryKey: 'id',
      mapping: { email: 'email', ltv: { column: 'ltv', type: 'number' } },
    });
    await sources.upload(crm, [
      { id: '1', email: 'a@example.test', ltv: '10' },
      { id: '2', email: 'A@example.test', ltv: '' },
    ]);
  });
  afterAll(() => closeAll(t));

  /** Fails with ajv's errors when `body` does not match the documented 200 answer. */
  function expectDocumented(path: string, method: string, body: unknown) {
    const answer = doc.paths[path][method].responses['200'] as {
      content: { 'application/json': { schema: object } };
    };
    const validate = ajv.compile({
      ...answer.content['application/json'].schema,
      components: doc.components,
    });
    validate(body);
    expect(validate.errors ?? []).toEqual([]);
  }

  it('unification settings: the defaults, a saved configuration and its PUT answer', async () => {
    expectDocumented('/api/unification', 'get', (await t.api().get('/api/unification')).body);
    const saved = await t
      .api()
      .put('/api/unification', {
        rules: [{ conditions: [{ field: 'email', normalizers: ['email'], match: 'exact' }] }],
        merge: { groups: [{ name: 'value', fields: ['ltv'] }] },
      })
      .expect(200);
    expectDocumented('/api/unification', 'put', saved.body);
    expectDocumented('/api/unification', 'get', (await t.api().get('/api/unification')).body);
  });

  it('customers: a page, one customer and the field catalogue', async () => {
    await t.api().post('/api/unification/run').expect(200);
    const page = (await t.api().get('/api/customers?limit=1').expect(200)).body as {
      items: { customerId: string }[];
      next: string | null;
    };
    expect(page.items).toHaveLength(1);
    expectDocumented('/api/customers', 'get', page);
    const detail = await t.api().get(`/api/customers/${page.items[0].customerId}`).expect(200);
    expectDocumented('/api/customers/{id}', 'get', detail.body);
    expectDocumented(
      '/api/customers/fields',
      'get',
      (await t.api().get('/api/customers/fields')).body,
    );
  });
});
