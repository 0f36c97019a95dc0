import { parseBenchArgs } from './args';

describe('parseBenchArgs', () => {
  it('reads --key value, --key=value and flags', () => {
    expect(parseBenchArgs(['--rows', '1000', '--mode=fast', '--json', '--seed', '7'])).toEqual({
      rows: '1000',
      mode: 'fast',
      json: true,
      seed: '7',
    });
  });

  it('refuses a stray value', () => {
    expect(() => parseBenchArgs(['1000'])).toThrow(/unexpected argument "1000"/);
  });
});
