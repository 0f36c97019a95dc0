/**
 * A deterministic, realistic customer data set for the benchmarks (ingest, pipeline).
 *
 * `generatePeopleDataset({ rows, seed, dir })` streams two CSV files to `dir` and answers with
 * their source definitions (ready for `POST /api/sources`) and the ground truth (which records
 * belong to which person):
 *
 * - `crm` (`crm_contacts.csv`, a CRM contact export): `ContactId` (GUID, random order),
 *   `FirstName`, `LastName`, `Email`, `Phone` (`+1 (415) 555-0123`), `Company` (often with a
 *   comma, sometimes with quotes), `Street` (sometimes with a comma), `City`, `PostalCode`,
 *   `Country` (unmapped: kept raw), `BirthDate` (`1985-03-07`), `DoNotEmail` (`true`/`false`),
 *   `ModifiedOn` (`2024-05-01T10:00:00Z`, the last-modified column).
 * - `shop` (`shop_customers.csv`, an e-commerce customer list): `customer_no` (sequential),
 *   `first_name`, `last_name`, `email_address`, `mobile` (`415-555-0123`, `(415) 555-0123`,
 *   `415.555.0123`, `+1 415 555 0123`), `address`, `city`, `zip`, `dob`, `lifetime_value`
 *   (`1234.50`), `orders`, `newsletter` (`yes`/`no`), `loyalty_tier` (unmapped),
 *   `updated_at` (`2024-05-01T10:00:00+02:00`).
 *
 * About a third of the people are in both sources, a third only in `crm`, a third only in
 * `shop`; about 2% of `crm` records are a second record of a person already in `crm` (for
 * deduplication within a source). Every person has a unique email and phone number; the copies
 * carry noise: case, stray whitespace, dropped diacritics, typos in names, Gmail dots and
 * `+tags`, other phone formats, abbreviated streets, and 10% of the shared people use another
 * email address in the shop. Rows counts split evenly between the two files.
 *
 * Everything derives from `seed` (a hand-written 32-bit generator: a few lines, fast, and
 * stable across library versions, which a faker-style package does not promise), so the same
 * options always give byte-identical files.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type DatasetFieldType = 'string' | 'number' | 'date' | 'boolean';

/** The body of `POST /api/sources` for one file of the data set. */
export interface DatasetSourceDefinition {
  name: string;
  type: 'csv';
  primaryKey: string;
  mapping: Record<string, string | { column: string; type: DatasetFieldType }>;
  lastModifiedColumn: string;
  options: { delimiter: string; quote: string; encoding: string };
}

export interface DatasetFile {
  path: string;
  source: DatasetSourceDefinition;
  /** Data rows (the header is not counted). */
  rows: number;
  bytes: number;
}

export interface DatasetTruth {
  /** Distinct people behind all records. */
  people: number;
  /** People with records in both sources. */
  sharedPeople: number;
  /** `crm` records that are a second record of a person already in `crm`. */
  duplicateRecords: number;
  /** Person number (0-based) of each data row, by source name, in file order. */
  personOfRow: Record<string, Int32Array>;
  /** Primary key of the record on data row `row` (0-based) of a source. */
  keyOf(source: string, row: number): string;
  /** Number of records (in both sources) that the perfect unification would merge away. */
  readonly recordsMerged: number;
}

export interface PeopleDataset {
  files: DatasetFile[];
  truth: DatasetTruth;
  seed: number;
}

export interface PeopleDatasetOptions {
  /** Total data rows over both files. */
  rows: number;
  seed?: number;
  /** Folder for the files (created if missing). */
  dir: string;
  /**
   * Write only the files of these sources (the others are planned but not written, so the
   * written files are the same bytes as in a full data set). Default: all.
   */
  only?: string[];
}

export const DEFAULT_SEED = 20_251_129;
const DUPLICATE_RATE = 0.02;
/** Contact IDs encode the person number in 24 bits. */
const MAX_ROWS = 20_000_000;

