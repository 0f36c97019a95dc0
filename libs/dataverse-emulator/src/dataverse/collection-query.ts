import { matches, parseFilter, type Filter } from '../odata/filter';
import {
  decodeSkipToken,
  encodeSkipToken,
  MAX_PAGE_SIZE,
  nextLink,
  parseTop,
  preferredPageSize,
} from '../odata/paging';
import { contextFragment, parseSelect } from '../odata/select';
import type { EntitySchema, Row } from '../odata/schema';
import { badRequest, DataverseError, ErrorCodes } from './dataverse-error';
import type { DvRequest } from './request';
import { project } from './rows';

export type Position = Record<string, number>;

export interface SourceRow {
  /** Resume position just after this row. */
  position: Position;
  row: Row;
  etagVersion?: number;
}

/** The parsed query options of a collection GET. */
export interface CollectionQuery {
  select?: string[];
  filter?: Filter;
  /** Rows on this page. */
  limit: number;
  /** Paging with nextLink (false for a lone `$top`). */
  paged: boolean;
  pageSizeApplied?: number;
  resume?: Position;
  page: number;
  count: boolean;
}

const UNSUPPORTED: Record<string, string> = {
  $skip:
    'The query parameter $skip is not supported. Use the @odata.nextLink to page through results.',
  $orderby: 'The Dataverse emulator does not implement $orderby; rows come in creation order.',
  $expand: 'The Dataverse emulator does not implement $expand.',
  $apply: 'The Dataverse emulator does not implement $apply.',
  $search: 'The Dataverse emulator does not implement $search.',
};

export function parseCollectionQuery(req: DvRequest, schema: EntitySchema): CollectionQuery {
  for (const key of req.query.keys()) {
    const message = UNSUPPORTED[key.toLowerCase()];
    if (message) {
      throw key.toLowerCase() === '$skip'
        ? badRequest(message)
        : new DataverseError(501, ErrorCodes.odata, message);
    }
    if (
      key.startsWith('$') &&
      !['$select', '$filter', '$top', '$skiptoken', '$count', '$deltatoken'].includes(key)
    ) {
      throw badRequest(`The query parameter ${key} is not supported.`);
    }
  }
  const select = withKey(parseSelect(req.query.get('$select'), schema), schema);
  const filterText = req.query.get('$filter');
  const filter = filterText === null ? undefined : parseFilter(filterText, schema);
  const top = parseTop(req.query.get('$top'));
  const pageSize = preferredPageSize(req.prefer.get('odata.maxpagesize'));
  const skip = req.query.get('$skiptoken');
  const token = skip === null ? undefined : decodeSkipToken(skip);
  const countText = req.query.get('$count');
  if (countText !== null && countText !== 'true' && countText !== 'false') {
    throw badRequest(`'${countText}' is not a valid value for $count.`);
  }
  // As documented: $top is ignored when odata.maxpagesize is given.
  const paged = pageSize !== undefined || top === undefined;
  return {
    select,
    filter,
    limit: pageSize ?? Math.min(top ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE),
    paged,
    pageSizeApplied: pageSize,
    resume: token?.state as Position | undefined,
    page: token?.page ?? 1,
    count: countText === 'true',
  };
}

/** `$select` plus the primary key, which Dataverse always returns. */
export function withKey(select: string[] | undefined, schema: EntitySchema): string[] | undefined {
  if (!select) return undefined;
  return select.includes(schema.primaryKey) ? select : [...select, schema.primaryKey];
}

export interface PageResult {
  body: Record<string, unknown>;
  headers: Record<string, string>;
  rows: number;
  /** Position after the last row when more rows follow. */
  next?: Position;
}

/**
 * Runs a collection query over `source` rows (in their stable order): filters, takes a page,
 * looks one row further to know whether a nextLink is due, and builds the JSON body. Lists and
 * list members; pages of contacts are written as bytes by `writeContactPage`, same rules.
 */
export function readPage(
  req: DvRequest,
  schema: EntitySchema,
  query: CollectionQuery,
  source: Iterable<SourceRow>,
  options: {
    base: string;
    contextPath?: string;
    extraState?: Position;
    tracking?: boolean;
    total?: () => number;
  },
): PageResult {
  const value: Record<string, unknown>[] = [];
  let last: Position | undefined;
  let more = false;
  for (const item of source) {
    if (query.filter && !matches(query.filter, item.row, schema)) continue;
    if (value.length >= query.limit) {
      more = true;
      break;
    }
    value.push(project(item.row, query.select, item.etagVersion));
    last = item.position;
  }
  const body: Record<string, unknown> = {
    '@odata.context': `${options.base}/$metadata#${options.contextPath ?? contextFragment(schema, query.select)}`,
  };
  if (query.count && options.total) body['@odata.count'] = Math.min(options.total(), 5000);
  body.value = value;
  const headers: Record<string, string> = {};
  const next = more && query.paged && last ? { ...last, ...options.extraState } : undefined;
  if (next) {
    const url = `${options.base}/${req.path}`;
    body['@odata.nextLink'] = nextLink(
      url,
      req.query,
      encodeSkipToken(query.page + 1, next, options.tracking ?? false),
    );
  }
  const applied: string[] = [];
  if (query.pageSizeApplied !== undefined)
    applied.push(`odata.maxpagesize=${query.pageSizeApplied}`);
  if (options.tracking) applied.push('odata.track-changes');
  if (applied.length > 0) headers['Preference-Applied'] = applied.join(',');
  return { body, headers, rows: value.length, next };
}
