import { convertText, convertValue, isBlank, parseIsoDate } from './field-conversion';

describe('field conversion', () => {
  describe('dates', () => {
    it.each([
      ['2024-05-01', '2024-05-01T00:00:00.000Z'],
      ['2024-02-29', '2024-02-29T00:00:00.000Z'],
      ['2000-02-29', '2000-02-29T00:00:00.000Z'],
      ['2024-05-01T10:20:30Z', '2024-05-01T10:20:30.000Z'],
      ['2024-05-01T10:20:30.123Z', '2024-05-01T10:20:30.123Z'],
      ['2024-05-01 10:20:30.123Z', '2024-05-01T10:20:30.123Z'],
      ['2024-05-01 10:20:30Z', '2024-05-01T10:20:30.000Z'],
      ['2024-05-01t10:20:30z', '2024-05-01T10:20:30.000Z'],
      ['2024-05-01T10:20', '2024-05-01T10:20:00.000Z'],
      ['2024-05-01T10:20:30', '2024-05-01T10:20:30.000Z'],
      ['2024-05-01T10:20:30.5', '2024-05-01T10:20:30.500Z'],
      ['2024-05-01T10:20:30,25Z', '2024-05-01T10:20:30.250Z'],
      ['2024-05-01T10:20:30.123456789Z', '2024-05-01T10:20:30.123Z'],
      ['2024-05-01T10:20:30+02:00', '2024-05-01T08:20:30.000Z'],
      ['2024-05-01T10:20:30+0200', '2024-05-01T08:20:30.000Z'],
      ['2024-05-01T10:20:30+02', '2024-05-01T08:20:30.000Z'],
      ['2024-05-01T01:00:00-05:30', '2024-05-01T06:30:00.000Z'],
      ['2024-05-01T23:30:00-02:00', '2024-05-02T01:30:00.000Z'],
      ['2024-01-01T00:30:00+01:00', '2023-12-31T23:30:00.000Z'],
      ['2024-05-01T10:20:30+00:00', '2024-05-01T10:20:30.000Z'],
      ['0099-03-04', '0099-03-04T00:00:00.000Z'],
      ['0099-03-04T12:00:00+01:00', '0099-03-04T11:00:00.000Z'],
      ['2024-05-01 10:20:30-00:00', '2024-05-01T10:20:30.000Z'],
      ['2024-05-01t23:59:59-23:59', '2024-05-02T23:58:59.000Z'],
      ['2024-03-01T00:30:00+01:00', '2024-02-29T23:30:00.000Z'],
      ['1970-01-01T00:00:00+00:30', '1969-12-31T23:30:00.000Z'],
    ])('reads %s as %s', (text, canonical) => {
      expect(parseIsoDate(text)).toBe(canonical);
      expect(convertText('date', text)).toEqual({ ok: true, value: canonical });
    });

    it.each([
      '2023-02-29',
      '1900-02-29',
      '2024-13-01',
      '2024-00-10',
      '2024-04-31',
      '2024-05-00',
      '2024-05-01T24:00:00Z',
      '2024-05-01T10:60:00Z',
      '2024-05-01T10:00:60Z',
      '2024-05-01T10:00:00+24:00',
      '2024-05-01T10:00:00+05:60',
      '05/01/2024',
      '01.05.2024',
      '2024/05/01',
      '2024-5-1',
      '20240501',
      '2024-05-01T10',
      '2024-05-01T10:00:00 Z',
      ' 2024-05-01x',
      'yesterday',
      '0000-01-01T00:30:00+01:00',
      '9999-12-31T23:30:00-01:00',
      '2024-05-01T10:00:00+2:000',
      '2024-05-01T10:00:00*02:00',
      '2024-05-01T10:00:00+02-00',
      '2024-05-01X10:00:00+02:00',
    ])('refuses %s', (text) => {
      expect(parseIsoDate(text)).toBeUndefined();
      const result = convertText('date', text);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toContain(JSON.stringify(text));
        expect(result.message).toMatch(/is not a date \(expected an ISO-8601 date/);
      }
    });

    it('ignores surrounding whitespace', () => {
      expect(convertText('date', ' 2024-05-01 ')).toEqual({
        ok: true,
        value: '2024-05-01T00:00:00.000Z',
      });
    });

    it('gives the same answer on the fast and the general path', () => {
      // The fast paths cover 10, 20 and 24 characters; compare with an equivalent spelling
      // that only the general pattern reads.
      for (const day of ['2024-02-28', '2024-12-31', '1999-01-01']) {
        expect(parseIsoDate(day)).toBe(parseIsoDate(`${day}T00:00:00.000+00:00`));
        expect(parseIsoDate(`${day}T13:14:15Z`)).toBe(parseIsoDate(`${day}T13:14:15.0+00:00`));
        expect(parseIsoDate(`${day}T13:14:15.678Z`)).toBe(
          parseIsoDate(`${day}T13:14:15.678+00:00`),
        );
      }
    });

    it('keeps text order equal to time order in the canonical form', () => {
      const values = ['2024-05-01T10:00:00+02:00', '2024-05-01T09:00:00Z', '2024-04-30'];
      const canonical = values.map((v) => parseIsoDate(v) ?? '');
      const byText = [...canonical].sort();
      const byTime = [...canonical].sort((a, b) => Date.parse(a) - Date.parse(b));
      expect(byText).toEqual(byTime);
    });
  });

  describe('numbers', () => {
    it.each([
      ['42', 42],
      ['-3.5', -3.5],
      ['+7', 7],
      ['1e6', 1_000_000],
      ['1.5E-3', 0.0015],
      ['.5', 0.5],
      ['5.', 5],
      ['007', 7],
      [' 12 ', 12],
      ['-0', 0],
    ])('reads %s as %d', (text, value) => {
      const result = convertText('number', text);
      expect(result).toEqual({ ok: true, value });
      if (result.ok) expect(Object.is(result.value, -0)).toBe(false);
    });

    it.each(['1,234.50', '1234,50', '1 234', '12abc', 'NaN', 'Infinity', '0x10', '--1', '.', 'e5'])(
      'refuses %s',
      (text) => {
        const result = convertText('number', text);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.message).toMatch(/is not a number \(expected a decimal/);
      },
    );

    it('refuses numbers beyond the range of a double', () => {
      expect(convertText('number', '1e400')).toEqual({
        ok: false,
        message: '"1e400" is out of range',
      });
    });
  });

  describe('booleans', () => {
    it.each(['true', 'TRUE', 'Yes', 'y', 'T', '1', ' true '])('reads %s as true', (text) => {
      expect(convertText('boolean', text)).toEqual({ ok: true, value: true });
    });

    it.each(['false', 'False', 'NO', 'n', 'f', '0'])('reads %s as false', (text) => {
      expect(convertText('boolean', text)).toEqual({ ok: true, value: false });
    });

    it.each(['2', 'ja', 'on', 'checked', 'truee'])('refuses %s', (text) => {
      const result = convertText('boolean', text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('true/false, yes/no, y/n, t/f or 1/0');
    });
  });

  it('keeps strings exactly as written', () => {
    expect(convertText('string', '  Mary  Ann ')).toEqual({ ok: true, value: '  Mary  Ann ' });
  });

  it('treats empty and whitespace-only text as blank', () => {
    expect(isBlank('')).toBe(true);
    expect(isBlank(' \t ')).toBe(true);
    expect(isBlank(' x ')).toBe(false);
  });

  it('shortens long values in messages', () => {
    const result = convertText('number', 'x'.repeat(200));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(`"${'x'.repeat(57)}..."`);
  });

  describe('typed values (for readers of JSON APIs)', () => {
    it('takes numbers and booleans of the right type as they are', () => {
      expect(convertValue('number', 3.25)).toEqual({ ok: true, value: 3.25 });
      expect(convertValue('boolean', false)).toEqual({ ok: true, value: false });
      expect(convertValue('string', 12)).toEqual({ ok: true, value: '12' });
      expect(convertValue('boolean', 1)).toEqual({ ok: true, value: true });
      expect(convertValue('date', '2024-05-01T10:00:00Z')).toEqual({
        ok: true,
        value: '2024-05-01T10:00:00.000Z',
      });
    });

    it('treats null, undefined and blank text as absent', () => {
      expect(convertValue('string', null)).toBeUndefined();
      expect(convertValue('number', undefined)).toBeUndefined();
      expect(convertValue('date', '  ')).toBeUndefined();
    });

    it('refuses non-finite numbers and objects', () => {
      expect(convertValue('number', Number.NaN)).toMatchObject({ ok: false });
      expect(convertValue('string', { a: 1 })).toEqual({
        ok: false,
        message: '"{\\"a\\":1}" is not a string',
      });
    });
  });
});
