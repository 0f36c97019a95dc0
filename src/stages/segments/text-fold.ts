/**
 * Case folding for case-insensitive string conditions, the same on both stores:
 * NFC normalization, then upper- and lower-casing with the full Unicode mappings, so that
 * `Straße` matches `STRASSE`, `Ä` matches `ä`, and a decomposed `é` matches a composed one.
 * SQLite calls this function (registered on the connection as {@link FOLD_FUNCTION}, because its
 * own `lower()` folds ASCII only); PostgreSQL computes the same with ICU (see segment-sql.ts).
 */
export function foldText(text: string): string {
  return text.normalize('NFC').toUpperCase().toLowerCase();
}

/** Name of the SQLite function applying {@link foldText} (NULL and non-text values pass through). */
export const FOLD_FUNCTION = 'as_fold';

export function foldSqlValue(value: unknown): unknown {
  return typeof value === 'string' ? foldText(value) : value;
}
