import type { MappingPlan } from '../record-mapper';
import { DEFAULT_CSV_OPTIONS, type CsvOptions } from './csv-options';
import { CsvRecordReader, NUL_MESSAGE } from './csv-record-reader';
import type { RowError } from './error-list';

const plan: MappingPlan = {
  primaryKey: 'id',
  mapping: { name: { column: 'name', type: 'string' }, n: { column: 'n', type: 'number' } },
  lastModifiedColumn: null,
};

interface Outcome {
  records: {
    key: string;
    fields: Record<string, unknown>;
    raw: Record<string, unknown>;
    line: number;
  }[];
  rowsRead: number;
  rowsRejected: number;
  errors: RowError[];
  failed?: { message: string; line?: number };
  lines: number;
}

/** Feeds the bytes in pieces of `size` and collects the outcome. */
function read(
  input: string | Buffer,
  size = 1 << 16,
  options: Partial<CsvOptions> = {},
  p: MappingPlan = plan,
): Promise<Outcome> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const out: Outcome = { records: [], rowsRead: 0, rowsRejected: 0, errors: [], lines: 0 };
  return new Promise((resolve) => {
    const finish = () => {
      Object.assign(out, { lines: reader.lines });
      resolve(out);
    };
    const reader = new CsvRecordReader(
      { plan: p, options: { ...DEFAULT_CSV_OPTIONS, ...options } },
      {
        record: (r, line) =>
          out.records.push({
            key: r.key,
            fields: JSON.parse(r.fields) as Record<string, unknown>,
            raw: JSON.parse(r.raw) as Record<string, unknown>,
            line,
          }),
        done: (rowsRead, rowsRejected, errors) => {
          Object.assign(out, { rowsRead, rowsRejected, errors });
          finish();
        },
        failed: (message, line) => {
          out.failed = { message, line };
          finish();
        },
      },
    );
    for (let i = 0; i < bytes.length; i += size) reader.write(bytes.subarray(i, i + size));
    reader.end();
  });
}

