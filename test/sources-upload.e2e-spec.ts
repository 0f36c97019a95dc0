import { readFileSync } from 'node:fs';
import { request as httpRequest, type ClientRequest } from 'node:http';
import { join } from 'node:path';
import request from 'supertest';
import { Db } from '@platform/database/db.service';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', 'csv', name));

/** The contact source the fixtures are written for. */
const CONTACTS = {
  type: 'csv',
  primaryKey: 'ContactId',
  mapping: {
    firstName: 'FirstName',
    lastName: 'LastName',
    email: 'Email',
    birthDate: { column: 'BirthDate', type: 'date' },
    lifetimeValue: { column: 'LTV', type: 'number' },
    doNotEmail: { column: 'DoNotEmail', type: 'boolean' },
  },
  lastModifiedColumn: 'ModifiedOn',
};

/** What contacts.csv stores. */
const CONTACT_RECORDS = [
  {
    key: 'C-001',
    fields: {
      firstName: 'Zoë',
      lastName: 'Müller',
      email: 'zoe.muller@example.com',
      birthDate: '1985-03-07T00:00:00.000Z',
      lifetimeValue: 1234.5,
      doNotEmail: false,
    },
    raw: { ModifiedOn: '2024-05-01T10:00:00Z', Notes: 'Prefers email, not phone' },
    lastModified: '2024-05-01T10:00:00.000Z',
  },
  {
    key: 'C-002',
    fields: {
      firstName: 'Smith, John',
      lastName: "O'Brien",
      email: '  JOHN@EXAMPLE.COM ',
      birthDate: '1970-12-31T00:00:00.000Z',
      lifetimeValue: 0,
      doNotEmail: true,
    },
    raw: { ModifiedOn: '2024-05-01 12:30:00+02:00', Notes: 'Said "call me"\r\nafter 5pm' },
    lastModified: '2024-05-01T10:30:00.000Z',
  },
  { key: 'C-003', fields: { firstName: 'Åsa', lastName: 'Björk' }, raw: {}, lastModified: null },
  {
    key: 'C-004',
    fields: {
      firstName: 'Łukasz',
      lastName: 'Wójcik',
      email: 'lukasz@example.pl',
      birthDate: '2000-02-29T00:00:00.000Z',
      lifetimeValue: -3.5,
      doNotEmail: true,
    },
    raw: { ModifiedOn: '2024-05-02T08:00:00.123+00:00', Notes: 'VIP' },
    lastModified: '2024-05-02T08:00:00.123Z',
  },
];

