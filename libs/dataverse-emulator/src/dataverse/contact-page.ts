import { filterColumns, matches } from '../odata/filter';
import { encodeSkipToken, nextLink } from '../odata/paging';
import { contextFragment } from '../odata/select';
import { CONTACT_SCHEMA } from '../odata/schema';
import type { ContactStore } from '../store/contact-store';
import { ByteWriter } from '../util/byte-writer';
import type { CollectionQuery, Position } from './collection-query';
import { contactWriter } from './contact-json';
import type { DvRequest } from './request';
import { CONTACT_COLUMNS, contactRow } from './rows';

/**
 * Contacts to page through, in their stable order, pulled one at a time (a generator's
 * resumption per row showed in a 5,000-row page).
 */
export interface ContactRows {
  /** The next row index, or -1 when there is none. */
  next(): number;
  /** The resume cursor of the row `next()` gave last. */
  cursor(): number;
  /** The cursor's name in the skip token (`i`: row index, `m`: list member sequence). */
  cursorName: string;
}

export interface ContactPage {
  /** The response body, serialized. */
  json: Buffer;
  headers: Record<string, string>;
  rows: number;
  /** Position after the last row when more rows follow. */
  next?: Position;
}

/**
 * A page of contacts for a collection GET (`contacts`, `lists(…)/listcontact_association`):
 * filters, takes `query.limit` rows, looks one row further to know whether a nextLink is due,
 * and writes the body as bytes — the same JSON `readPage` builds as objects for the other
 * tables (`@odata.context`, `@odata.count`, `value`, `@odata.nextLink`, then `@odata.deltaLink`
 * when `deltaLink` gives one for a last page), without an object per row.
 */
export function writeContactPage(
  req: DvRequest,
  store: ContactStore,
  query: CollectionQuery,
  rows: ContactRows,
  options: {
    base: string;
    extraState?: Position;
    tracking?: boolean;
    total?: () => number;
    /** The delta link of a last page (change tracking). */
    deltaLink?: () => string;
    /** At most this many rows exist (sizes the buffer: a small table needs no 1.5 MB one). */
    available: number;
  },
): ContactPage {
  const columns = query.select ?? CONTACT_COLUMNS;
  const writer = contactWriter(columns);
  const filter = query.filter;
  const filterOn = filter ? [...filterColumns(filter)] : [];
  const rowsAtMost = Math.min(query.limit, options.available);
  const out = new ByteWriter(rowsAtMost * (32 + 40 * columns.length) + 1024);
  out.utf8(
    `{"@odata.context":${JSON.stringify(`${options.base}/$metadata#${contextFragment(CONTACT_SCHEMA, query.select)}`)}`,
  );
  if (query.count && options.total) out.ascii(`,"@odata.count":${Math.min(options.total(), 5000)}`);
  out.ascii(',"value":[');
  let count = 0;
  let last: number | undefined;
  let more = false;
  for (let index = rows.next(); index >= 0; index = rows.next()) {
    if (filter && !matches(filter, contactRow(store, index, filterOn), CONTACT_SCHEMA)) continue;
    if (count >= query.limit) {
      more = true;
      break;
    }
    if (count > 0) out.byte(44);
    writer.write(out, store, index);
    count += 1;
    last = rows.cursor();
  }
  out.byte(93); // ]
  const next =
    more && query.paged && last !== undefined
      ? { [rows.cursorName]: last, ...options.extraState }
      : undefined;
  if (next) {
    const link = nextLink(
      `${options.base}/${req.path}`,
      req.query,
      encodeSkipToken(query.page + 1, next, options.tracking ?? false),
    );
    out.utf8(`,"@odata.nextLink":${JSON.stringify(link)}`);
  } else if (options.deltaLink) {
    out.utf8(`,"@odata.deltaLink":${JSON.stringify(options.deltaLink())}`);
  }
  out.byte(125); // }
  const headers: Record<string, string> = {};
  const applied: string[] = [];
  if (query.pageSizeApplied !== undefined)
    applied.push(`odata.maxpagesize=${query.pageSizeApplied}`);
  if (options.tracking) applied.push('odata.track-changes');
  if (applied.length > 0) headers['Preference-Applied'] = applied.join(',');
  return { json: out.finish(), headers, rows: count, next };
}
