import { Injectable } from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import type { CustomerField, FieldValues } from '@stages/contract/customer-field';
import { CustomerFieldsService } from './customer-fields.service';
import { NORMALIZERS } from '@stages/contract/normalizers';
import { parseStoredTime } from '@platform/database/stored-time';

/** Customer fields searched by `q` when the catalogue has them (string fields only). */
const SEARCH_FIELDS = ['email', 'firstName', 'lastName', 'fullName', 'name', 'company'];
const MAX_IDENTITIES = 1000;

export interface CustomerSummary {
  customerId: string;
  fields: FieldValues;
  recordCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerPage {
  items: CustomerSummary[];
  /** Pass as `after` for the next page; null on the last page. */
  next: string | null;
}

export interface CustomerIdentity {
  sourceId: string;
  /** Name of the source (null if the source was deleted since the last unification). */
  source: string | null;
  key: string;
}

export interface CustomerDetail extends CustomerSummary {
  identities: CustomerIdentity[];
  /** True when the customer has more than 1,000 identities and only the first are listed. */
  identitiesTruncated: boolean;
  /** IDs this customer had absorbed by merges (they still find it). */
  previousIds: string[];
  /** Set when the request named a previous ID: the ID asked for… */
  requestedId?: string;
  /** …and the customer it was merged into (= customerId), with when. */
  mergedInto?: string;
  mergedAt?: string;
}

export interface ListQuery {
  limit: number;
  after?: string;
  email?: string;
  q?: string;
}

interface CustomerRow {
  id: string;
  f: string;
  n: number | string;
  ca: string;
  ua: string;
}

const COLUMNS = `customer_id AS id, CAST(fields AS TEXT) AS f, record_count AS n,
  CAST(created_at AS TEXT) AS ca, CAST(updated_at AS TEXT) AS ua`;

/** Reads unified customers for the API (cursor pages, one customer with identities). */
@Injectable()
export class CustomersService {
  constructor(
    private readonly db: Db,
    private readonly catalogue: CustomerFieldsService,
  ) {}

  fields(): Promise<CustomerField[]> {
    return this.catalogue.list();
  }

  /**
   * A page of customers in ID order after the cursor. `email` matches the customer's `email`
   * field by its canonical form (the `email` normalizer: trimmed, lower case); `q` is a
   * case-insensitive substring of the name and e-mail fields, or an exact customer ID.
   */
  async list(query: ListQuery): Promise<CustomerPage> {
    const where: string[] = ['customer_id > ?'];
    const params: unknown[] = [query.after ?? ''];
    const fields = await this.catalogue.list();
    const stringField = (name: string) =>
      fields.some((f) => f.name === name && f.type === 'string');
    const dialect = this.db.dialect;
    if (query.email !== undefined) {
      if (!stringField('email')) {
        throw AppError.validation('email', 'no source maps a text field named "email"');
      }
      where.push(`lower(trim(${dialect.jsonText('fields', 'email')})) = ?`);
      params.push(NORMALIZERS.email(query.email));
    }
    if (query.q !== undefined && query.q.trim() !== '') {
      const text = query.q.trim();
      const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const searched = SEARCH_FIELDS.filter(stringField).map(
        (name) => `lower(${dialect.jsonText('fields', name)}) LIKE ? ESCAPE '\\'`,
      );
      where.push(`(${[...searched, 'customer_id = ?'].join(' OR ')})`);
      params.push(...searched.map(() => pattern), text);
    }
    const rows = await this.db.query<CustomerRow>(
      `SELECT ${COLUMNS} FROM customer WHERE ${where.join(' AND ')} ORDER BY customer_id LIMIT ?`,
      [...params, query.limit + 1],
    );
    const items = rows.slice(0, query.limit).map(summary);
    return {
      items,
      next: rows.length > query.limit ? items[items.length - 1].customerId : null,
    };
  }

  /** One customer with identities and previous IDs; a previous ID finds its customer. */
  async get(id: string): Promise<CustomerDetail> {
    let row = await this.row(id);
    let alias: { customerId: string; mergedAt: string } | undefined;
    if (!row) {
      const found = await this.db.query<{ c: string; m: string }>(
        'SELECT customer_id AS c, CAST(merged_at AS TEXT) AS m FROM customer_alias WHERE previous_id = ?',
        [id],
      );
      if (found.length > 0) {
        alias = { customerId: found[0].c, mergedAt: iso(found[0].m) };
        row = await this.row(alias.customerId);
      }
    }
    if (!row) throw AppError.notFound('customer', id);
    const customer = summary(row);
    const identities = await this.db.query<{ sid: string; name: string | null; k: string }>(
      `SELECT i.source_id AS sid, s.name AS name, i.record_key AS k
       FROM customer_identity i LEFT JOIN source s ON s.id = i.source_id
       WHERE i.customer_id = ? ORDER BY s.name, i.record_key LIMIT ?`,
      [customer.customerId, MAX_IDENTITIES + 1],
    );
    const previous = await this.db.query<{ p: string }>(
      'SELECT previous_id AS p FROM customer_alias WHERE customer_id = ? ORDER BY previous_id',
      [customer.customerId],
    );
    const detail: CustomerDetail = {
      ...customer,
      identities: identities
        .slice(0, MAX_IDENTITIES)
        .map((i) => ({ sourceId: i.sid, source: i.name, key: i.k })),
      identitiesTruncated: identities.length > MAX_IDENTITIES,
      previousIds: previous.map((p) => p.p),
    };
    if (alias) {
      detail.requestedId = id;
      detail.mergedInto = customer.customerId;
      detail.mergedAt = alias.mergedAt;
    }
    return detail;
  }

  private async row(id: string): Promise<CustomerRow | undefined> {
    const rows = await this.db.query<CustomerRow>(
      `SELECT ${COLUMNS} FROM customer WHERE customer_id = ?`,
      [id],
    );
    return rows[0];
  }
}

function summary(row: CustomerRow): CustomerSummary {
  return {
    customerId: row.id,
    fields: JSON.parse(row.f) as FieldValues,
    recordCount: Number(row.n),
    createdAt: iso(row.ca),
    updatedAt: iso(row.ua),
  };
}

function iso(text: string): string {
  return new Date(parseStoredTime(text)).toISOString();
}