/** Streams the data set to `dir`; same options, same bytes. */
export async function generatePeopleDataset(options: PeopleDatasetOptions): Promise<PeopleDataset> {
  const seed = options.seed ?? DEFAULT_SEED;
  const rows = Math.floor(options.rows);
  if (!(rows >= 2 && rows <= MAX_ROWS)) throw new Error(`rows must be between 2 and ${MAX_ROWS}`);
  mkdirSync(options.dir, { recursive: true });

  const plan = planPeople(rows, seed);
  const crmPath = join(options.dir, 'crm_contacts.csv');
  const shopPath = join(options.dir, 'shop_customers.csv');
  const wanted = (name: string) => !options.only || options.only.includes(name);
  const files: DatasetFile[] = [];
  if (wanted(CRM_SOURCE.name)) {
    await writeCsv(crmPath, CRM_HEADER, plan.crm.length, (row) => crmRow(seed, plan, row));
    files.push({
      path: crmPath,
      source: CRM_SOURCE,
      rows: plan.crm.length,
      bytes: statSync(crmPath).size,
    });
  }
  if (wanted(SHOP_SOURCE.name)) {
    await writeCsv(shopPath, SHOP_HEADER, plan.shop.length, (row) => shopRow(seed, plan.shop[row]));
    files.push({
      path: shopPath,
      source: SHOP_SOURCE,
      rows: plan.shop.length,
      bytes: statSync(shopPath).size,
    });
  }
  const truth: DatasetTruth = {
    people: plan.people,
    sharedPeople: plan.shared,
    duplicateRecords: plan.duplicates,
    personOfRow: { crm: plan.crm, shop: plan.shop },
    keyOf: (source, row) =>
      source === 'crm'
        ? crmKey(seed, plan.crm[row], plan.crmVariant[row])
        : source === 'shop'
          ? shopKey(plan.shop[row])
          : unknownSource(source),
    recordsMerged: plan.crm.length + plan.shop.length - plan.people,
  };
  return { files, truth, seed };
}

function unknownSource(source: string): never {
  throw new Error(`no source ${source} in the people data set`);
}

// ---------------------------------------------------------------------------------------------
// Sources

export const CRM_SOURCE: DatasetSourceDefinition = {
  name: 'crm',
  type: 'csv',
  primaryKey: 'ContactId',
  mapping: {
    firstName: 'FirstName',
    lastName: 'LastName',
    email: 'Email',
    phone: 'Phone',
    company: 'Company',
    street: 'Street',
    city: 'City',
    postalCode: 'PostalCode',
    birthDate: { column: 'BirthDate', type: 'date' },
    doNotEmail: { column: 'DoNotEmail', type: 'boolean' },
  },
  lastModifiedColumn: 'ModifiedOn',
  options: { delimiter: ',', quote: '"', encoding: 'utf-8' },
};

export const SHOP_SOURCE: DatasetSourceDefinition = {
  name: 'shop',
  type: 'csv',
  primaryKey: 'customer_no',
  mapping: {
    firstName: 'first_name',
    lastName: 'last_name',
    email: 'email_address',
    phone: 'mobile',
    street: 'address',
    city: 'city',
    postalCode: 'zip',
    birthDate: { column: 'dob', type: 'date' },
    lifetimeValue: { column: 'lifetime_value', type: 'number' },
    orderCount: { column: 'orders', type: 'number' },
    newsletter: { column: 'newsletter', type: 'boolean' },
  },
  lastModifiedColumn: 'updated_at',
  options: { delimiter: ',', quote: '"', encoding: 'utf-8' },
};

const CRM_HEADER = [
  'ContactId',
  'FirstName',
  'LastName',
  'Email',
  'Phone',
  'Company',
  'Street',
  'City',
  'PostalCode',
  'Country',
  'BirthDate',
  'DoNotEmail',
  'ModifiedOn',
];

const SHOP_HEADER = [
  'customer_no',
  'first_name',
  'last_name',
  'email_address',
  'mobile',
  'address',
  'city',
  'zip',
  'dob',
  'lifetime_value',
  'orders',
  'newsletter',
  'loyalty_tier',
  'updated_at',
];

// ---------------------------------------------------------------------------------------------
// Who is where

interface Plan {
  people: number;
  shared: number;
  duplicates: number;
  /** Person of each crm row, in file order. */
  crm: Int32Array;
  /** 0: the person's first crm record, 1, 2…: a later (duplicate) record of that person. */
  crmVariant: Uint8Array;
  /** Person of each shop row, in file order. */
  shop: Int32Array;
}

/**
 * People 0…shared-1 are in both sources, then the crm-only people, then the shop-only ones.
 * The rows of each file are shuffled so that file order says nothing about who matches whom.
 */
