import type { FieldValue } from './customer-field';

/**
 * Normalizers turn a field value into the text that match conditions compare. They are applied
 * in the order given; a value that normalizes to the empty string counts as absent (it never
 * matches anything).
 */
export const NORMALIZER_NAMES = [
  'trim',
  'lowercase',
  'collapseWhitespace',
  'removeDiacritics',
  'digitsOnly',
  'alphanumeric',
  'email',
  'emailMailbox',
] as const;
export type NormalizerName = (typeof NORMALIZER_NAMES)[number];

export type Normalizer = (value: string) => string;

/** Letters that Unicode decomposition leaves alone but people write without the mark. */
const FOLDED_LETTERS: Record<string, string> = {
  ß: 'ss',
  ẞ: 'SS',
  æ: 'ae',
  Æ: 'AE',
  œ: 'oe',
  Œ: 'OE',
  ø: 'o',
  Ø: 'O',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ð: 'd',
  Ð: 'D',
  þ: 'th',
  Þ: 'TH',
  ı: 'i',
};
const FOLDED_PATTERN = new RegExp(`[${Object.keys(FOLDED_LETTERS).join('')}]`, 'g');
const MARKS = /\p{M}+/gu;
const WHITESPACE_RUN = /\s+/gu;
const NON_DIGIT = /[^0-9]+/g;
const NON_ALPHANUMERIC = /[^\p{L}\p{N}]+/gu;
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
/** Anything outside printable ASCII (only such text can change under Unicode normalization). */
const NON_ASCII = /[^\u0020-\u007e\t\n\r]/;

/** Unicode normalization, skipped for ASCII text (most values), which it never changes. */
function normalizeForm(value: string, form: 'NFC' | 'NFKC'): string {
  return NON_ASCII.test(value) ? value.normalize(form) : value;
}

/** Canonical e-mail address: trimmed, Unicode NFC, lower case (whole address). */
function email(value: string): string {
  return normalizeForm(value.trim(), 'NFC').toLowerCase();
}

/**
 * The mailbox an address delivers to: the `email` form, without a `+tag` in the local part,
 * and for Gmail (gmail.com, googlemail.com) without dots in the local part.
 */
function emailMailbox(value: string): string {
  const address = email(value);
  const at = address.lastIndexOf('@');
  if (at <= 0) return address;
  let local = address.slice(0, at);
  let domain = address.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replace(/\./g, '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

export const NORMALIZERS: Record<NormalizerName, Normalizer> = {
  trim: (v) => v.trim(),
  lowercase: (v) => v.toLowerCase(),
  /** Runs of whitespace become one space (use `trim` as well for the ends). */
  collapseWhitespace: (v) => v.replace(WHITESPACE_RUN, ' '),
  /** `Chloé Ørsted` → `Chloe Orsted`: decomposes, drops combining marks, folds ß/æ/ø/ł/…. */
  removeDiacritics: (v) =>
    v
      .normalize('NFD')
      .replace(MARKS, '')
      .replace(FOLDED_PATTERN, (c) => FOLDED_LETTERS[c] ?? c)
      .normalize('NFC'),
  /** Phone numbers: ASCII digits only (full-width and other compatibility digits folded). */
  digitsOnly: (v) => normalizeForm(v, 'NFKC').replace(NON_DIGIT, ''),
  /** Letters and digits of any script only (`O'Brien-Smith` → `OBrienSmith`). */
  alphanumeric: (v) => v.replace(NON_ALPHANUMERIC, ''),
  email,
  emailMailbox,
};

/** One function applying the normalizers in order. */
export function composeNormalizers(names: readonly NormalizerName[]): Normalizer {
  const fns = names.map((n) => NORMALIZERS[n]);
  if (fns.length === 0) return (v) => v;
  if (fns.length === 1) return fns[0];
  return (v) => {
    let out = v;
    for (const fn of fns) out = fn(out);
    return out;
  };
}

/** The text a canonical field value is compared as (numbers, dates and booleans as JSON text). */
export function valueText(value: FieldValue | null | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : String(value);
}
