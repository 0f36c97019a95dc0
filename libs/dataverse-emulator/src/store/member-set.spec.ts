import { prng } from '../util/prng';
import { Uint32Map } from './int-arrays';
import { MemberSet } from './member-set';

describe('Uint32Map', () => {
  it('behaves like a Map under random sets and deletes', () => {
    const map = new Uint32Map();
    const ref = new Map<number, number>();
    const random = prng(5);
    for (let i = 0; i < 50_000; i += 1) {
      const key = Math.floor(random() * 5000);
      if (random() < 0.3) {
        expect(map.delete(key)).toBe(ref.delete(key));
      } else {
        map.set(key, i);
        ref.set(key, i);
      }
    }
    expect(map.size).toBe(ref.size);
    for (let key = 0; key < 5000; key += 1) expect(map.get(key)).toBe(ref.get(key));
  });
});

describe('MemberSet', () => {
  it('keeps insertion order, one membership per contact, and resumes after a sequence', () => {
    const set = new MemberSet();
    for (let i = 0; i < 5000; i += 1) set.add(i * 7);
    expect(set.add(0)).toBe(false);
    for (let i = 0; i < 5000; i += 2) set.remove(i * 7); // enough holes to compact
    expect(set.size).toBe(2500);
    const all = [...set];
    expect(all[0]).toBe(7);
    expect(all.at(-1)).toBe(4999 * 7);
    const firstPage = [...set.after(0)].slice(0, 10);
    const rest = [...set.after(firstPage[9].seq)];
    expect([...firstPage.map((m) => m.contact), ...rest.map((m) => m.contact)]).toEqual(all);
    expect(set.remove(0)).toBe(false);
    expect(set.add(0)).toBe(true);
    expect([...set].at(-1)).toBe(0);
  });
});
