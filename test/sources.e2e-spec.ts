import request from 'supertest';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

/** Sources API: create, read, change, delete, and every validation answer. */
describe('sources API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => closeAll(t));

  const crm = {
    name: 'crm',
    type: 'csv',
    primaryKey: 'ContactId',
    mapping: {
      email: 'Email',
      birthDate: { column: 'BirthDate', type: 'date' },
      lifetimeValue: { column: 'LTV', type: 'number' },
    },
    lastModifiedColumn: 'ModifiedOn',
    options: { delimiter: ';', encoding: 'latin1' },
  };

  it('creates a source with its mapping normalized and options completed', async () => {
    const res = await t.api().post('/api/sources', crm).expect(201);
    expect(res.body).toMatchObject({
      name: 'crm',
      type: 'csv',
      primaryKey: 'ContactId',
      mapping: {
        email: { column: 'Email', type: 'string' },
        birthDate: { column: 'BirthDate', type: 'date' },
        lifetimeValue: { column: 'LTV', type: 'number' },
      },
      lastModifiedColumn: 'ModifiedOn',
      options: { delimiter: ';', quote: '"', encoding: 'windows-1252' },
      recordCount: 0,
      ingesting: false,
      lastIngest: null,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(res.body.createdAt)).not.toBeNaN();
    await t.api().delete(`/api/sources/${res.body.id}`).expect(204);
  });

  it('lists sources by name and gets one by id (404 for an unknown id)', async () => {
    const b = await t
      .api()
      .post('/api/sources', { ...crm, name: 'b-source' })
      .expect(201);
    const a = await t
      .api()
      .post('/api/sources', { name: 'a-source', type: 'csv', primaryKey: 'id', mapping: {} })
      .expect(201);
    const list = await t.api().get('/api/sources').expect(200);
    expect(list.body.map((s: { name: string }) => s.name)).toEqual(['a-source', 'b-source']);
    const one = await t.api().get(`/api/sources/${b.body.id}`).expect(200);
    expect(one.body).toEqual(b.body);
    const missing = await t
      .api()
      .get('/api/sources/00000000-0000-0000-0000-000000000000')
      .expect(404);
    expect(missing.body.message).toBe('source 00000000-0000-0000-0000-000000000000 not found');
    await t.api().delete(`/api/sources/${a.body.id}`).expect(204);
    await t.api().delete(`/api/sources/${b.body.id}`).expect(204);
  });

  it('answers 409 for a name that is taken, ignoring case', async () => {
    const first = await t.api().post('/api/sources', crm).expect(201);
    const res = await t
      .api()
      .post('/api/sources', { ...crm, name: 'CRM' })
      .expect(409);
    expect(res.body).toMatchObject({
      error: 'CONFLICT',
      message: 'a source named "crm" already exists',
      details: [{ path: 'name', message: 'is taken (names are unique, ignoring case)' }],
    });
    await t.api().delete(`/api/sources/${first.body.id}`).expect(204);
  });

  it('answers 400 naming every wrong field', async () => {
    const res = await t
      .api()
      .post('/api/sources', {
        name: ' padded ',
        type: 'excel',
        primaryKey: '  ',
        mapping: {
          customerId: 'Id',
          'e-mail': 'Email',
          age: { column: 'Age', type: 'integer' },
          zip: { column: 'Zip', kind: 'string' },
        },
        lastModifiedColumn: '',
        options: { delimiter: '||', quote: 'ab' },
      })
      .expect(400);
    expect(res.body.error).toBe('VALIDATION');
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'must not start or end with whitespace' },
        { path: 'type', message: expect.stringMatching(/^must be one of csv\b/) },
        { path: 'primaryKey', message: 'must not be empty' },
        { path: 'lastModifiedColumn', message: 'must not be empty' },
        {
          path: 'mapping.customerId',
          message: 'customerId is reserved: unification assigns it to every customer',
        },
        { path: 'mapping.e-mail', message: expect.stringContaining('field names are identifiers') },
        { path: 'mapping.age.type', message: 'must be one of string, number, date, boolean' },
        { path: 'mapping.zip.kind', message: 'unknown property (expected column, type)' },
      ]),
    );
    // The options of an unknown type cannot be checked; a csv source's can.
    const options = await t
      .api()
      .post('/api/sources', {
        ...crm,
        name: 'opts',
        options: { delimiter: '||', quote: 'ab', encoding: 'klingon', x: 1 },
      })
      .expect(400);
    expect(options.body.details).toEqual([
      { path: 'options.delimiter', message: 'must be exactly one character' },
      { path: 'options.quote', message: 'must be exactly one character' },
      {
        path: 'options.encoding',
        message: expect.stringMatching(
          /^"klingon" is not a supported encoding; supported: utf-8, utf-16le, .*shift_jis/,
        ),
      },
      {
        path: 'options.x',
        message: 'unknown option (CSV sources take delimiter, quote, encoding)',
      },
    ]);
  });

  it('answers 400 for missing or mistyped properties and unknown ones', async () => {
    const res = await t
      .api()
      .post('/api/sources', { name: 5, mapping: 'Email', extra: true })
      .expect(400);
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['name', 'type', 'primaryKey', 'mapping', 'extra']),
    );
    expect(res.body.details).toContainEqual({
      path: 'extra',
      message: 'property extra should not exist',
    });
  });

  it('requires a field to have the same type in every source, naming the other source', async () => {
    const first = await t.api().post('/api/sources', crm).expect(201);
    const res = await t
      .api()
      .post('/api/sources', {
        name: 'shop',
        type: 'csv',
        primaryKey: 'id',
        mapping: { birthDate: 'dob', LifetimeValue: { column: 'ltv', type: 'number' } },
      })
      .expect(400);
    expect(res.body.details).toEqual([
      {
        path: 'mapping.birthDate.type',
        message:
          'field birthDate is a date in source "crm"; a field has the same type in every source',
      },
      {
        path: 'mapping.LifetimeValue',
        message: 'differs only in case from field lifetimeValue of source "crm"; use the same name',
      },
    ]);
    const fields = await t.api().post('/api/sources', {
      name: 'shop',
      type: 'csv',
      primaryKey: 'id',
      mapping: { birthDate: { column: 'dob', type: 'date' } },
    });
    expect(fields.status).toBe(201);
    await t.api().delete(`/api/sources/${fields.body.id}`).expect(204);
    await t.api().delete(`/api/sources/${first.body.id}`).expect(204);
  });

  describe('PUT', () => {
    it('renames, changes the mapping and options, and keeps what is left out', async () => {
      const created = await t.api().post('/api/sources', crm).expect(201);
      const id = created.body.id as string;
      const res = await t
        .api()
        .put(`/api/sources/${id}`, {
          name: 'crm-eu',
          mapping: { email: 'E-mail', vip: { column: 'VIP', type: 'boolean' } },
          options: { quote: "'" },
          lastModifiedColumn: null,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        id,
        name: 'crm-eu',
        primaryKey: 'ContactId',
        mapping: {
          email: { column: 'E-mail', type: 'string' },
          vip: { column: 'VIP', type: 'boolean' },
        },
        lastModifiedColumn: null,
        options: { delimiter: ',', quote: "'", encoding: 'utf-8' },
      });
      const same = await t.api().put(`/api/sources/${id}`, { name: 'CRM-EU' }).expect(200);
      expect(same.body.name).toBe('CRM-EU');
      expect(same.body.mapping).toEqual(res.body.mapping);
      await t.api().delete(`/api/sources/${id}`).expect(204);
    });

    it('refuses a type change, a taken name, a bad mapping, and an unknown source', async () => {
      const a = await t.api().post('/api/sources', crm).expect(201);
      const b = await t
        .api()
        .post('/api/sources', { ...crm, name: 'other' })
        .expect(201);
      const type = await t
        .api()
        .put(`/api/sources/${a.body.id}`, { type: 'dataverse' })
        .expect(400);
      expect(type.body.details).toEqual([
        {
          path: 'type',
          message:
            'cannot change from csv: the type decides how records arrive; create a new source instead',
        },
      ]);
      await t.api().put(`/api/sources/${b.body.id}`, { name: 'Crm' }).expect(409);
      const mapping = await t
        .api()
        .put(`/api/sources/${b.body.id}`, {
          mapping: { birthDate: { column: 'B', type: 'number' } },
        })
        .expect(400);
      expect(mapping.body.details[0].message).toBe(
        'field birthDate is a date in source "crm"; a field has the same type in every source',
      );
      await t.api().put('/api/sources/nope', { name: 'x' }).expect(404);
      await t.api().delete(`/api/sources/${a.body.id}`).expect(204);
      await t.api().delete(`/api/sources/${b.body.id}`).expect(204);
    });
  });

  it('deletes a source (404 afterwards, and for an unknown one)', async () => {
    const created = await t.api().post('/api/sources', crm).expect(201);
    await t.api().delete(`/api/sources/${created.body.id}`).expect(204);
    await t.api().get(`/api/sources/${created.body.id}`).expect(404);
    await t.api().delete(`/api/sources/${created.body.id}`).expect(404);
  });

  it('needs the API token', async () => {
    await request(t.url).get('/api/sources').expect(401);
    await request(t.url).post('/api/sources').send(crm).expect(401);
  });

  it('describes every route in the OpenAPI document', async () => {
    const res = await request(t.url).get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<
      string,
      Record<string, { summary?: string } | undefined> | undefined
    >;
    const routes = [
      ['/api/sources', 'get'],
      ['/api/sources', 'post'],
      ['/api/sources/{id}', 'get'],
      ['/api/sources/{id}', 'put'],
      ['/api/sources/{id}', 'delete'],
      ['/api/sources/{id}/upload', 'post'],
      ['/api/sources/{id}/records', 'get'],
    ];
    for (const [path, method] of routes) expect(paths[path]?.[method]?.summary).toBeTruthy();
    const put = paths['/api/sources/{id}']?.put as { description?: string };
    expect(put.description).toContain('takes effect at the next upload');
    const schemas = res.body.components.schemas as Record<
      string,
      { properties?: Record<string, unknown> }
    >;
    expect(Object.keys(schemas.CreateSourceDto.properties ?? {})).toEqual(
      expect.arrayContaining([
        'name',
        'type',
        'primaryKey',
        'mapping',
        'lastModifiedColumn',
        'options',
      ]),
    );
    expect(schemas.UploadResultDto.properties).toHaveProperty('rowsRejected');
  });
});