function planPeople(rows: number, seed: number): Plan {
  const crmRows = Math.ceil(rows / 2);
  const shopRows = rows - crmRows;
  const duplicates = Math.floor(crmRows * DUPLICATE_RATE);
  const crmPeople = crmRows - duplicates;
  const shared = Math.floor(Math.min(crmPeople, shopRows) / 2);
  const crmOnly = crmPeople - shared;
  const people = shared + crmOnly + (shopRows - shared);

  const rng = new Rng(mix(seed, 0x5eed));
  const crm = new Int32Array(crmRows);
  const crmVariant = new Uint8Array(crmRows);
  for (let i = 0; i < crmPeople; i++) crm[i] = i;
  for (let i = 0; i < duplicates; i++) {
    crm[crmPeople + i] = rng.int(crmPeople);
    crmVariant[crmPeople + i] = 1;
  }
  shuffle(rng, crm, crmVariant);
  // A duplicate record must come after the person's first record in file order, so that
  // "first record" means the same thing to every reader.
  const seen = new Uint8Array(people);
  for (let r = 0; r < crmRows; r++) crmVariant[r] = seen[crm[r]]++;

  const shop = new Int32Array(shopRows);
  for (let i = 0; i < shared; i++) shop[i] = i;
  for (let i = shared; i < shopRows; i++) shop[i] = crmPeople + (i - shared);
  shuffle(rng, shop);
  return { people, shared, duplicates, crm, crmVariant, shop };
}

