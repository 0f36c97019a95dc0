import { convertValue, describe, isBlank, parseIsoDate } from '../field-conversion';
import type { SourceRecordInput } from '../record-writer';
import type { MappingPlan } from '../record-mapper';

/** A Dataverse row as the Web API answers it (JSON values, `@odata.*` annotations). */
export type DataverseRow = Record<string, unknown>;

export type DataverseRowResult =
  { ok: true; record: SourceRecordInput } | { ok: false; key: string | null; message: string };

/**
 * The columns to `$select`: the primary key, each mapped column, the last-modified column and
 * the extra columns of the options (kept raw), each once, in that order.
 */
export function selectColumns(plan: MappingPlan, extra: readonly string[]): string[] {
  const columns = [
    plan.primaryKey,
    ...Object.values(plan.mapping).map((m) => m.column),
    ...(plan.lastModifiedColumn === null ? [] : [plan.lastModifiedColumn]),
    ...extra,
  ];
  return [...new Set(columns)];
}

/**
 * Turns Dataverse rows into source records, with the conversion rules of every source
 * (`field-conversion.ts`): values arrive typed (JSON numbers, booleans, ISO date strings), a
 * null or blank value is absent, a value that does not fit its field's type rejects the row
 * with every bad value named. Columns read but not mapped are kept raw, as text.
 */
export class DataverseRowMapper {
  private readonly fields: {
    name: string;
    column: string;
    type: MappingPlan['mapping'][string]['type'];
  }[];
  private readonly rawColumns: string[];

  constructor(
    private readonly plan: MappingPlan,
    columns: readonly string[],
  ) {
    this.fields = Object.entries(plan.mapping).map(([name, m]) => ({
      name,
      column: m.column,
      type: m.type,
    }));
    const mapped = new Set([plan.primaryKey, ...this.fields.map((f) => f.column)]);
    this.rawColumns = columns.filter((c) => !mapped.has(c));
  }

  /** The row's key, or null when it has none. */
  keyOf(row: DataverseRow): string | null {
    const value = row[this.plan.primaryKey];
    if (typeof value === 'string') return isBlank(value) ? null : value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return null;
  }

  map(row: DataverseRow): DataverseRowResult {
    const key = this.keyOf(row);
    if (key === null) {
      return {
        ok: false,
        key: null,
        message: `the row has no value in its primary key column ${describe(this.plan.primaryKey)}`,
      };
    }
    const fields: Record<string, string | number | boolean> = {};
    let problems: string[] | undefined;
    for (const field of this.fields) {
      const converted = convertValue(field.type, row[field.column]);
      if (converted === undefined) continue;
      if (converted.ok) fields[field.name] = converted.value;
      else {
        (problems ??= []).push(
          `column ${describe(field.column)} (field ${field.name}): ${converted.message}`,
        );
      }
    }
    let lastModified: string | null = null;
    const column = this.plan.lastModifiedColumn;
    if (column !== null) {
      const value = row[column];
      if (typeof value === 'string' && !isBlank(value)) {
        lastModified = parseIsoDate(value.trim()) ?? null;
        if (lastModified === null) {
          (problems ??= []).push(
            `last-modified column ${describe(column)}: ${describe(value)} is not an ISO-8601 date-time`,
          );
        }
      } else if (value !== null && value !== undefined) {
        (problems ??= []).push(
          `last-modified column ${describe(column)}: ${describe(JSON.stringify(value))} is not a date-time`,
        );
      }
    }
    if (problems) return { ok: false, key, message: `${key}: ${problems.join('; ')}` };
    const raw: Record<string, string> = {};
    for (const c of this.rawColumns) {
      const value = row[c];
      if (value === null || value === undefined) continue;
      const textValue = typeof value === 'string' ? value : JSON.stringify(value);
      if (!isBlank(textValue)) raw[c] = textValue;
    }
    return { ok: true, record: { key, fields, raw, lastModified } };
  }
}
