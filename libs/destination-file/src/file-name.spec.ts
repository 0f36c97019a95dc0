import { segmentFileName } from './file-name';

const name = (n: string) => segmentFileName({ id: '0190-abc', name: n });

describe('segmentFileName', () => {
  it('keeps letters, digits, dots, dashes and underscores of any script', () => {
    expect(name('VIP customers')).toBe('VIP-customers');
    expect(name('Kunden München 2025')).toBe('Kunden-München-2025');
    expect(name('顧客_A.v2')).toBe('顧客_A.v2');
  });

  it('turns separators and other characters into single dashes, never a path or a hidden file', () => {
    expect(name('../../etc/passwd')).toBe('etc-passwd');
    expect(name('a/b\\c:d*e?f"g<h>i|j')).toBe('a-b-c-d-e-f-g-h-i-j');
    expect(name('.hidden')).toBe('hidden');
    expect(name('-- Gold -- ')).toBe('Gold');
  });

  it('falls back to the segment id when nothing is left, and caps the length', () => {
    expect(name('!!!')).toBe('segment-0190-abc');
    expect(name('…')).toBe('segment-0190-abc');
    expect(name('x'.repeat(300))).toHaveLength(100);
    expect(name(`${'y'.repeat(99)} z`)).toBe('y'.repeat(99));
  });
});