describe('CsvRecordReader', () => {
  it.each([1, 3, 16, 1 << 16])(
    'reads quoted delimiters, doubled quotes and line breaks, with physical line numbers (pieces of %d bytes)',
    async (size) => {
      const csv =
        'id,name,n,note\r\n' +
        '1,"Smith, John",1,"line one\r\nline two"\r\n' +
        '\r\n' +
        '2,"say ""hi""",2,x\n' +
        '3,plain,3,"a\nb\nc"\n' +
        '4,last,4,end';
      const out = await read(csv, size);
      expect(out.failed).toBeUndefined();
      expect(out.records.map((r) => [r.key, r.line])).toEqual([
        ['1', 2],
        ['2', 5],
        ['3', 6],
        ['4', 9],
      ]);
      expect(out.records[0].fields).toEqual({ name: 'Smith, John', n: 1 });
      expect(out.records[0].raw).toEqual({ note: 'line one\r\nline two' });
      expect(out.records[1].fields.name).toBe('say "hi"');
      expect(out.records[2].raw).toEqual({ note: 'a\nb\nc' });
      expect(out.rowsRead).toBe(4);
    },
  );

  it('drops a UTF-8 byte-order mark before the header', async () => {
    const out = await read(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name,n\n1,a,2\n')]),
    );
    expect(out.records).toHaveLength(1);
    expect(out.records[0].fields).toEqual({ name: 'a', n: 2 });
  });

  it('rejects bad rows with their line and keeps the rest', async () => {
    const csv = [
      'id,name,n',
      '1,ok,1',
      '2,too,many,columns',
      ',no key,3',
      '4,bad number,four',
      '5,short',
      '6,"quoted',
      'over two lines",x',
      '7,ok,7',
    ].join('\n');
    const out = await read(csv);
    expect(out.records.map((r) => r.key)).toEqual(['1', '7']);
    expect(out.records[1].line).toBe(9);
    expect(out.rowsRead).toBe(7);
    expect(out.rowsRejected).toBe(5);
    expect(out.errors).toEqual([
      { line: 3, message: 'expected 3 columns (as in the header), found 4' },
      { line: 4, message: 'empty primary key (column "id")' },
      {
        line: 5,
        message: expect.stringContaining('column "n" (field n): "four" is not a number') as string,
      },
      { line: 6, message: 'expected 3 columns (as in the header), found 2' },
      {
        line: 7,
        message: expect.stringContaining('column "n" (field n): "x" is not a number') as string,
      },
    ]);
  });

  it('reports the first 100 row errors and counts all', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `${i},x,not-a-number`);
    const out = await read(['id,name,n', ...rows].join('\n'));
    expect(out.rowsRejected).toBe(250);
    expect(out.errors).toHaveLength(100);
    expect(out.errors[0].line).toBe(2);
    expect(out.errors[99].line).toBe(101);
  });

  it('rejects a row holding the NUL character, and refuses a header holding one', async () => {
    const out = await read('id,name,n\n1,a\u0000b,1\n2,ok,2\n', 5);
    expect(out.records.map((r) => r.key)).toEqual(['2']);
    expect(out.errors).toEqual([{ line: 2, message: NUL_MESSAGE }]);
    const header = await read('id,na\u0000me,n\n1,a,1\n');
    expect(header.failed).toEqual({
      line: 1,
      message: `header (line 1): the name of column 2 ${NUL_MESSAGE}`,
    });
  });

  it('ends records at LF or CRLF in one file, or at CR when the first line ends so', async () => {
    const mixed = await read('id,name,n\r\n1,a,1\n2,"b",2\r\n3,c,3');
    expect(mixed.records.map((r) => [r.key, r.fields.name, r.line])).toEqual([
      ['1', 'a', 2],
      ['2', 'b', 3],
      ['3', 'c', 4],
    ]);
    // A lone CR inside quotes in an LF file, as many CRs as LFs: still counted as a line.
    const loneCr = await read('id,name,n\n1,a,1\n2,"b\rc",2\r\n3,c,3\n4,d,4', 1 << 16);
    expect(loneCr.records.map((r) => [r.key, r.line])).toEqual([
      ['1', 2],
      ['2', 3],
      ['3', 5],
      ['4', 6],
    ]);
    const mac = await read('id,name,n\r1,a,1\r2,"b\rc",2\r', 3);
    expect(mac.records.map((r) => [r.key, r.fields.name, r.line])).toEqual([
      ['1', 'a', 2],
      ['2', 'b\rc', 3],
    ]);
  });

  it('takes another delimiter and quote', async () => {
    const out = await read("id;name;n\n1;'a;b';2\n2;'it''s';3\n", 5, {
      delimiter: ';',
      quote: "'",
    });
    expect(out.records.map((r) => r.fields.name)).toEqual(['a;b', "it's"]);
  });

  it('keeps a stray quote inside an unquoted field as text', async () => {
    const out = await read('id,name,n\n1,5" screen,1\n');
    expect(out.records[0].fields.name).toBe('5" screen');
  });

  it('decodes a declared encoding', async () => {
    const latin = Buffer.from([
      ...Buffer.from('id,name,n\n1,'),
      0x4d,
      0xfc,
      0x6c,
      0x6c,
      0x65,
      0x72,
      ...Buffer.from(',1\n'),
    ]);
    const out = await read(latin, 4, { encoding: 'windows-1252' });
    expect(out.records[0].fields.name).toBe('Müller');
  });

  describe('refuses the whole file', () => {
    it('when a quoted field is never closed, naming the line where its record starts', async () => {
      const out = await read('id,name,n\n1,a,1\n2,"open,2\n3,c,3\n4,d,4\n');
      expect(out.failed).toEqual({
        line: 3,
        message:
          'line 3: a quoted field opened in the record starting on this line is never closed (the file ends inside it)',
      });
    });

    it('when bytes are invalid in the encoding', async () => {
      const bytes = Buffer.concat([
        Buffer.from('id,name,n\n1,a,1\n2,'),
        Buffer.from([0xff]),
        Buffer.from(',2\n'),
      ]);
      const out = await read(bytes, 3);
      expect(out.failed?.line).toBe(3);
      expect(out.failed?.message).toMatch(/^line 3: not valid utf-8 text/);
    });

    it('when the header lacks a mapped column', async () => {
      const out = await read('id,label,n\n1,a,1\n');
      expect(out.failed).toEqual({
        line: 1,
        message:
          'header (line 1): the column "name" of field name is not in the header (columns: "id", "label", "n")',
      });
    });

    it('when the file is empty or its first line is blank', async () => {
      expect((await read('')).failed).toEqual({
        line: 1,
        message: 'the file is empty: the first line must be the header',
      });
      expect((await read('\nid,name,n\n')).failed).toEqual({
        line: 1,
        message: 'line 1: the header (the first line) is empty',
      });
    });
  });

  it('accepts a file with only a header', async () => {
    const out = await read('id,name,n\r\n');
    expect(out.failed).toBeUndefined();
    expect(out.rowsRead).toBe(0);
  });
});
