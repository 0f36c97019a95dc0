import { CsvInputDecoder, EncodingError, firstInvalidUtf8 } from './csv-input-decoder';

/** Feeds the bytes in pieces of `size` and returns the text handed on. */
function decode(encoding: string, bytes: Buffer, size = bytes.length): string {
  const decoder = new CsvInputDecoder(encoding);
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const piece = decoder.push(bytes.subarray(i, i + size));
    if (piece) out.push(piece);
  }
  const rest = decoder.end();
  if (rest) out.push(rest);
  return Buffer.concat(out).toString('utf8');
}

function failure(encoding: string, bytes: Buffer, size = bytes.length): EncodingError {
  try {
    decode(encoding, bytes, size);
  } catch (error) {
    if (error instanceof EncodingError) return error;
    throw error;
  }
  throw new Error('expected an encoding error');
}

const SIZES = [1, 2, 3, 5, 7, 64, 1 << 16];

describe('CsvInputDecoder', () => {
  const text = 'id,name\r\n1,"Zoë ✓ 😀"\n2,"multi\nline"\r3,Łukasz\n';

  it.each(SIZES)('passes valid UTF-8 through unchanged, in pieces of %d bytes', (size) => {
    expect(decode('utf-8', Buffer.from(text), size)).toBe(text);
  });

  it('keeps a UTF-8 byte-order mark for the parser (which drops it)', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(decode('utf-8', bytes, 4)).toBe(`\ufeff${text}`);
  });

  it.each(SIZES)('names the line of invalid UTF-8 (pieces of %d bytes)', (size) => {
    const bytes = Buffer.concat([
      Buffer.from('id,name\n1,ok\n2,"quoted\nstill"\n3,caf'),
      Buffer.from([0xe9]), // latin-1 é
      Buffer.from('\n4,ok\n'),
    ]);
    const error = failure('utf-8', bytes, size);
    expect(error.line).toBe(5);
    expect(error.message).toBe(
      'line 5: not valid utf-8 text (byte 0xE9 at byte 6 of the line); if the file is in another encoding, set the source option encoding',
    );
  });

  it('finds invalid UTF-8 on the first line and in a last line without a line break', () => {
    expect(failure('utf-8', Buffer.from([0x61, 0xff, 0x0a])).line).toBe(1);
    expect(
      failure('utf-8', Buffer.concat([Buffer.from('a\nb\nc'), Buffer.from([0xc3])])).line,
    ).toBe(3);
  });

  it('counts CRLF and old Mac CR line ends', () => {
    const crlf = Buffer.concat([
      Buffer.from('a\r\nb\r\nc'),
      Buffer.from([0xc0, 0x80]),
      Buffer.from('\r\n'),
    ]);
    expect(failure('utf-8', crlf, 3).line).toBe(3);
    const cr = Buffer.concat([Buffer.from('a\rb\rc'), Buffer.from([0xfe]), Buffer.from('\r')]);
    expect(failure('utf-8', cr).line).toBe(3);
  });

  it('points at a UTF-16 byte-order mark when the file was declared UTF-8', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id,name\n', 'utf16le')]);
    const error = failure('utf-8', utf16);
    expect(error.line).toBe(1);
    expect(error.message).toContain(
      'starts with a UTF-16 byte-order mark: set the source option encoding to utf-16le',
    );
  });

  it.each(SIZES)('decodes windows-1252 to UTF-8 (pieces of %d bytes)', (size) => {
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2c, 0x80, 0x0a, 0x9c, 0x0a]); // café,€\nœ\n
    expect(decode('windows-1252', bytes, size)).toBe('café,€\nœ\n');
  });

  it('decodes all of windows-1252 as the Encoding Standard says (not as Latin-1)', () => {
    const all = Buffer.from(
      Array.from({ length: 256 }, (_, i) => i).filter((b) => b !== 0x0a && b !== 0x0d),
    );
    const decoded = decode('windows-1252', all);
    expect(decoded).toHaveLength(254);
    expect(Array.from(decoded.slice(0x80 - 2, 0xa0 - 2), (c) => c.codePointAt(0))).toEqual([
      0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039,
      0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc,
      0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
    ]);
    expect(decoded.slice(0xa0 - 2)).toBe(Buffer.from(all.subarray(0xa0 - 2)).toString('latin1'));
  });

  it.each(SIZES)('decodes UTF-16LE and UTF-16BE with their BOMs (pieces of %d bytes)', (size) => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decode('utf-16le', le, size)).toBe(text);
    const be = Buffer.from(le);
    be.swap16();
    expect(decode('utf-16be', be, size)).toBe(text);
  });

  it('does not cut UTF-16 at a byte that only looks like a line break', () => {
    // U+010A (Ċ) is 0A 01 in UTF-16LE: not a line break.
    const bytes = Buffer.from('Ċ,x\nĊ\n', 'utf16le');
    expect(decode('utf-16le', bytes, 1)).toBe('Ċ,x\nĊ\n');
  });

  it('names the line of bytes invalid in a declared single- or multi-byte encoding', () => {
    // 0xA5 is unassigned in ISO-8859-3.
    const latin3 = Buffer.concat([
      Buffer.from('a\nb\n'),
      Buffer.from([0x63, 0xa5]),
      Buffer.from('\nd\n'),
    ]);
    const error = failure('iso-8859-3', latin3, 2);
    expect(error.line).toBe(3);
    expect(error.message).toBe(
      'line 3: not valid iso-8859-3 text; if the file is in another encoding, set the source option encoding',
    );
    // A Shift_JIS lead byte followed by a line break.
    const sjis = Buffer.concat([Buffer.from('x\n'), Buffer.from([0x82]), Buffer.from('\ny\n')]);
    expect(failure('shift_jis', sjis).line).toBe(2);
    // An unpaired surrogate in UTF-16LE.
    const utf16 = Buffer.concat([
      Buffer.from('a\n', 'utf16le'),
      Buffer.from([0x00, 0xd8]),
      Buffer.from('\n', 'utf16le'),
    ]);
    expect(failure('utf-16le', utf16, 3).line).toBe(2);
  });

  it('decodes Shift_JIS, whose trail bytes never look like line breaks', () => {
    const bytes = new TextEncoder().encode('名前\n東京\n');
    // Encode with a decoder round trip: Node has no Shift_JIS encoder, so use known bytes.
    const sjis = Buffer.from([0x96, 0xbc, 0x91, 0x4f, 0x0a, 0x93, 0x8c, 0x8b, 0x9e, 0x0a]);
    expect(decode('shift_jis', sjis, 1)).toBe(Buffer.from(bytes).toString('utf8'));
  });

  it('refuses a line longer than 16 MiB without a line break', () => {
    const decoder = new CsvInputDecoder('utf-8');
    const chunk = Buffer.alloc(1 << 20, 0x61);
    expect(() => {
      for (let i = 0; i < 17; i++) decoder.push(chunk);
    }).toThrow('line 1 is longer than 16 MiB without a line break');
  });
});

describe('firstInvalidUtf8', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0xc3, 0xa9], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x61, 0x80], 1],
    [[0xc0, 0x80], 0], // overlong
    [[0xe0, 0x80, 0x80], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // above U+10FFFF
    [[0x61, 0xe2, 0x82], 1], // truncated
    [[0xff], 0],
  ])('%j → %d', (bytes, at) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at);
  });
});
