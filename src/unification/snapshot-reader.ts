import type { Db } from '../database/db.service';
import { OldCustomers, rankSources, type SourceInfo } from './record-table';

/** Rows per keyset page when reading records and customers. */
const PAGE_ROWS = 20_000;

export interface RecordRow {
  key: string;
  /** Canonical fields as JSON text. */
  fields: string;
  lastModified: string | null;
  /** The customer the record belonged to before this run, if any. */
  customerId: string | null;
}

/**
 * Reads what a unification run starts from, in keyset-paged chunks (no long transaction, the
 * store stays writable): the sources with current records, their records with the customer each
 * belonged to, and the existing customers.
 */
export class SnapshotReader {
  constructor(private readonly db: Db) {}

  /** Sources with a published generation, in rank (name) order. */
  async sources(): Promise<SourceInfo[]> {
    const rows = await this.db.query<{ id: string; name: string; generation: number | string }>(
      'SELECT id, name, current_generation AS generation FROM source WHERE current_generation > 0',
    );
    return rankSources(
      rows.map((r) => ({ id: r.id, name: r.name, generation: Number(r.generation) })),
    );
  }

  /** The current records of a source, page by page in key order. */
  async *records(source: SourceInfo): AsyncGenerator<RecordRow[]> {
    const sql = `SELECT r.record_key AS k, CAST(r.fields AS TEXT) AS f, r.last_modified AS m,
        i.customer_id AS c
      FROM source_record r
      LEFT JOIN customer_identity i ON i.source_id = r.source_id AND i.record_key = r.record_key
      WHERE r.source_id = ? AND r.generation = ? AND r.record_key > ?
      ORDER BY r.record_key LIMIT ?`;
    let after = '';
    for (;;) {
      const rows = await this.db.query<{
        k: string;
        f: string;
        m: string | null;
        c: string | null;
      }>(sql, [source.id, source.generation, after, PAGE_ROWS]);
      if (rows.length === 0) return;
      yield rows.map((r) => ({ key: r.k, fields: r.f, lastModified: r.m, customerId: r.c }));
      if (rows.length < PAGE_ROWS) return;
      after = rows[rows.length - 1].k;
    }
  }

  /** Every existing customer (ID, creation time, record count, fields hash). */
  async oldCustomers(checkpoint: () => Promise<void>): Promise<OldCustomers> {
    const old = new OldCustomers();
    const sql = `SELECT customer_id AS id, CAST(created_at AS TEXT) AS t, record_count AS n,
        fields_hash AS h
      FROM customer WHERE customer_id > ? ORDER BY customer_id LIMIT ?`;
    let after = '';
    for (;;) {
      const rows = await this.db.query<{
        id: string;
        t: string;
        n: number | string;
        h: string | null;
      }>(sql, [after, PAGE_ROWS]);
      for (const r of rows) old.add(r.id, parseStoredTime(r.t), Number(r.n), r.h);
      if (rows.length < PAGE_ROWS) return old;
      after = rows[rows.length - 1].id;
      await checkpoint();
    }
  }

  /** Every previous ID (new IDs must not collide with them). */
  async aliasIds(): Promise<Set<string>> {
    const rows = await this.db.query<{ id: string }>(
      'SELECT previous_id AS id FROM customer_alias',
    );
    return new Set(rows.map((r) => r.id));
  }
}

/** A timestamp column read as text (`2026-01-31 10:00:00[.123]`, UTC) → epoch ms (0 if odd). */
export function parseStoredTime(text: string | null): number {
  if (!text) return 0;
  const iso = text.includes('T') ? text : text.replace(' ', 'T');
  const ms = Date.parse(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(iso) ? iso : `${iso}Z`);
  return Number.isNaN(ms) ? 0 : ms;
}

/** A time as the timestamp columns store it: `YYYY-MM-DD HH:MM:SS.sss` in UTC. */
export function storedTime(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

/** `last_modified` text → epoch ms; NaN when absent or unreadable (ranks as undated). */
export function parseLastModified(text: string | null): number {
  if (!text) return Number.NaN;
  return Date.parse(text);
}
