import { hash32 } from '../util/ids';
import type { ContactFields } from './contact-store';
import { CITIES, FIRST_NAMES, LAST_NAMES } from './seed-names';

/**
 * What a generated contact is made of: positions in the name tables and a few numbers, all
 * derived from (seed, run, offset) by hashing. `generatedFields` turns them into the contact's
 * columns; the page writer copies the same pieces as bytes from `NAME_BYTES`. Both
 * read this one description, so the two forms cannot drift apart.
 */
export interface GeneratedParts {
  first: number;
  last: number;
  /** The middle three digits of the phone number. */
  phone: number;
  city: number;
  /** createdon = modifiedon, in ms. */
  time: number;
  /** Row index + 1: makes emails unique and is the phone number's last four digits. */
  serial: number;
}

/** Generated contacts were created and modified during 2025, deterministically. */
const GENERATED_EPOCH = Date.UTC(2025, 0, 1);
const YEAR_SECONDS = 365 * 86_400;

export function newParts(): GeneratedParts {
  return { first: 0, last: 0, phone: 0, city: 0, time: 0, serial: 0 };
}

/** Fills `into` with the parts of the generated contact at (run, offset), row `index`. */
export function generatedParts(
  dataKey: number,
  run: number,
  offset: number,
  index: number,
  into: GeneratedParts,
): GeneratedParts {
  const h = hash32(dataKey, run, offset);
  into.first = h % FIRST_NAMES.length;
  into.last = hash32(h, 1) % LAST_NAMES.length;
  into.phone = hash32(h, 3) % 1000;
  into.city = hash32(h, 4) % CITIES.length;
  into.time = GENERATED_EPOCH + (hash32(h, 2) % YEAR_SECONDS) * 1000;
  into.serial = index + 1;
  return into;
}

const LOWER_FIRST = FIRST_NAMES.map((n) => n.toLowerCase());
const LOWER_LAST = LAST_NAMES.map((n) => n.toLowerCase());
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const FOUR_DIGITS = Array.from({ length: 10000 }, (_, i) => String(i).padStart(4, '0'));

/** The generated contact's columns (one object: `contacts.all()` builds many of them). */
export function generatedFields(p: GeneratedParts): ContactFields {
  const firstname = FIRST_NAMES[p.first];
  const lastname = LAST_NAMES[p.last];
  return {
    firstname,
    lastname,
    fullname: `${firstname} ${lastname}`,
    emailaddress1: `${LOWER_FIRST[p.first]}.${LOWER_LAST[p.last]}.${p.serial}@example.com`,
    telephone1: `+1 555 ${THREE_DIGITS[p.phone]} ${FOUR_DIGITS[p.serial % 10000]}`,
    address1_city: CITIES[p.city],
    statecode: 0,
    createdon: p.time,
    modifiedon: p.time,
  };
}

/** The name tables as bytes, for writing generated contacts straight into a response. */
export const NAME_BYTES = {
  first: asciiTable(FIRST_NAMES),
  last: asciiTable(LAST_NAMES),
  lowerFirst: asciiTable(LOWER_FIRST),
  lowerLast: asciiTable(LOWER_LAST),
  city: asciiTable(CITIES),
  emailDomain: Buffer.from('@example.com', 'latin1'),
  phonePrefix: Buffer.from('+1 555 ', 'latin1'),
} as const;

/** The page writer copies these bytes into JSON strings unescaped: they must be plain ASCII. */
function asciiTable(names: readonly string[]): Buffer[] {
  return names.map((name) => {
    if (!/^[\x20-\x7e]*$/.test(name) || /["\\]/.test(name)) {
      throw new Error(`Seed name '${name}' must be printable ASCII without quotes or backslashes`);
    }
    return Buffer.from(name, 'latin1');
  });
}
