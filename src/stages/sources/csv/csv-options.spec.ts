import { canonicalEncoding, normalizeCsvOptions, SUPPORTED_ENCODINGS } from './csv-options';

describe('CSV options', () => {
  it('fills in defaults', () => {
    expect(normalizeCsvOptions(undefined)).toEqual({
      options: { delimiter: ',', quote: '"', encoding: 'utf-8' },
      errors: [],
    });
    expect(normalizeCsvOptions({ delimiter: '\t' }).options).toEqual({
      delimiter: '\t',
      quote: '"',
      encoding: 'utf-8',
    });
  });

  it('stores encoding labels as their canonical names', () => {
    expect(normalizeCsvOptions({ encoding: 'Latin1' }).options.encoding).toBe('windows-1252');
    expect(normalizeCsvOptions({ encoding: 'UTF8' }).options.encoding).toBe('utf-8');
    expect(canonicalEncoding('sjis')).toBe('shift_jis');
    expect(canonicalEncoding('utf-16')).toBe('utf-16le');
  });

  it('accepts a one-character delimiter outside the Basic Multilingual Plane', () => {
    expect(normalizeCsvOptions({ delimiter: '😀' }).errors).toEqual([]);
  });

  it('names every wrong option', () => {
    const { errors } = normalizeCsvOptions({
      delimiter: ';;',
      quote: '\n',
      encoding: 'ebcdic',
      header: false,
    });
    expect(errors).toEqual([
      { path: 'options.delimiter', message: 'must be exactly one character' },
      { path: 'options.quote', message: 'cannot be a line break' },
      {
        path: 'options.encoding',
        message: expect.stringMatching(
          /^"ebcdic" is not a supported encoding; supported: utf-8, utf-16le, utf-16be, windows-1252, /,
        ) as string,
      },
      {
        path: 'options.header',
        message: 'unknown option (CSV sources take delimiter, quote, encoding)',
      },
    ]);
    expect(normalizeCsvOptions({ delimiter: '' }).errors[0].path).toBe('options.delimiter');
    expect(normalizeCsvOptions({ encoding: 5 }).errors[0].message).toMatch(
      /^this is not a supported/,
    );
    expect(normalizeCsvOptions('x').errors).toEqual([
      { path: 'options', message: 'must be an object' },
    ]);
  });

  it('refuses a quote equal to the delimiter', () => {
    expect(normalizeCsvOptions({ delimiter: "'", quote: "'" }).errors).toEqual([
      { path: 'options.quote', message: 'must differ from the delimiter' },
    ]);
  });

  it('lists only encodings this Node.js can decode, without stateful ones', () => {
    expect(SUPPORTED_ENCODINGS).toContain('utf-8');
    expect(SUPPORTED_ENCODINGS).toContain('shift_jis');
    expect(SUPPORTED_ENCODINGS).not.toContain('iso-2022-jp');
    expect(canonicalEncoding('iso-2022-jp')).toBeUndefined();
    for (const name of SUPPORTED_ENCODINGS) expect(canonicalEncoding(name)).toBe(name);
  });
});
