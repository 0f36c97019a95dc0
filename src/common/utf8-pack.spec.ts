import { Utf8Pack } from './utf8-pack';

describe('Utf8Pack', () => {
  it('packs texts back to back with their ends, growing as needed, and starts anew on take', () => {
    const pack = new Utf8Pack(4); // small, so the buffer has to grow
    for (const text of ['ab', 'Zoë ✓', '', '😀'.repeat(100)]) pack.add(text);
    expect(pack.last().toString('utf8')).toBe('😀'.repeat(100));
    expect(pack.count).toBe(4);
    expect(pack.byteLength).toBe(2 + 8 + 0 + 400); // ë is 2 bytes, ✓ 3, 😀 4
    const { bytes, ends } = pack.take();
    expect([...ends]).toEqual([2, 10, 10, 410]);
    expect(Buffer.from(bytes).toString('utf8', 2, 10)).toBe('Zoë ✓');
    expect([pack.count, pack.byteLength]).toEqual([0, 0]);
    pack.add('x');
    expect(pack.take().bytes).not.toBe(bytes); // a buffer of its own each time
  });
});
