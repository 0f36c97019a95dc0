import { createHash } from 'node:crypto';
import { compareText } from './record-table';
import { ScratchText, TextStore } from './text-store';

describe('TextStore', () => {
  it('gives back what it stored, across blocks', () => {
    const store = new TextStore();
    const texts = ['', 'plain', 'Chloé Ørsted', '😀 emoji', 'x'.repeat(5_000_000)];
    for (let round = 0; round < 5; round++) for (const t of texts) store.add(t);
    expect(store.count).toBe(25);
    for (let i = 0; i < 25; i++) expect(store.get(i)).toBe(texts[i % 5]);
  });

  it('compares in code point order, like compareText and UTF-8 bytes', () => {
    const texts = ['a', 'ab', 'b', 'B', 'é', '\uffff', '😀', '', 'a\u0000'];
    const store = new TextStore();
    texts.forEach((t) => store.add(t));
    const probe = new ScratchText();
    for (let i = 0; i < texts.length; i++) {
      for (let j = 0; j < texts.length; j++) {
        const expected = Math.sign(Buffer.compare(Buffer.from(texts[i]), Buffer.from(texts[j])));
        expect(Math.sign(store.compare(i, j))).toBe(expected);
        expect(Math.sign(compareText(texts[i], texts[j]))).toBe(expected);
        probe.set(texts[j]);
        expect(Math.sign(store.compareTo(i, probe.buffer, 0, probe.length))).toBe(expected);
      }
    }
    // U+FFFF sorts before U+1F600 by code point, though JS `<` (UTF-16 units) says otherwise.
    expect(['\uffff', '😀'].sort()).toEqual(['😀', '\uffff']);
    expect(compareText('\uffff', '😀')).toBeLessThan(0);
  });

  it('hashes the UTF-8 bytes', () => {
    const store = new TextStore();
    store.add('{"name":"Zoë"}');
    expect(store.digest(0).toString('hex')).toBe(
      createHash('sha1').update('{"name":"Zoë"}').digest('hex'),
    );
  });

  it('hands its texts to another store without copying them, which can append after its own', () => {
    const worker = new TextStore();
    ['k1', 'Zoë', '', 'x'.repeat(100)].forEach((t) => worker.add(t));
    const main = new TextStore();
    ['a', 'b'].forEach((t) => main.add(t));
    const data = worker.share();
    expect(data.blocks.every((b) => b instanceof SharedArrayBuffer)).toBe(true);
    main.append(structuredClone(data)); // as a message between threads carries it
    main.add('after');
    expect(main.count).toBe(7);
    expect([0, 1, 2, 3, 4, 5, 6].map((i) => main.get(i))).toEqual([
      'a',
      'b',
      'k1',
      'Zoë',
      '',
      'x'.repeat(100),
      'after',
    ]);
    expect(main.bytes).toBe(Buffer.byteLength('abk1Zoëx' + 'x'.repeat(99) + 'after'));
    expect(main.compare(2, 0)).toBeGreaterThan(0); // 'k1' after 'a', across the stores' blocks
    expect(main.compare(3, 2)).toBeLessThan(0); // 'Zoë' before 'k1' (byte order)
    expect(main.digest(3)).toEqual(worker.digest(1));
    // A store over the shared memory reads the same texts; what it adds is its own.
    const view = TextStore.of(data);
    expect(view.get(1)).toBe('Zoë');
    view.add('mine');
    worker.add('theirs');
    expect([view.get(4), worker.get(4), view.count, worker.count]).toEqual([
      'mine',
      'theirs',
      5,
      5,
    ]);
    expect(view.get(3)).toBe('x'.repeat(100));
  });
});
