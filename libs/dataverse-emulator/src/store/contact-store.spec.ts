import { prng } from '../util/prng';
import { ContactStore } from './contact-store';
import { VersionClock } from './version-clock';

describe('ContactStore', () => {
  it('liveIndexes(offset, limit) skips deleted rows, as a scan from the start would', () => {
    const store = new ContactStore(3, new VersionClock());
    store.generate(2000);
    const random = prng(11);
    for (let k = 0; k < 600; k += 1) {
      const row = Math.floor(random() * 2000);
      if (store.isLive(row)) store.remove(row);
    }
    const live = Array.from({ length: 2000 }, (_, i) => i).filter((i) => store.isLive(i));
    for (const offset of [0, 1, 7, 100, 999, live.length - 3, live.length, live.length + 5]) {
      for (const limit of [1, 5, 250]) {
        expect({ offset, limit, rows: store.liveIndexes(offset, limit) }).toEqual({
          offset,
          limit,
          rows: live.slice(offset, offset + limit),
        });
      }
    }
    store.remove(live[0]); // the sorted copy of deleted rows follows deletes
    expect(store.liveIndexes(0, 1)).toEqual([live[1]]);
  });

  it('refuses a bad contact before storing anything, naming the field', () => {
    const store = new ContactStore(3, new VersionClock());
    store.generate(2);
    const cases: [unknown, RegExp][] = [
      [{ firstname: 5 }, /contact\.firstname must be a string or null, got 5/],
      [{ emailaddress1: { a: 1 } }, /contact\.emailaddress1 must be a string or null/],
      [{ statecode: 2 }, /contact\.statecode must be 0 \(Active\) or 1 \(Inactive\), got 2/],
      [{ modifiedon: 'yesterday' }, /contact\.modifiedon must be an ISO timestamp/],
      [{ contactid: 'nope' }, /contact\.contactid 'nope' is not a GUID/],
      [{ nickname: 'Bo' }, /contact has an unknown field 'nickname' \(known: contactid, /],
      ['Bo', /contact must be an object of contact fields/],
    ];
    for (const [input, message] of cases) {
      expect(() => store.add(input as never)).toThrow(message);
    }
    expect(store.count).toBe(2);
    expect(store.slots).toBe(2);
    expect(() => {
      store.update(0, { lastname: 7 } as never);
    }).toThrow(/patch\.lastname must be/);
    expect(() => {
      store.update(0, { contactid: store.idOf(1) } as never);
    }).toThrow(/patch\.contactid: the id of a contact cannot be changed/);
    expect(
      store.generated(0, { first: 0, last: 0, phone: 0, city: 0, time: 0, serial: 0 }),
    ).toBeDefined();
  });
});
