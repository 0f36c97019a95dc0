/**
 * Writes the demo's sample CSV (`demo/sample-shop-customers.csv`): a web shop's customer list
 * that overlaps the Sales contacts the emulator generates from its seed, with the noise of real
 * data. Run once and commit the file; the demo test checks that the committed file is still what
 * this script writes.
 *
 *     npx tsc -b demo && node dist/demo/generate-sample.js [--out <file>]
 *
 * - 1,000 of the 1,500 Sales contacts are shop customers too; 500 are not in the shop; 200 shop
 *   customers are not in Sales (no contact id: their exports are skipped and counted).
 * - Noise on the shared people: emails in other cases, with spaces, a different address (12%)
 *   or none (8%) — those are found by phone and a similar last name —, phones in five formats,
 *   names in capitals or with a typo, another city now and then.
 * - Shop figures: lifetime value, orders, last order date, newsletter (yes/no in any case).
 *
 * Everything derives from fixed seeds (the emulator's and this script's), so the file is the
 * same bytes on every run.
 */
import { startEmulator, type Contact } from '@audience-sync/dataverse-emulator';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  SALES_CONTACTS,
  SALES_SEED,
  SAMPLE_FILE,
  SAMPLE_HEADER,
  SHOP_ONLY_PEOPLE,
  SHOP_SALES_PEOPLE,
} from './demo-setup';

const NOISE_SEED = 20_251_129;

const OTHER_FIRST = [
  'Alma',
  'Bruno',
  'Clara',
  'Diego',
  'Elsa',
  'Farid',
  'Greta',
  'Hugo',
  'Inês',
  'Jonas',
];
const OTHER_LAST = [
  'Almeida',
  'Brandt',
  'Castro',
  'Dupont',
  'Eriksen',
  'Fontaine',
  'García',
  'Horváth',
  'Ivanova',
  'Jansen',
];
const CITIES = ['Lisbon', 'Madrid', 'Barcelona', 'Paris', 'Berlin', 'Dublin', 'Porto', 'Seville'];

/** mulberry32: a few lines, stable across library versions (a faker package does not promise that). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sample file's text for the emulator's contacts (in creation order). */
export function sampleCsv(contacts: readonly Contact[]): string {
  const random = prng(NOISE_SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const chance = (p: number) => random() < p;

  const order = contacts.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const people: string[][] = [];
  for (const index of order.slice(0, SHOP_SALES_PEOPLE)) people.push(shared(contacts[index]));
  for (let i = 0; i < SHOP_ONLY_PEOPLE; i += 1) people.push(shopOnly(i));
  for (let i = people.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [people[i], people[j]] = [people[j], people[i]];
  }
  const lines = [SAMPLE_HEADER.join(',')];
  people.forEach((row, i) => {
    lines.push([`C${String(10001 + i)}`, ...row].map(csvField).join(','));
  });
  return `${lines.join('\n')}\n`;

  function shared(c: Contact): string[] {
    const first = c.firstname ?? '';
    const last = c.lastname ?? '';
    const email = c.emailaddress1 ?? '';
    const roll = random();
    let shopEmail: string;
    let findByPhone = false;
    if (roll < 0.6) shopEmail = email;
    else if (roll < 0.72) shopEmail = mixCase(email);
    else if (roll < 0.8) shopEmail = `  ${email} `;
    else if (roll < 0.92) {
      shopEmail =
        `${first}.${last}${String(Math.floor(random() * 90) + 10)}@mail.example.net`.toLowerCase();
      findByPhone = true;
    } else {
      shopEmail = '';
      findByPhone = true;
    }
    const phone = findByPhone || !chance(0.1) ? phoneFormat(c.telephone1 ?? '') : '';
    let shopLast = last;
    if (last.length >= 5 && chance(0.1)) shopLast = typo(last);
    else if (chance(0.08)) shopLast = last.toUpperCase();
    let shopFirst = first;
    if (chance(0.1)) shopFirst = first.toUpperCase();
    else if (chance(0.05)) shopFirst = ` ${first}  `;
    const city = chance(0.85) ? (c.address1_city ?? '') : chance(0.5) ? pick(CITIES) : '';
    return [shopFirst, shopLast, shopEmail, phone, city, ...figures()];
  }

  function shopOnly(i: number): string[] {
    const first = pick(OTHER_FIRST);
    const last = pick(OTHER_LAST);
    const email = `${first}.${last}.${String(i + 1)}@example.org`
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase();
    const phone = `+1 777 ${pad(Math.floor(random() * 1000), 3)} ${pad(i + 1, 4)}`;
    return [first, last, email, phone, pick(CITIES), ...figures()];
  }

  function figures(): string[] {
    const orders = Math.floor(random() ** 2 * 26);
    const value = orders === 0 ? 0 : Math.round((20 + random() ** 3 * 6000) * 100) / 100;
    const day = Math.floor(random() * 697); // 2024-01-01 … 2025-11-27
    const lastOrder =
      orders === 0
        ? ''
        : new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const newsletter = pick(['yes', 'no', 'no', 'Yes', 'NO', 'y', 'n']);
    return [value.toFixed(2), String(orders), lastOrder, newsletter];
  }

  function mixCase(text: string): string {
    const [name, domain] = text.split('@');
    return `${name
      .split('.')
      .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
      .join('.')}@${domain.toUpperCase()}`;
  }

  /** One edit (a letter dropped or doubled), so the fuzzy last-name rule still finds it. */
  function typo(name: string): string {
    const at = 1 + Math.floor(random() * (name.length - 2));
    return chance(0.5)
      ? name.slice(0, at) + name.slice(at + 1)
      : name.slice(0, at) + name.charAt(at) + name.slice(at);
  }

  function phoneFormat(phone: string): string {
    const digits = phone.replace(/\D/g, ''); // 1 555 ddd dddd
    const [a, b, c] = [digits.slice(1, 4), digits.slice(4, 7), digits.slice(7)];
    return pick([
      phone,
      `+1 (${a}) ${b}-${c}`,
      `1-${a}-${b}-${c}`,
      `+1.${a}.${b}.${c}`,
      `+1${a}${b}${c}`,
    ]);
  }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value.trim() !== value
    ? `"${value.replace(/"/g, '""')}"`
    : value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const out = resolve(values.out ?? join(__dirname, '..', '..', 'demo', SAMPLE_FILE));
  const emu = await startEmulator({ contacts: SALES_CONTACTS, seed: SALES_SEED });
  try {
    writeFileSync(out, sampleCsv(emu.contacts.all(0, SALES_CONTACTS)));
    console.log(`wrote ${out}`);
  } finally {
    await emu.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