function shuffle(rng: Rng, a: Int32Array, b?: Uint8Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
    if (b) {
      const u = b[i];
      b[i] = b[j];
      b[j] = u;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// People and their records

interface Person {
  first: string;
  last: string;
  email: string;
  /** Another address used in the shop by some shared people. */
  otherEmail: string | null;
  area: number;
  exchange: number;
  line: number;
  houseNo: number;
  street: string;
  streetKind: number;
  apartment: number;
  city: [string, string];
  company: string;
  birthDate: string;
}

function person(seed: number, p: number): Person {
  const rng = new Rng(mix(seed, p));
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const local = fold(`${first}.${last}`)
    .toLowerCase()
    .replace(/[^a-z.]/g, '');
  const style = rng.int(4);
  const user =
    style === 0
      ? local
      : style === 1
        ? local.replace('.', '')
        : style === 2
          ? `${local[0]}.${local.split('.')[1]}`
          : local.replace('.', '_');
  const domain = rng.pick(EMAIL_DOMAINS);
  // The person number in the address makes every email unique, like real ones are.
  const email = `${user}${p}@${domain}`;
  const otherEmail = rng.chance(0.1) ? `${local}.${p}@${rng.pick(WORK_DOMAINS)}` : null;
  return {
    first,
    last,
    email,
    otherEmail,
    area: 201 + rng.int(780),
    // Exchange and line together are unique per person.
    exchange: 200 + Math.floor(p / 10_000),
    line: p % 10_000,
    houseNo: 1 + rng.int(9999),
    street: rng.pick(STREETS),
    streetKind: rng.int(STREET_KINDS.length),
    apartment: rng.chance(0.2) ? 1 + rng.int(400) : 0,
    city: rng.pick(CITIES),
    company: rng.pick(COMPANIES),
    birthDate: isoDate(new Date(Date.UTC(1940, 0, 1) + rng.int(60 * 365) * 86_400_000)),
  };
}

function crmRow(seed: number, plan: Plan, row: number): string[] {
  const p = plan.crm[row];
  const variant = plan.crmVariant[row];
  const who = person(seed, p);
  const rng = new Rng(mix(seed, p, 1 + variant));
  // A duplicate record was typed in again by someone else: more noise.
  const noise = variant > 0 ? 3 : 1;
  const kind = STREET_KINDS[who.streetKind];
  const street = `${who.houseNo} ${who.street} ${kind[0]}${who.apartment ? `, Apt ${who.apartment}` : ''}`;
  return [
    crmKey(seed, p, variant),
    nameNoise(rng, who.first, noise, false),
    nameNoise(rng, who.last, noise, false),
    emailNoise(rng, who.email, noise),
    `+1 (${who.area}) ${who.exchange}-${pad4(who.line)}`,
    rng.chance(0.85) ? who.company : '',
    street,
    who.city[0],
    who.city[1],
    rng.chance(0.5) ? 'United States' : 'US',
    rng.chance(0.9) ? who.birthDate : '',
    rng.chance(0.15) ? 'true' : 'false',
    `${isoDate(new Date(Date.UTC(2020, 0, 1) + rng.int(5 * 365) * 86_400_000))}T${pad2(rng.int(24))}:${pad2(rng.int(60))}:${pad2(rng.int(60))}Z`,
  ];
}

function shopRow(seed: number, p: number): string[] {
  const who = person(seed, p);
  const rng = new Rng(mix(seed, p, 7));
  const email = who.otherEmail ?? who.email;
  const digits = [String(who.area), String(who.exchange), pad4(who.line)];
  const phoneStyle = rng.int(4);
  const phone =
    phoneStyle === 0
      ? digits.join('-')
      : phoneStyle === 1
        ? `(${digits[0]}) ${digits[1]}-${digits[2]}`
        : phoneStyle === 2
          ? digits.join('.')
          : `+1 ${digits.join(' ')}`;
  const kind = STREET_KINDS[who.streetKind];
  const address = `${who.houseNo} ${who.street} ${rng.chance(0.6) ? kind[1] : kind[0]}${who.apartment ? `, #${who.apartment}` : ''}`;
  const offset = rng.pick(['+00:00', '+01:00', '+02:00', '-05:00', '-08:00']);
  const orders = rng.int(40);
  return [
    shopKey(p),
    nameNoise(rng, who.first, 1, true),
    nameNoise(rng, who.last, 1, true),
    emailNoise(rng, email, 1),
    phone,
    address,
    rng.chance(0.1) ? who.city[0].toUpperCase() : who.city[0],
    who.city[1],
    rng.chance(0.7) ? who.birthDate : '',
    orders === 0 ? '0' : (orders * 17.5 + rng.int(10_000) / 100).toFixed(2),
    String(orders),
    rng.chance(0.4) ? 'yes' : 'no',
    rng.pick(['bronze', 'silver', 'gold', '']),
    `${isoDate(new Date(Date.UTC(2021, 0, 1) + rng.int(4 * 365) * 86_400_000))}T${pad2(rng.int(24))}:${pad2(rng.int(60))}:00${offset}`,
  ];
}

/**
 * A GUID-shaped contact ID, as Dynamics exports them (random order). The first group is a
 * bijective scramble of (person, variant), so IDs are unique; the rest is random.
 */
function crmKey(seed: number, p: number, variant: number): string {
  const rng = new Rng(mix(seed, p, 100 + variant));
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  const b = hex(rng.next32());
  const c = hex(rng.next32());
  const d = hex(rng.next32());
  return `${hex(scramble(p * 256 + variant))}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
}

/** A bijection of 32-bit integers that looks random (odd multiplications and xor-shifts). */
function scramble(x: number): number {
  let h = Math.imul(x, 0x9e3779b1) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return h >>> 0;
}

function shopKey(p: number): string {
  return String(100_000 + p);
}

function nameNoise(rng: Rng, name: string, level: number, dropDiacritics: boolean): string {
  let out = name;
  if (dropDiacritics && rng.chance(0.5)) out = fold(out);
  if (rng.chance(0.02 * level)) out = typo(rng, out);
  const c = rng.next();
  if (c < 0.04 * level) out = out.toUpperCase();
  else if (c < 0.08 * level) out = out.toLowerCase();
  if (rng.chance(0.03 * level)) out = rng.chance(0.5) ? ` ${out}` : `${out}  `;
  return out;
}

function emailNoise(rng: Rng, email: string, level: number): string {
  let out = email;
  const [user, domain] = out.split('@');
  if (domain === 'gmail.com') {
    if (rng.chance(0.15 * level)) out = `${user.replace(/\./g, '')}@${domain}`;
    else if (rng.chance(0.05 * level)) out = `${user}+shop@${domain}`;
  }
  const c = rng.next();
  if (c < 0.1 * level) out = out.toUpperCase();
  else if (c < 0.2 * level) out = `${out[0].toUpperCase()}${out.slice(1)}`;
  if (rng.chance(0.03 * level)) out = ` ${out} `;
  return out;
}

function typo(rng: Rng, s: string): string {
  if (s.length < 3) return s;
  const i = 1 + rng.int(s.length - 2);
  switch (rng.int(3)) {
    case 0:
      return s.slice(0, i) + s.slice(i + 1); // dropped letter
    case 1:
      return s.slice(0, i) + s[i] + s.slice(i); // doubled letter
    default:
      return s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1); // swapped letters
  }
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}

// ---------------------------------------------------------------------------------------------
// Writing

async function writeCsv(
  path: string,
  header: string[],
  rows: number,
  row: (index: number) => string[],
): Promise<void> {
  const out = createWriteStream(path);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  let buffer = `${header.join(',')}\r\n`;
  for (let i = 0; i < rows; i++) {
    buffer += `${row(i).map(csvField).join(',')}\r\n`;
    if (buffer.length >= 1 << 20) {
      if (!out.write(buffer)) await Promise.race([once(out, 'drain'), failed]);
      buffer = '';
    }
  }
  out.end(buffer);
  await Promise.race([once(out, 'finish'), failed]);
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// ---------------------------------------------------------------------------------------------
// Randomness: mulberry32, seeded per person so that any row can be produced on its own.

class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.next32() / 4_294_967_296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** Mixes numbers into one 32-bit seed (murmur3's finalizer after each step). */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary

const FIRST_NAMES = words(
  'James|Mary|John|Patricia|Robert|Jennifer|Michael|Linda|William|Elizabeth|David|Barbara|' +
    'Richard|Susan|Joseph|Jessica|Thomas|Sarah|Charles|Karen|Christopher|Nancy|Daniel|Lisa|' +
    'Matthew|Betty|Anthony|Margaret|Mark|Sandra|Donald|Ashley|Steven|Kimberly|Paul|Emily|' +
    'Andrew|Donna|Joshua|Michelle|José|María|Zoë|Chloé|Renée|André|Jürgen|Søren|Łukasz|' +
    'François|Inês|Björn|Åsa|Noémie|Héctor|Raúl|Ana|Wei|Mei|Hiroshi|Yuki|Priya|Arjun|Fatima|' +
    "Omar|Olga|Ivan|Siobhán|Seán|Niamh|Mary Ann|Jean-Luc|D'Arcy",
);

const LAST_NAMES = words(
  'Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|' +
    'Lopez|Gonzalez|Wilson|Anderson|Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|' +
    'White|Harris|Sanchez|Clark|Ramirez|Lewis|Robinson|Walker|Young|Allen|King|Wright|Scott|' +
    'Torres|Nguyen|Hill|Flores|Müller|Schäfer|Núñez|Peña|Gómez|Ibáñez|Lefèvre|Dubois|' +
    'Østergaard|Wójcik|Kowalski|Nowak|Sørensen|Björk|Çelik|Yılmaz|Tanaka|Suzuki|Chen|Wang|' +
    "Patel|Singh|Khan|O'Brien|O'Connor|McDonald|Van der Berg|De la Cruz|Smith-Jones|Ivanova|" +
    'Papadopoulos|Rossi|Russo|Ferrari|Esposito',
);

const EMAIL_DOMAINS = words(
  'gmail.com|gmail.com|gmail.com|yahoo.com|outlook.com|hotmail.com|icloud.com|aol.com|' +
    'proton.me|gmx.de|mail.com|example.org',
);

const WORK_DOMAINS = words('contoso.com|fabrikam.com|northwind.example|adatum.com');

const STREETS = words(
  'Oak|Maple|Pine|Cedar|Elm|Washington|Lake|Hill|Main|Park|Sunset|Highland|River|Church|' +
    'Market|Spring|Valley|Ridge|Lincoln|Jefferson|Madison|Franklin|Chestnut|Walnut|Willow|' +
    'Forest|Meadow',
);

/** [full, abbreviated] */
const STREET_KINDS = [
  ['Street', 'St'],
  ['Avenue', 'Ave'],
  ['Road', 'Rd'],
  ['Boulevard', 'Blvd'],
  ['Lane', 'Ln'],
  ['Drive', 'Dr'],
  ['Court', 'Ct'],
] as const;

/** city=postal code */
const CITIES = words(
  'New York=10001|Los Angeles=90012|Chicago=60601|Houston=77002|Phoenix=85003|' +
    'Philadelphia=19103|San Antonio=78205|San Diego=92101|Dallas=75201|San José=95113|' +
    'Austin=78701|Jacksonville=32202|Fort Worth=76102|Columbus=43215|Charlotte=28202|' +
    'Seattle=98101|Denver=80202|Boston=02108|Nashville=37203|Portland=97204|Miami=33130|' +
    'Atlanta=30303|Coeur d’Alene=83814|Española=87532|Cañon City=81212',
).map((c) => c.split('=') as [string, string]);

const COMPANIES = words(
  'Contoso Ltd|Fabrikam, Inc.|Northwind Traders|Adventure Works|Tailspin Toys|' +
    'Smith, Jones & Partners|Wide World Importers|Litware, Inc.|Proseware|Alpine Ski House|' +
    'Coho Winery|Lucerne Publishing|Margie\'s Travel|The "Best" Bakery|Trey Research|' +
    'Woodgrove Bank|Blue Yonder Airlines|City Power & Light|Graphic Design Institute|' +
    'Humongous Insurance|Fourth Coffee',
);

/** Splits a `|`-separated word list (compact to write, kept on few lines by Prettier). */
function words(list: string): string[] {
  return list.split('|');
}
