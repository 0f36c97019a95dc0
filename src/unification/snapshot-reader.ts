import type { Db } from '../database/db.service';
import { OldCustomers, rankSources, type SourceInfo } from './record-table';

/**
 * Rows per page. Small pages are faster here: a page's rows die young, inside V8's nursery,
 * where 20,000-row pages (several MB of strings each) made reading three times slower.
 */
export const PAGE_ROWS = 1_000;

/**
 * SQLite: a page of source records in rowid order, after rowid `?` up to rowid `?` (LIMIT `?`).
 * Shared with the second reader (`record-read.worker.ts`), which reads the upper rowids.
 */
export const SQLITE_RECORD_PAGE = `SELECT rowid AS id, source_id AS s, generation AS g,
    record_key AS k, fields AS f, last_modified AS m
  FROM source_record WHERE rowid > ? AND rowid <= ? ORDER BY rowid LIMIT ?`;

export interface RecordRow {
  /** Rank of the record's source (index in the sources list). */
  source: number;
  key: string;
  /** Canonical fields as JSON text. */
  fields: string;
  lastModified: string | null;
}

export interface IdentityRow {
  key: string;
  customerId: string;
}

/**
 * Reads what a unification run starts from, in keyset-paged chunks (no long transaction, the
 * store stays writable): the sources with current records, their records, the identities
 * (which customer each record belonged to) and the existing customers.
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

  /**
   * The current records of the sources, page by page, in the store's cheapest order: on SQLite
   * the table's own (rowid) order, one sequential pass, instead of the key index's order, which
   * visits table pages at random (several times slower on a million records); on PostgreSQL
   * each source by key. On SQLite `upTo` is the last rowid to read (a second reader takes
   * the rest; see `parallel-read.ts`).
   */
  async *records(
    sources: SourceInfo[],
    upTo = Number.MAX_SAFE_INTEGER,
  ): AsyncGenerator<RecordRow[]> {
    if (this.db.kind === 'sqlite') {
      const current = new Map(sources.map((s, i) => [s.id, { rank: i, generation: s.generation }]));
      let after = 0;
      for (;;) {
        const rows = await this.db.query<{
          id: number;
          s: string;
          g: number;
          k: string;
          f: string;
          m: string | null;
        }>(SQLITE_RECORD_PAGE, [after, upTo, PAGE_ROWS]);
        const page: RecordRow[] = [];
        for (const r of rows) {
          const source = current.get(r.s);
          if (source?.generation === r.g) {
            page.push({ source: source.rank, key: r.k, fields: r.f, lastModified: r.m });
          }
        }
        yield page;
        if (rows.length < PAGE_ROWS) return;
        after = rows[rows.length - 1].id;
      }
    }
    const sql = `SELECT record_key AS k, CAST(fields AS TEXT) AS f, last_modified AS m
      FROM source_record WHERE source_id = ? AND generation = ? AND record_key > ?
      ORDER BY record_key LIMIT ?`;
    for (let rank = 0; rank < sources.length; rank++) {
      const source = sources[rank];
      let after = '';
      for (;;) {
        const rows = await this.db.query<{ k: string; f: string; m: string | null }>(sql, [
          source.id,
          source.generation,
          after,
          PAGE_ROWS,
        ]);
        yield rows.map((r) => ({ source: rank, key: r.k, fields: r.f, lastModified: r.m }));
        if (rows.length < PAGE_ROWS) break;
        after = rows[rows.length - 1].k;
      }
    }
  }

  /** The identities of a source (record key → customer), page by page in the store's key order. */
  async *identities(source: SourceInfo): AsyncGenerator<IdentityRow[]> {
    const sql = `SELECT record_key AS k, customer_id AS c FROM customer_identity
      WHERE source_id = ? AND record_key > ? ORDER BY record_key LIMIT ?`;
    let after = '';
    for (;;) {
      const rows = await this.db.query<{ k: string; c: string }>(sql, [
        source.id,
        after,
        PAGE_ROWS,
      ]);
      yield rows.map((r) => ({ key: r.k, customerId: r.c }));
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
