import { randomUUID } from 'node:crypto';
import { Db } from '../src/database/db.service';
import type { FieldType } from '../src/sources/customer-field';
import type { TestApp } from './support/test-app';

/** A source as the unification tests define it (the body of `POST /api/sources`). */
export interface TestSourceDefinition {
  name: string;
  primaryKey: string;
  mapping: Record<string, string | { column: string; type: FieldType }>;
  lastModifiedColumn?: string;
}

/** One CSV row: column → text (blank or missing = no value). */
export type Row = Partial<Record<string, string>>;

export interface TestSource {
  id: string;
  definition: TestSourceDefinition;
}

/**
 * Sources and their records for the unification end-to-end tests. Until CSV upload lands this
 * writes `source` / `source_record` rows the way ingestion does (a new generation, then made
 * current); the tests speak in CSV rows so they do not change when it goes through the API.
 */
export class TestSources {
  constructor(private readonly t: TestApp) {}

  private get db(): Db {
    return this.t.app.get(Db);
  }

  async create(definition: TestSourceDefinition): Promise<TestSource> {
    const id = randomUUID();
    const mapping = Object.fromEntries(
      Object.entries(definition.mapping).map(([field, m]) => [
        field,
        typeof m === 'string' ? { column: m, type: 'string' } : m,
      ]),
    );
    await this.db.query(
      `INSERT INTO source (id, name, type, primary_key, mapping, last_modified_column, options,
        current_generation, record_count) VALUES (?, ?, 'csv', ?, ?, ?, '{}', 0, 0)`,
      [
        id,
        definition.name,
        definition.primaryKey,
        JSON.stringify(mapping),
        definition.lastModifiedColumn ?? null,
      ],
    );
    return { id, definition };
  }

  /** Replaces the source's records with these rows (like a successful upload). */
  async upload(source: TestSource, rows: Row[]): Promise<void> {
    const db = this.db;
    const [current] = await db.query<{ g: number | string }>(
      'SELECT current_generation AS g FROM source WHERE id = ?',
      [source.id],
    );
    const generation = Number(current.g) + 1;
    const def = source.definition;
    const records = rows.map((row) => {
      const fields: Record<string, string | number | boolean> = {};
      for (const [field, m] of Object.entries(def.mapping)) {
        const column = typeof m === 'string' ? m : m.column;
        const type = typeof m === 'string' ? 'string' : m.type;
        const text = row[column];
        if (text === undefined || text.trim() === '') continue;
        fields[field] = canonical(text, type);
      }
      const modified = def.lastModifiedColumn ? row[def.lastModifiedColumn] : undefined;
      return [
        source.id,
        generation,
        row[def.primaryKey],
        JSON.stringify(fields),
        '{}',
        modified ? new Date(modified).toISOString() : null,
      ];
    });
    const statements = db.insertRows(
      'source_record',
      ['source_id', 'generation', 'record_key', 'fields', 'raw', 'last_modified'],
      records,
      { casts: { fields: db.dialect.jsonParam(), raw: db.dialect.jsonParam() } },
    );
    await db.atomic(statements);
    await db.atomic([
      {
        sql: 'UPDATE source SET current_generation = ?, record_count = ? WHERE id = ?',
        params: [generation, rows.length, source.id],
      },
      {
        sql: 'DELETE FROM source_record WHERE source_id = ? AND generation < ?',
        params: [source.id, generation],
      },
    ]);
  }
}

function canonical(text: string, type: FieldType): string | number | boolean {
  switch (type) {
    case 'string':
      return text;
    case 'number':
      return Number(text);
    case 'date':
      return new Date(/^\d{4}-\d\d-\d\d$/.test(text) ? `${text}T00:00:00Z` : text).toISOString();
    case 'boolean':
      return /^(true|yes|1)$/i.test(text.trim());
  }
}
