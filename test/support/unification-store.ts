import type { Db } from '@platform/database/db.service';
import type { FieldValues } from '@stages/contract/customer-field';
import { Pacer } from '@stages/unification/pacer';
import {
  defaultUnificationConfig,
  type MatchRule,
  type UnificationConfig,
} from '@stages/unification/unification-config';
import { UnificationEngine, type EngineFigures } from '@stages/unification/unification-engine';

export interface StoreRecord {
  key: string;
  fields: FieldValues;
  lastModified?: string | null;
}

/**
 * Sources and records written straight into a migrated store (see spec-db.ts), for specs of the
 * unification engine without the HTTP API: each {@link put} publishes a new generation, as an
 * ingest does.
 */
export class UnificationStore {
  private generation = 0;

  constructor(readonly db: Db) {}

  /** Replaces the records of source `name` (created on first use; its ID is `src-<name>`). */
  async put(name: string, records: StoreRecord[]): Promise<void> {
    const id = `src-${name}`;
    const generation = ++this.generation;
    const db = this.db;
    const json = db.dialect.jsonParam();
    await db.atomic([
      {
        sql: `INSERT INTO source (id, name, type, primary_key, mapping, options)
          VALUES (?, ?, 'csv', 'id', '{}', '{}') ON CONFLICT (id) DO NOTHING`,
        params: [id, name],
      },
      { sql: 'DELETE FROM source_record WHERE source_id = ?', params: [id] },
      ...db.insertRows(
        'source_record',
        ['source_id', 'generation', 'record_key', 'fields', 'raw', 'last_modified'],
        records.map((r) => [
          id,
          generation,
          r.key,
          JSON.stringify(r.fields),
          '{}',
          r.lastModified ?? null,
        ]),
        { casts: { fields: json, raw: json } },
      ),
      {
        sql: `UPDATE source SET current_generation = ?, record_count = ?, last_ingest = ?
          WHERE id = ?`,
        params: [generation, records.length, JSON.stringify({ generation }), id],
      },
    ]);
  }

  /** Empties sources, customers and unification's state (a fresh installation). */
  async reset(): Promise<void> {
    const tables = [
      'source_record',
      'source',
      'customer_identity',
      'customer_alias',
      'customer',
      'unify_record',
      'record_match_key',
      'unify_gone',
      'unify_source',
      'unify_pending',
      'unify_unkeyed',
      'unify_credit',
    ];
    await this.db.atomic([
      ...tables.map((table) => ({ sql: `DELETE FROM ${table}` })),
      { sql: "DELETE FROM app_setting WHERE key LIKE 'unification.%'" },
    ]);
  }

  /** Removes source `name` and its records. */
  async remove(name: string): Promise<void> {
    const id = `src-${name}`;
    await this.db.atomic([
      { sql: 'DELETE FROM source_record WHERE source_id = ?', params: [id] },
      { sql: 'DELETE FROM source WHERE id = ?', params: [id] },
    ]);
  }

  /** Runs unification with these rules (and the other settings at their defaults). */
  unify(
    rules: MatchRule[],
    options: Partial<Omit<UnificationConfig, 'rules'>> = {},
  ): Promise<EngineFigures> {
    const config = { ...defaultUnificationConfig(), ...options, rules };
    return new UnificationEngine(this.db).run(
      config,
      new Pacer(new AbortController().signal),
      () => undefined,
    );
  }

  /** `source:key` → customer ID, for every identity. */
  async customerByRecord(): Promise<Record<string, string>> {
    const rows = await this.db.query<{ n: string; k: string; c: string }>(
      `SELECT s.name AS n, i.record_key AS k, i.customer_id AS c FROM customer_identity i
       JOIN source s ON s.id = i.source_id`,
    );
    const out: Record<string, string> = {};
    for (const r of rows) out[`${r.n}:${r.k}`] = r.c;
    return out;
  }

  /** The customers as sorted lists of `source:key`, sorted by their first record. */
  async partition(): Promise<string[][]> {
    const groups = new Map<string, string[]>();
    for (const [record, customer] of Object.entries(await this.customerByRecord())) {
      groups.set(customer, [...(groups.get(customer) ?? []), record]);
    }
    return [...groups.values()].map((g) => g.sort()).sort((a, b) => (a[0] < b[0] ? -1 : 1));
  }

  /** Every customer: ID, fields, record count, and the previous IDs pointing to it. */
  async customers(): Promise<{ id: string; fields: unknown; n: number; aliases: string[] }[]> {
    const rows = await this.db.query<{ id: string; f: string; n: number | string }>(
      'SELECT customer_id AS id, CAST(fields AS TEXT) AS f, record_count AS n FROM customer',
    );
    const aliases = await this.db.query<{ p: string; c: string }>(
      'SELECT previous_id AS p, customer_id AS c FROM customer_alias',
    );
    return rows
      .map((r) => ({
        id: r.id,
        fields: JSON.parse(r.f) as unknown,
        n: Number(r.n),
        aliases: aliases
          .filter((a) => a.c === r.id)
          .map((a) => a.p)
          .sort(),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}
