import type { ErrorDetail } from '@platform/errors/app-error';
import type { FieldType } from '@stages/contract/customer-field';
import { convertText, describe, isBlank, parseIsoDate } from './field-conversion';
import type { FieldMapping } from './source.entity';

/** What a reader needs to know to turn a source's rows into records. */
export interface MappingPlan {
  primaryKey: string;
  mapping: Record<string, FieldMapping>;
  lastModifiedColumn: string | null;
}

/**
 * A record ready to store: `fields` and `raw` are JSON text (canonical field values; the
 * unmapped columns' text), `lastModified` the canonical date of the last-modified column.
 */
export interface MappedRecord {
  key: string;
  fields: string;
  raw: string;
  lastModified: string | null;
}

export type RowResult = { ok: true; record: MappedRecord } | { ok: false; message: string };

/** The header of a file does not fit the source's definition; nothing was stored. */
export class HeaderError extends Error {
  constructor(readonly details: ErrorDetail[]) {
    super(details.map((d) => d.message).join('; '));
    this.name = 'HeaderError';
  }
}

interface FieldSlot {
  index: number;
  type: FieldType;
  /** `"name":` */
  prefix: string;
  column: string;
  name: string;
}

/**
 * Turns rows of column values (in header order) into records. Built once per file from its
 * header; the JSON is written directly (field names are identifiers, column names are
 * escaped once here) because this runs for every row.
 *
 * - Fields: blank values are absent; others are converted to their type, and a value that
 *   does not fit rejects the row (every bad value of the row is named).
 * - `raw`: every column that is neither mapped nor the primary key, blank values left out;
 *   columns with an empty header name are kept as `column_<position>`.
 */
export class RowMapper {
  private readonly keyIndex: number;
  private readonly modifiedIndex: number;
  private readonly fieldSlots: FieldSlot[];
  private readonly rawSlots: { index: number; prefix: string }[];

  constructor(
    private readonly plan: MappingPlan,
    readonly header: string[],
  ) {
    const columns = header.map((name, i) => (name.trim() === '' ? `column_${i + 1}` : name.trim()));
    const position = new Map<string, number>();
    const problems: ErrorDetail[] = [];
    columns.forEach((name, i) => {
      const earlier = position.get(name);
      if (earlier === undefined) position.set(name, i);
      else {
        problems.push({
          path: 'line 1',
          message: `column ${describe(name)} appears twice in the header (columns ${earlier + 1} and ${i + 1}); column names must be unique`,
        });
      }
    });
    const find = (column: string, what: (quoted: string) => string): number => {
      const index = position.get(column.trim());
      if (index === undefined) {
        problems.push({
          path: 'line 1',
          message: `${what(describe(column))} is not in the header${suggest(column, columns)}`,
        });
        return -1;
      }
      return index;
    };
    this.keyIndex = find(plan.primaryKey, (c) => `the primary key column ${c}`);
    this.modifiedIndex =
      plan.lastModifiedColumn === null
        ? -1
        : find(plan.lastModifiedColumn, (c) => `the last-modified column ${c}`);
    this.fieldSlots = Object.entries(plan.mapping).map(([name, m]) => ({
      index: find(m.column, (c) => `the column ${c} of field ${name}`),
      type: m.type,
      prefix: `"${name}":`,
      column: m.column,
      name,
    }));
    if (problems.length > 0) throw new HeaderError(problems);
    const used = new Set([this.keyIndex, ...this.fieldSlots.map((s) => s.index)]);
    this.rawSlots = columns
      .map((name, index) => ({ index, prefix: `${JSON.stringify(name)}:` }))
      .filter((s) => !used.has(s.index));
  }

  /** Number of columns every row must have. */
  get width(): number {
    return this.header.length;
  }

  /** Maps one row (its column values in header order). */
  map(values: string[]): RowResult {
    if (values.length !== this.header.length) {
      return {
        ok: false,
        message: `expected ${this.header.length} columns (as in the header), found ${values.length}`,
      };
    }
    const key = values[this.keyIndex];
    if (isBlank(key)) {
      return { ok: false, message: `empty primary key (column ${describe(this.plan.primaryKey)})` };
    }
    const fields: string[] = [];
    let problems: string[] | undefined;
    for (const slot of this.fieldSlots) {
      const text = values[slot.index];
      if (isBlank(text)) continue;
      if (slot.type === 'string') {
        fields.push(slot.prefix + jsonString(text)); // kept as it is (no conversion object)
        continue;
      }
      const converted = convertText(slot.type, text);
      if (!converted.ok) {
        (problems ??= []).push(
          `column ${describe(slot.column)} (field ${slot.name}): ${converted.message}`,
        );
        continue;
      }
      const v = converted.value;
      fields.push(slot.prefix + (typeof v === 'string' ? jsonString(v) : String(v)));
    }
    let lastModified: string | null = null;
    if (this.modifiedIndex >= 0) {
      const text = values[this.modifiedIndex];
      if (!isBlank(text)) {
        const iso = parseIsoDate(text.trim());
        if (iso === undefined) {
          (problems ??= []).push(
            `last-modified column ${describe(this.plan.lastModifiedColumn ?? '')}: ${describe(text)} is not an ISO-8601 date or date-time`,
          );
        } else lastModified = iso;
      }
    }
    if (problems) return { ok: false, message: problems.join('; ') };
    const raw: string[] = [];
    for (const slot of this.rawSlots) {
      const text = values[slot.index];
      if (isBlank(text)) continue;
      raw.push(slot.prefix + jsonString(text));
    }
    return {
      ok: true,
      record: { key, fields: jsonObject(fields), raw: jsonObject(raw), lastModified },
    };
  }
}

/**
 * JSON object text from its `"name":value` members. `join` makes a flat string: built by `+`,
 * the text is a deep tree of pieces in V8, slower to encode into the batch (measured).
 */
function jsonObject(members: string[]): string {
  if (members.length === 0) return '{}';
  members[0] = `{${members[0]}`;
  members[members.length - 1] += '}';
  return members.join(',');
}

// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const JSON_ESCAPES = /["\\\u0000-\u001f]/;

/**
 * A string as JSON text. Most values need no escaping, and quoting them directly is about
 * twice as fast as JSON.stringify here (decoded text never holds lone surrogates, the one
 * other thing JSON.stringify escapes).
 */
function jsonString(text: string): string {
  return JSON_ESCAPES.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function suggest(column: string, columns: string[]): string {
  const wanted = column.trim().toLowerCase();
  const close = columns.find((c) => c.toLowerCase() === wanted);
  if (close !== undefined) return ` (did you mean ${describe(close)}? names are case-sensitive)`;
  const shown = columns.slice(0, 20).map((c) => describe(c));
  return ` (columns: ${shown.join(', ')}${columns.length > 20 ? `, … ${columns.length - 20} more` : ''})`;
}
