const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** The canonical (lower-case, no braces) form of a contact id, or null when it is not a GUID. */
export function canonicalContactId(key: string): string | null {
  const match = GUID.exec(key.trim());
  return match ? match[1].toLowerCase() : null;
}

/** Member keys grouped by canonical contact id (two spellings of one id are sent once). */
export interface KeyGroups {
  /** canonical id → the keys (as the core gave them) that name it. */
  byId: Map<string, string[]>;
  /** Keys that are not GUIDs. */
  invalid: string[];
}

export function groupKeys(keys: readonly string[]): KeyGroups {
  const byId = new Map<string, string[]>();
  const invalid: string[] = [];
  for (const key of keys) {
    const id = canonicalContactId(key);
    if (id === null) {
      invalid.push(key);
      continue;
    }
    const group = byId.get(id);
    if (group) group.push(key);
    else byId.set(id, [key]);
  }
  return { byId, invalid };
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
