import { CONTACT_SCHEMA } from '../odata/schema';
import { ContactStore } from '../store/contact-store';
import { VersionClock } from '../store/version-clock';
import { ByteWriter } from '../util/byte-writer';
import { ContactJsonWriter } from './contact-json';
import { CONTACT_COLUMNS, contactOut } from './rows';

/** The JSON the writer produces for one contact, as text. */
function written(store: ContactStore, index: number, columns: readonly string[]): string {
  const out = new ByteWriter(16); // small on purpose: every row makes the writer grow
  new ContactJsonWriter(columns).write(out, store, index);
  return out.finish().toString('utf8');
}

/** The JSON of the object form (what a single-entity GET returns and pages returned before). */
const expected = (store: ContactStore, index: number, columns: readonly string[]) =>
  JSON.stringify(contactOut(store, index, columns));

describe('ContactJsonWriter', () => {
  const store = new ContactStore(42, new VersionClock());
  store.generate(3000);
  const awkward = [
    { firstname: 'Zoë', lastname: 'Ørsted-Łukasz', emailaddress1: 'zoë@exämple.com' },
    { firstname: 'Say "hi"', lastname: 'Back\\slash', telephone1: 'tab\there\nnewline' },
    { firstname: '\u0000\u001f\u007f', lastname: '😀 emoji', address1_city: '\u2028\u2029' },
    { firstname: 'lone \ud800 surrogate', lastname: null as unknown as string },
    { firstname: undefined, lastname: undefined, emailaddress1: null, statecode: 1 as const },
  ];
  const given = awkward.map((c) => store.add(c, Date.UTC(2024, 1, 29, 23, 59, 59)));
  store.update(17, { lastname: 'Changed', statecode: 1 }, Date.UTC(2026, 0, 1));
  store.update(18, { emailaddress1: null });
  store.remove(19);

  const columnSets: string[][] = [
    CONTACT_COLUMNS,
    ['contactid', 'fullname', 'emailaddress1', 'telephone1', 'address1_city', 'modifiedon'],
    ['versionnumber', 'statuscode', 'statecode', 'createdon', 'contactid'],
    ['fullname', 'contactid'],
    ...CONTACT_COLUMNS.map((column) => [column]),
  ];

  it('writes generated contacts byte for byte as JSON.stringify of their object', () => {
    const live = Array.from({ length: 3000 }, (_, i) => i).filter((i) => i !== 19);
    for (const columns of columnSets) {
      // One comparison per column list (a mismatch names the row in the diff).
      const rows = (json: (i: number) => string) => live.map((i) => `${i}: ${json(i)}`);
      expect(rows((i) => written(store, i, columns))).toEqual(
        rows((i) => expected(store, i, columns)),
      );
    }
  });

  it('writes given and changed contacts (escapes, non-ASCII, nulls) as JSON.stringify does', () => {
    for (const columns of columnSets) {
      for (const i of [...given, 17, 18]) {
        const text = written(store, i, columns);
        expect(text).toBe(expected(store, i, columns));
        expect(JSON.parse(text)).toEqual(contactOut(store, i, columns));
      }
    }
    expect(written(store, given[1], ['firstname'])).toContain('"Say \\"hi\\""');
    expect(written(store, given[3], ['firstname'])).toContain('\\ud800');
  });

  it('knows only contact columns', () => {
    expect(Object.keys(CONTACT_SCHEMA.columns)).toEqual(CONTACT_COLUMNS);
    expect(() => new ContactJsonWriter(['contactid', 'nosuch'])).toThrow(
      /No contact column nosuch/,
    );
  });
});
