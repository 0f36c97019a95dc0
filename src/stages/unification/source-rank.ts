/** A source whose current records take part in unification, in name order (its rank). */
export interface SourceInfo {
  id: string;
  name: string;
  generation: number;
}

/** Sorts sources by name in code point order: that order ranks them everywhere in unification. */
export function rankSources<T extends { name: string }>(sources: T[]): T[] {
  return [...sources].sort((a, b) => compareText(a.name, b.name));
}

/**
 * Unicode code point order (the same as UTF-8 byte order, as SQLite's BINARY and PostgreSQL's
 * "C" collation compare), on every store and platform: no locale collation. JS `<` compares
 * UTF-16 code units, which puts characters beyond U+FFFF before U+E000–U+FFFF; the units are
 * shifted to fix that.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit;
}
