import type { MappingPlan } from '../record-mapper';
import { DEFAULT_CSV_OPTIONS } from './csv-options';
import type { FileParse, ParseSink } from './file-parse';
import { PackedBatchReader } from './packed-batch';
import type { ParseWorkerData, RowError } from './parse-messages';
import { lastBreakEnd, SegmentParse } from './segment-parse';
import { StreamParse } from './stream-parse';

const plan: MappingPlan = {
  primaryKey: 'id',
  mapping: { name: { column: 'name', type: 'string' }, n: { column: 'n', type: 'number' } },
  lastModifiedColumn: null,
};
const data: ParseWorkerData = {
  plan,
  options: { ...DEFAULT_CSV_OPTIONS },
  batchSize: 7,
  batchesAhead: 2,
};

interface Outcome {
  records: [string, string, string, number][];
  rowsRead?: number;
  rowsRejected?: number;
  errors?: RowError[];
  failed?: { message: string; line?: number };
}

/** Feeds `input` in chunks of `chunk` bytes through a parse and collects what reaches the sink. */
async function run(
  start: (sink: ParseSink) => FileParse,
  input: Buffer,
  chunk = 64,
): Promise<Outcome> {
  const out: Outcome = { records: [] };
  let parse: FileParse | undefined;
  try {
    await new Promise<void>((resolve) => {
      let at = 0;
      const feed = () => {
        while (at < input.length) {
          const piece = input.subarray(at, at + chunk);
          at += chunk;
          if (!parse?.write(Buffer.from(piece))) return;
        }
        parse?.end();
      };
      parse = start({
        batch: (batch) => {
          const values = new PackedBatchReader(batch);
          batch.keys.forEach((key, i) => {
            out.records.push([key, values.value(i, 0), values.value(i, 1), batch.lines[i]]);
          });
        },
        room: feed,
        done: (rowsRead, rowsRejected, errors) => {
          Object.assign(out, { rowsRead, rowsRejected, errors });
          resolve();
        },
        failed: (error) => {
          out.failed = { message: error.message, line: (error as { line?: number }).line };
          resolve();
        },
      });
      feed();
    });
  } finally {
    await parse?.close();
  }
  return out;
}

/** The same input through one stream worker and through pieces of each size must agree. */
async function expectSameAsStream(text: string | Buffer, sizes = [1, 9, 40, 1 << 20]) {
  const input = typeof text === 'string' ? Buffer.from(text) : text;
  const expected = await run((sink) => new StreamParse(data, sink), input);
  for (const size of sizes) {
    const actual = await run((sink) => new SegmentParse(data, 2, size, sink), input);
    expect({ size, ...actual }).toEqual({ size, ...expected });
  }
  return expected;
}

describe('SegmentParse', () => {
  it('gives the records, lines and row errors of one parser, whatever the piece size', async () => {
    const out = await expectSameAsStream(
      '\uFEFFid,name,n\r\n' +
        '1,"Smith, John",1\r\n' +
        '2,"two\r\nlines, and ""quotes""",2\r\n' +
        '\r\n' +
        '3,x,not-a-number\n' +
        '4,"a\nb\nc\nd",4\n' +
        '5,only-two\n' +
        '6,"",6\r' +
        '7,last,7',
    );
    expect(out.records.map((r) => [r[0], r[3]])).toEqual([
      ['1', 2],
      ['2', 3],
      ['4', 7],
      ['6', 12],
      ['7', 13],
    ]);
    expect(out.errors?.map((e) => e.line)).toEqual([6, 11]);
  });

  it('agrees on a larger file with many values spanning lines', async () => {
    const rows = ['id,name,n'];
    for (let i = 0; i < 600; i++) {
      const name = i % 3 === 0 ? `"multi\nline ${i}\n"` : i % 7 === 0 ? `"q""${i}"` : `n${i}`;
      rows.push(`${i},${name},${i % 11 === 0 ? 'x' : i}`);
    }
    const out = await expectSameAsStream(rows.join('\n') + '\n', [50, 333, 4096]);
    expect(out.rowsRead).toBe(600);
  });

  it('reads old Mac line ends (CR only)', async () => {
    const out = await expectSameAsStream('id,name,n\r1,a,1\r2,"b\rc",2\r3,d,3\r');
    expect(out.records.map((r) => r[3])).toEqual([2, 3, 5]);
  });

  it('fails like one parser would: a quote never closed, bad bytes, a bad header, no header', async () => {
    const open = await expectSameAsStream('id,name,n\n1,a,1\n2,"open,2\n3,c,3\n4,d,4\n');
    expect(open.failed).toEqual({
      line: 3,
      message:
        'line 3: a quoted field opened in the record starting on this line is never closed (the file ends inside it)',
    });
    const bad = Buffer.concat([
      Buffer.from('id,name,n\n1,a,1\n2,"x\ny",2\n3,'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(',3\n4,d,4\n'),
    ]);
    expect((await expectSameAsStream(bad)).failed?.line).toBe(5);
    expect((await expectSameAsStream('id,nom,n\n1,a,1\n')).failed?.line).toBe(1);
    expect((await expectSameAsStream('')).failed?.message).toContain('the file is empty');
    expect(await expectSameAsStream('id,name,n\n')).toMatchObject({ rowsRead: 0, records: [] });
  });

  it('refuses a line longer than the largest record without a line break', async () => {
    const long = Buffer.alloc(17 * 1024 * 1024, 0x61);
    const out = await run(
      (sink) => new SegmentParse(data, 2, 1 << 20, sink),
      Buffer.concat([Buffer.from('id,name,n\n1,a,1\n'), long]),
      1 << 20,
    );
    expect(out.failed).toEqual({
      line: 3,
      message: 'line 3 is longer than 16 MiB without a line break',
    });
  });
});

describe('lastBreakEnd', () => {
  it('cuts after the last LF, or after a CR that is not the last byte when there is no LF', () => {
    expect(lastBreakEnd(Buffer.from('a\r\nb\nc'))).toBe(5);
    expect(lastBreakEnd(Buffer.from('a\rb\rc'))).toBe(4);
    expect(lastBreakEnd(Buffer.from('a\rb\r'))).toBe(2);
    expect(lastBreakEnd(Buffer.from('abc'))).toBe(0);
  });
});
