import { RECORD_FORMATS } from './record-format';

const records = [
  {
    customerId: 'c1',
    fields: { customerId: 'c1', email: 'a@example.test', score: 12.5, vip: true, note: null },
  },
  {
    customerId: 'c2',
    fields: { customerId: 'c2', email: 'Müller, "Max"', score: 0, vip: false, note: ' padded ' },
  },
  {
    customerId: 'c3',
    fields: { customerId: 'c3', email: 'line\nbreak', score: -1, vip: null, note: '' },
  },
];
const fields = ['customerId', 'email', 'score', 'vip', 'note'];

describe('record formats', () => {
  it('writes RFC 4180 CSV: header, CRLF, quotes only where needed, absent values empty', () => {
    const csv = RECORD_FORMATS.csv;
    expect(csv.extension).toBe('csv');
    expect(csv.header(fields)).toBe('customerId,email,score,vip,note\r\n');
    expect(csv.lines(records, fields)).toBe(
      [
        'c1,a@example.test,12.5,true,',
        'c2,"Müller, ""Max""",0,false," padded "',
        'c3,"line\nbreak",-1,,',
        '',
      ].join('\r\n'),
    );
  });

  it('writes NDJSON with every chosen field on every line (absent values are null)', () => {
    const ndjson = RECORD_FORMATS.ndjson;
    expect(ndjson.extension).toBe('ndjson');
    expect(ndjson.header(fields)).toBe('');
    const lines = ndjson.lines(records, ['email', 'vip', 'missing']).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(lines.slice(0, 3).map((l) => JSON.parse(l))).toEqual([
      { email: 'a@example.test', vip: true, missing: null },
      { email: 'Müller, "Max"', vip: false, missing: null },
      { email: 'line\nbreak', vip: null, missing: null },
    ]);
    expect(Object.keys(JSON.parse(lines[0]))).toEqual(['email', 'vip', 'missing']);
  });
});
