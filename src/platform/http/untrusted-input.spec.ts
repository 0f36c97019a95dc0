import { checkUntrustedInput, MAX_NESTING, NUL_MESSAGE } from './untrusted-input';

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
}

describe('checkUntrustedInput', () => {
  it('accepts ordinary values up to the nesting limit', () => {
    expect(checkUntrustedInput({ name: 'x', list: [1, true, null, { b: 'ü' }] })).toEqual([]);
    expect(checkUntrustedInput(nested(MAX_NESTING))).toEqual([]);
  });

  it('reports a body nested deeper than the limit once, without walking it all', () => {
    expect(checkUntrustedInput({ rule: nested(100_000) })).toEqual([
      {
        path: 'rule',
        message: `nests too deep: at most ${MAX_NESTING} levels of objects and arrays`,
      },
    ]);
    expect(checkUntrustedInput([nested(MAX_NESTING)])).toEqual([
      { message: `the body nests too deep: at most ${MAX_NESTING} levels of objects and arrays` },
    ]);
  });

  it('names NUL characters in values and keys, and reserved keys, with their path', () => {
    const body = JSON.parse(
      '{"name":"a\\u0000","rule":{"all":[{"value":["x","\\u0000"]}]},"m":{"__proto__":1,"toString":2,"k\\u0000":3}}',
    ) as unknown;
    expect(checkUntrustedInput(body)).toEqual([
      { path: 'name', message: NUL_MESSAGE },
      { path: 'rule.all[0].value[1]', message: NUL_MESSAGE },
      {
        path: 'm.__proto__',
        message: expect.stringContaining('"__proto__" is reserved') as string,
      },
      { path: 'm.toString', message: expect.stringContaining('"toString" is reserved') as string },
      { path: 'm', message: `keys ${NUL_MESSAGE}` },
    ]);
  });

  it('names a query parameter or path parameter by the root given', () => {
    expect(checkUntrustedInput('a\u0000', 'id')).toEqual([{ path: 'id', message: NUL_MESSAGE }]);
    expect(checkUntrustedInput({ q: ['x', '\u0000'] })).toEqual([
      { path: 'q[1]', message: NUL_MESSAGE },
    ]);
  });

  it('stops after 20 problems', () => {
    expect(checkUntrustedInput(Array(100).fill('\u0000'))).toHaveLength(20);
  });
});