describe('CSV uploads', () => {
  let t: TestApp;
  let n = 0;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => closeAll(t));

  async function createSource(extra: object = {}): Promise<string> {
    const res = await t
      .api()
      .post('/api/sources', { name: `contacts-${++n}`, ...CONTACTS, ...extra })
      .expect(201);
    return res.body.id as string;
  }

  const uploadRaw = (id: string, body: Buffer | string, type = 'text/csv') =>
    t.api().post(`/api/sources/${id}/upload`).set('Content-Type', type).send(body);

  const uploadMultipart = (id: string, body: Buffer, field = 'file') =>
    t.api().post(`/api/sources/${id}/upload`).attach(field, body, 'contacts.csv');

  /** Every current record of the source, through the paged records API. */
  async function records(id: string): Promise<unknown[]> {
    const all: unknown[] = [];
    let after: string | null = '';
    while (after !== null) {
      const res = await t
        .api()
        .get(
          `/api/sources/${id}/records?limit=2${after ? `&after=${encodeURIComponent(after)}` : ''}`,
        )
        .expect(200);
      all.push(...(res.body.items as unknown[]));
      after = res.body.next as string | null;
    }
    return all;
  }

  it('stores a raw text/csv upload: BOM, CRLF, quoted commas, quotes and line breaks, blank line', async () => {
    const id = await createSource();
    const res = await uploadRaw(id, fixture('contacts.csv')).expect(200);
    expect(res.body).toMatchObject({
      status: 'succeeded',
      rowsRead: 4,
      rowsStored: 4,
      rowsRejected: 0,
      errors: [],
    });
    expect(await records(id)).toEqual(CONTACT_RECORDS);
    const source = await t.api().get(`/api/sources/${id}`).expect(200);
    expect(source.body.recordCount).toBe(4);
    expect(source.body.lastIngest).toEqual(res.body);
    expect(source.body.ingesting).toBe(false);
  });

  it('stores the same from a multipart upload (field "file")', async () => {
    const id = await createSource();
    const res = await uploadMultipart(id, fixture('contacts.csv')).expect(200);
    expect(res.body.rowsStored).toBe(4);
    expect(await records(id)).toEqual(CONTACT_RECORDS);
  });

  it('rejects each bad row with its line and message, and stores the rest', async () => {
    const id = await createSource();
    const res = await uploadRaw(id, fixture('contacts-bad-rows.csv')).expect(200);
    expect(res.body).toMatchObject({ rowsRead: 11, rowsStored: 2, rowsRejected: 9 });
    expect(res.body.errors).toEqual([
      { line: 4, message: 'expected 9 columns (as in the header), found 10' },
      { line: 5, message: 'expected 9 columns (as in the header), found 4' },
      { line: 6, message: 'empty primary key (column "ContactId")' },
      {
        line: 7,
        message:
          'duplicate primary key "B-1": an earlier row has the same key (the first one is kept)',
      },
      {
        line: 8,
        message: expect.stringMatching(
          /^column "LTV" \(field lifetimeValue\): "1,234.50" is not a number \(expected/,
        ),
      },
      {
        line: 9,
        message: expect.stringMatching(
          /^column "BirthDate" \(field birthDate\): "31\/02\/1980" is not a date \(expected an ISO-8601/,
        ),
      },
      {
        line: 10,
        message:
          'column "DoNotEmail" (field doNotEmail): "maybe" is not a boolean (expected true/false, yes/no, y/n, t/f or 1/0)',
      },
      {
        line: 11,
        message:
          'last-modified column "ModifiedOn": "last tuesday" is not an ISO-8601 date or date-time',
      },
      {
        line: 12,
        message: expect.stringMatching(
          /"1980-13-01" is not a date .*; column "LTV" \(field lifetimeValue\): "abc" is not a number/,
        ),
      },
    ]);
    const stored = (await records(id)) as {
      key: string;
      fields: Record<string, unknown>;
      raw: Record<string, string>;
    }[];
    expect(stored.map((r) => r.key)).toEqual(['B-1', 'B-9']);
    // The first row of a key is kept.
    expect(stored[0].fields.firstName).toBe('Good');
    expect(stored[0].raw.Notes).toBe('spans\ntwo lines');
  });

  it('replaces all records on a new upload', async () => {
    const id = await createSource();
    await uploadRaw(id, fixture('contacts.csv')).expect(200);
    const res = await uploadMultipart(id, fixture('contacts-changed.csv')).expect(200);
    expect(res.body.rowsStored).toBe(2);
    const stored = (await records(id)) as { key: string; fields: Record<string, unknown> }[];
    expect(stored.map((r) => r.key)).toEqual(['C-002', 'C-005']);
    expect(stored[0].fields).toEqual({
      firstName: 'John',
      lastName: 'Smith',
      email: 'john@example.com',
      birthDate: '1970-12-31T00:00:00.000Z',
      lifetimeValue: 10,
      doNotEmail: false,
    });
    expect((await t.api().get(`/api/sources/${id}`)).body.recordCount).toBe(2);
  });

  describe('a refused file keeps the previous records', () => {
    let id: string;
    beforeAll(async () => {
      id = await createSource();
      await uploadRaw(id, fixture('contacts.csv')).expect(200);
    });

    async function expectRefused(body: Buffer | string, line: string, message: RegExp | string) {
      const res = await uploadRaw(id, body).expect(400);
      expect(res.body.error).toBe('VALIDATION');
      expect(res.body.details[0].path).toBe(line);
      if (typeof message === 'string') expect(res.body.details[0].message).toBe(message);
      else expect(res.body.details[0].message).toMatch(message);
      expect(res.body.message).toMatch(/the source keeps its previous records$/);
      expect(await records(id)).toEqual(CONTACT_RECORDS);
      const source = await t.api().get(`/api/sources/${id}`).expect(200);
      expect(source.body.recordCount).toBe(4);
      expect(source.body.lastIngest).toMatchObject({ status: 'failed', error: res.body.message });
      return res;
    }

    it('when the header lacks the primary key, a mapped column or the last-modified column', async () => {
      const res = await expectRefused(
        'Id,FirstName,LastName,Mail,BirthDate,LTV,DoNotEmail,Modified\n1,a,b,c,,,,\n',
        'line 1',
        /^header \(line 1\): the primary key column "ContactId" is not in the header/,
      );
      expect(res.body.details[0].message).toContain(
        'the column "Email" of field email is not in the header',
      );
      expect(res.body.details[0].message).toContain(
        'the last-modified column "ModifiedOn" is not in the header',
      );
    });

    it('when a quoted field is never closed', async () => {
      const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes';
      await expectRefused(
        `${header}\nX-1,a,b,c,,,,,\nX-2,"open,b,c,,,,,\nX-3,a,b,c,,,,,\n`,
        'line 3',
        'line 3: a quoted field opened in the record starting on this line is never closed (the file ends inside it)',
      );
    });

    it('when bytes are not valid in the declared encoding', async () => {
      const header =
        'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes\n';
      await expectRefused(
        Buffer.concat([
          Buffer.from(`${header}X-1,a,b,c,,,,,\nX-2,Ren`),
          Buffer.from([0xe9]),
          Buffer.from('e,b,c,,,,,\n'),
        ]),
        'line 3',
        /^line 3: not valid utf-8 text \(byte 0xE9 at byte 8 of the line\)/,
      );
    });

    it('when every row is rejected', async () => {
      const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes';
      const res = await uploadRaw(id, `${header}\n,no key,,,,,,,\nX-2,bad,,,,NaN,,,\n`).expect(400);
      expect(res.body.message).toBe(
        `every row of the file was rejected (2 rows); source "contacts-${n}" keeps its previous records`,
      );
      expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(['line 2', 'line 3']);
      expect(await records(id)).toEqual(CONTACT_RECORDS);
      const source = await t.api().get(`/api/sources/${id}`).expect(200);
      expect(source.body.lastIngest).toMatchObject({
        status: 'failed',
        rowsRead: 2,
        rowsStored: 0,
        rowsRejected: 2,
        errors: [{ line: 2 }, { line: 3 }],
      });
    });

    it('when the body is empty', async () => {
      await expectRefused('', 'line 1', 'the file is empty: the first line must be the header');
    });
  });

  it('decodes the encoding declared on the source', async () => {
    const windows = await createSource({ options: { delimiter: ';', encoding: 'windows-1252' } });
    await uploadRaw(windows, fixture('contacts-windows-1252.csv')).expect(200);
    expect(await records(windows)).toEqual([
      {
        key: 'W-1',
        fields: {
          firstName: 'Renée',
          lastName: 'Lefèvre',
          email: 'renee@example.fr',
          birthDate: '1975-05-05T00:00:00.000Z',
          lifetimeValue: 12.5,
          doNotEmail: false,
        },
        raw: { ModifiedOn: '2024-03-03', Notes: 'Paid 5 € – “gold”' },
        lastModified: '2024-03-03T00:00:00.000Z',
      },
    ]);
    const utf16 = await createSource({ options: { encoding: 'utf-16le' } });
    await uploadMultipart(utf16, fixture('contacts-utf16le.csv')).expect(200);
    const [record] = (await records(utf16)) as {
      fields: Record<string, unknown>;
      raw: Record<string, string>;
    }[];
    expect(record.fields.firstName).toBe('名前');
    expect(record.raw.Notes).toBe('日本語, テキスト');
  });

  it('names the encoding problem when a UTF-16 file is sent to a UTF-8 source', async () => {
    const id = await createSource();
    const res = await uploadRaw(id, fixture('contacts-utf16le.csv')).expect(400);
    expect(res.body.details[0]).toEqual({
      path: 'line 1',
      message: expect.stringContaining(
        'the file starts with a UTF-16 byte-order mark: set the source option encoding to utf-16le',
      ),
    });
  });

  it('refuses other content types and a multipart body without a "file" part', async () => {
    const id = await createSource();
    const json = await t.api().post(`/api/sources/${id}/upload`, { csv: 'a,b' }).expect(400);
    expect(json.body.details).toEqual([
      {
        path: 'Content-Type',
        message:
          'application/json is not accepted: send the CSV as multipart/form-data (field "file") or as a raw text/csv body',
      },
    ]);
    const wrong = await uploadMultipart(id, fixture('contacts.csv'), 'upload').expect(400);
    expect(wrong.body.details).toEqual([
      { path: 'file', message: 'the multipart body has no file part named "file"' },
    ]);
    expect((await t.api().get(`/api/sources/${id}`)).body.lastIngest).toBeNull();
  });

  it('answers 404 for an unknown source', async () => {
    await uploadRaw('00000000-0000-0000-0000-000000000000', fixture('contacts.csv')).expect(404);
  });

  it('runs one ingest per source: 409 for a second upload and for a delete while one runs', async () => {
    const id = await createSource();
    const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes\n';
    // A slow client: the body arrives in two parts with a pause between them.
    const { req, answer } = openUpload(t, id);
    req.write(`${header}S-1,a,b,c,,,,,\n`);
    await waitFor(async () => (await t.api().get(`/api/sources/${id}`)).body.ingesting === true);

    const second = await uploadRaw(id, fixture('contacts.csv')).expect(409);
    expect(second.body.message).toBe(
      `an ingest of source "contacts-${n}" is already running; try again when it has finished`,
    );
    await t.api().delete(`/api/sources/${id}`).expect(409);

    req.end('S-2,c,d,e,,,,,\n');
    const first = await answer;
    expect(first.status).toBe(200);
    expect(JSON.parse(first.body)).toMatchObject({ rowsStored: 2 });
    expect((await t.api().get(`/api/sources/${id}`)).body.ingesting).toBe(false);
    await uploadRaw(id, fixture('contacts.csv')).expect(200);
    await t.api().delete(`/api/sources/${id}`).expect(204);
  });

  it('keeps the previous records when the client goes away mid-upload', async () => {
    const id = await createSource();
    await uploadRaw(id, fixture('contacts.csv')).expect(200);
    const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes\n';
    const { req, answer } = openUpload(t, id);
    answer.catch(() => undefined);
    req.write(`${header}Z-1,a,b,c,,,,,\n`);
    await waitFor(async () => (await t.api().get(`/api/sources/${id}`)).body.ingesting === true);
    req.destroy();
    await waitFor(async () => (await t.api().get(`/api/sources/${id}`)).body.ingesting === false);
    const source = await t.api().get(`/api/sources/${id}`).expect(200);
    expect(source.body.recordCount).toBe(4);
    expect(source.body.lastIngest).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('the upload was interrupted before the end of the file'),
    });
    expect(await records(id)).toEqual(CONTACT_RECORDS);
    const left = await t.app
      .get(Db)
      .query('SELECT COUNT(*) AS n FROM source_record WHERE source_id = ?', [id]);
    expect(Number(left[0].n)).toBe(4);
  });

  it('ends a multipart upload cut mid-body at once: the source is free and keeps its records', async () => {
    const id = await createSource();
    await uploadRaw(id, fixture('contacts.csv')).expect(200);
    const boundary = 'cut-boundary-7f3a';
    const { req, answer } = openUpload(t, id, `multipart/form-data; boundary=${boundary}`);
    answer.catch(() => undefined);
    const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes\n';
    req.write(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n` +
        `Content-Type: text/csv\r\n\r\n${header}M-1,a,b,c,,,,,\n`,
    );
    await waitFor(async () => (await t.api().get(`/api/sources/${id}`)).body.ingesting === true);
    req.destroy();
    await waitFor(async () => (await t.api().get(`/api/sources/${id}`)).body.ingesting === false);
    const source = await t.api().get(`/api/sources/${id}`).expect(200);
    expect(source.body.recordCount).toBe(4);
    expect(source.body.lastIngest).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('the upload was interrupted before the end of the file'),
    });
    expect(await records(id)).toEqual(CONTACT_RECORDS);
    const again = await uploadMultipart(id, fixture('contacts.csv')).expect(200);
    expect(again.body).toMatchObject({ rowsStored: 4 });
    expect(await records(id)).toEqual(CONTACT_RECORDS);
    await t.api().delete(`/api/sources/${id}`).expect(204);
  });

  it('rejects a row holding the NUL character with its line, and refuses a header holding one', async () => {
    const id = await createSource();
    const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes';
    const res = await uploadRaw(
      id,
      `${header}\nN-1,Ann,Lee,a@x.io,,,,,\nN-2,B\u0000b,Lee,b@x.io,,,,,\nN-\u00003,Cy,Lee,,,,,,\nN-4,Di,Lee,,,,,,"x\u0000"\nN-5,Ed,Lee,,,,,,\n`,
    ).expect(200);
    expect(res.body).toMatchObject({ rowsRead: 5, rowsStored: 2, rowsRejected: 3 });
    expect(res.body.errors).toEqual([
      { line: 3, message: 'contains the NUL character (U+0000)' },
      { line: 4, message: 'contains the NUL character (U+0000)' },
      { line: 5, message: 'contains the NUL character (U+0000)' },
    ]);
    expect(((await records(id)) as { key: string }[]).map((r) => r.key)).toEqual(['N-1', 'N-5']);
    const refused = await uploadRaw(id, `Contact\u0000Id,FirstName\nX,y\n`).expect(400);
    expect(refused.body.details).toEqual([
      {
        path: 'line 1',
        message: 'header (line 1): the name of column 1 contains the NUL character (U+0000)',
      },
    ]);
    expect((await t.api().get(`/api/sources/${id}`)).body.recordCount).toBe(2);
  });

  it('refuses a file with a header and no rows unless allowEmpty=true says to empty the source', async () => {
    const id = await createSource();
    await uploadRaw(id, fixture('contacts.csv')).expect(200);
    const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes\n';
    const res = await uploadRaw(id, header).expect(400);
    expect(res.body.details).toEqual([
      {
        path: 'file',
        message:
          'the file has a header but no rows, which would empty the source (upload with allowEmpty=true to empty it on purpose)',
      },
    ]);
    expect(await records(id)).toEqual(CONTACT_RECORDS);
    const odd = await t
      .api()
      .post(`/api/sources/${id}/upload?allowEmpty=yes`)
      .set('Content-Type', 'text/csv')
      .send(header)
      .expect(400);
    expect(odd.body.details).toEqual([{ path: 'allowEmpty', message: 'must be true or false' }]);
    expect(await records(id)).toEqual(CONTACT_RECORDS);
    const emptied = await t
      .api()
      .post(`/api/sources/${id}/upload?allowEmpty=true`)
      .set('Content-Type', 'text/csv')
      .send(header)
      .expect(200);
    expect(emptied.body).toMatchObject({ status: 'succeeded', rowsRead: 0, rowsStored: 0 });
    expect(await records(id)).toEqual([]);
    expect((await t.api().get(`/api/sources/${id}`)).body.recordCount).toBe(0);
  });

  it('deletes a source with its records', async () => {
    const id = await createSource();
    await uploadRaw(id, fixture('contacts.csv')).expect(200);
    await t.api().delete(`/api/sources/${id}`).expect(204);
    await t.api().get(`/api/sources/${id}/records`).expect(404);
    const left = await t.app
      .get(Db)
      .query('SELECT COUNT(*) AS n FROM source_record WHERE source_id = ?', [id]);
    expect(Number(left[0].n)).toBe(0);
  });

  it('streams a large upload in many batches with every row accounted for', async () => {
    const id = await createSource();
    const header = 'ContactId,FirstName,LastName,Email,BirthDate,LTV,DoNotEmail,ModifiedOn,Notes\n';
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      // Keys in scrambled order; every 1000th row repeats an earlier key.
      const key = i % 1000 === 999 ? `K${(i * 7919) % 30_000}` : `K${(i * 7919 + 13) % 30_000}`;
      lines.push(
        `${key},First ${i},"Last, ${i}",p${i}@example.com,1990-01-01,${i},${i % 2},2024-01-01T00:00:00Z,"note\n${i}"`,
      );
    }
    const res = await uploadRaw(id, header + lines.join('\n')).expect(200);
    const keys = new Set<string>();
    let duplicates = 0;
    for (const l of lines) {
      const key = l.slice(0, l.indexOf(','));
      if (keys.has(key)) duplicates++;
      keys.add(key);
    }
    expect(res.body).toMatchObject({
      rowsRead: 30_000,
      rowsStored: keys.size,
      rowsRejected: duplicates,
    });
    expect((await t.api().get(`/api/sources/${id}`)).body.recordCount).toBe(keys.size);
    // Quoted line breaks move the lines: row i starts on line 2 + 2i.
    for (const e of res.body.errors as { line: number }[]) expect((e.line - 2) % 2).toBe(0);
  });

  it('needs the API token', async () => {
    await request(t.url)
      .post('/api/sources/x/upload')
      .set('Content-Type', 'text/csv')
      .send('a')
      .expect(401);
  });
});

/** Starts an upload whose body the test writes itself (a slow client). */
function openUpload(
  t: TestApp,
  id: string,
  contentType = 'text/csv',
  query = '',
): { req: ClientRequest; answer: Promise<{ status: number; body: string }> } {
  const req = httpRequest(`${t.url}/api/sources/${id}/upload${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.token}`, 'Content-Type': contentType },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  return { req, answer };
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
