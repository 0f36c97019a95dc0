import { similarity, similarityBound } from './similarity';

describe('similarity', () => {
  it('is 1 − edits / longer length', () => {
    expect(similarity('martha', 'martha')).toBe(1);
    expect(similarity('martha', 'marhta')).toBeCloseTo(1 - 2 / 6);
    expect(similarity('jon', 'john')).toBeCloseTo(0.75);
    expect(similarity('abc', 'xyz')).toBe(0);
    expect(similarity('', 'abc')).toBe(0);
  });

  it('is symmetric', () => {
    for (const [a, b] of [
      ['kitten', 'sitting'],
      ['stephen', 'steven'],
      ['müller', 'muller'],
    ]) {
      expect(similarity(a, b)).toBe(similarity(b, a));
    }
  });

  it('bounds the similarity by the lengths alone', () => {
    expect(similarityBound(4, 5)).toBeCloseTo(0.8);
    expect(similarityBound(0, 0)).toBe(1);
    expect(similarity('abcd', 'abcde')).toBeLessThanOrEqual(similarityBound(4, 5));
  });
});
