import { closeAll } from './support/close-all';
import { startTestApp, type TestApp } from './support/test-app';

const CSV = 'id,Email\n1,ann@example.com\n2,bob@example.com\n';

describe('request body types: JSON, and CSV on the upload route', () => {
  let t: TestApp;
  let sourceId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const source = await t
      .api()
      .post('/api/sources', {
        name: 'crm',
        type: 'csv',
        primaryKey: 'id',
        mapping: { email: 'Email' },
      })
      .expect(201);
    sourceId = (source.body as { id: string }).id;
  });
  afterAll(() => closeAll(t));

  it('refuses form-encoded and other non-JSON bodies on JSON routes with 415, storing nothing', async () => {
    const form = await t
      .api()
      .post('/api/segments')
      .type('form')
      .send('name=x&rule=%7B%7D')
      .expect(415);
    expect(form.body).toMatchObject({
      error: 'UNSUPPORTED_MEDIA_TYPE',
      details: [
        {
          path: 'Content-Type',
          message:
            'application/x-www-form-urlencoded is not accepted: send JSON with Content-Type: application/json',
        },
      ],
    });
    await t
      .api()
      .put('/api/schedule')
      .set('Content-Type', 'text/plain')
      .send('{"enabled":false,"cron":"0 3 * * *","timeZone":"UTC"}')
      .expect(415);
    await t.api().post('/api/sources').attach('file', Buffer.from('x'), 'x.txt').expect(415);
    expect((await t.api().get('/api/segments').expect(200)).body).toEqual([]);
  });

  it('takes JSON bodies, and POSTs without a body', async () => {
    const segment = await t
      .api()
      .post('/api/segments', { name: 'all', rule: { all: [] } })
      .expect(201);
    await t
      .api()
      .post(`/api/segments/${(segment.body as { id: string }).id}/evaluate`)
      .expect(200);
  });

  it('keeps taking CSV uploads as a raw body and as multipart/form-data', async () => {
    const raw = await t
      .api()
      .post(`/api/sources/${sourceId}/upload`)
      .set('Content-Type', 'text/csv')
      .send(CSV)
      .expect(200);
    expect(raw.body.rowsStored).toBe(2);
    const multipart = await t
      .api()
      .post(`/api/sources/${sourceId}/upload`)
      .attach('file', Buffer.from(CSV), 'contacts.csv')
      .expect(200);
    expect(multipart.body.rowsStored).toBe(2);
  });
});
