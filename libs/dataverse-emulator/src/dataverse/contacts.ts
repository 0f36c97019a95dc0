import { filterColumns, keyCandidates, matches, type Filter } from '../odata/filter';
import {
  decodeSkipToken,
  encodeQuery,
  encodeSkipToken,
  preferredPageSize,
  MAX_PAGE_SIZE,
  nextLink,
} from '../odata/paging';
import { contextFragment, parseSelect } from '../odata/select';
import { CONTACT_SCHEMA } from '../odata/schema';
import { normalizeGuid } from '../util/ids';
import { ByteWriter } from '../util/byte-writer';
import { parseCollectionQuery, withKey } from './collection-query';
import { contactWriter } from './contact-json';
import { writeContactPage, type ContactRows } from './contact-page';
import { badRequest, DataverseError, ErrorCodes, notFound } from './dataverse-error';
import type { Org } from './org';
import type { DvRequest, DvResult } from './request';
import { CONTACT_COLUMNS, contactOut, contactRow } from './rows';

/** GET contacts(<id>). */
export function getContact(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, 'prvReadContact');
  const select = withKey(parseSelect(req.query.get('$select'), CONTACT_SCHEMA), CONTACT_SCHEMA);
  const index = org.contacts.indexOf(key);
  if (index < 0) throw notFound('contact', key);
  const base = org.apiBase(req.version);
  const body = {
    '@odata.context': `${base}/$metadata#${contextFragment(CONTACT_SCHEMA, select)}/$entity`,
    ...contactOut(org.contacts, index, select),
  };
  return {
    response: { status: 200, headers: {}, body },
    work: { kind: 'read', rows: 1 },
    endpoint: 'GET /contacts({id})',
  };
}

/** GET contacts: query, paging, and change tracking (`Prefer: odata.track-changes`, `$deltatoken`). */
export function getContacts(org: Org, req: DvRequest): DvResult {
  org.privileges.check(req.caller, 'prvReadContact');
  if (req.query.has('$deltatoken')) return readDelta(org, req);
  const query = parseCollectionQuery(req, CONTACT_SCHEMA);
  const tracking = req.prefer.trackChanges;
  if (tracking && query.filter) {
    throw badRequest(
      'Change tracking (odata.track-changes) cannot be combined with $filter.',
      ErrorCodes.invalidArgument,
    );
  }
  const snapshot = tracking ? (query.resume?.v ?? org.clock.current) : undefined;
  // The skip token resumes right after the last row index it names: a seek, not a scan.
  const after = query.resume?.i ?? -1;
  const store = org.contacts;
  const candidates = query.filter ? keyCandidates(query.filter, 'contactid') : undefined;
  let rows: ContactRows;
  if (candidates) {
    const found = [...candidates]
      .map((id) => store.indexOf(id))
      .filter((i) => i > after)
      .sort((a, b) => a - b);
    let k = -1;
    rows = {
      next: () => (++k < found.length ? found[k] : -1),
      cursor: () => found[k],
      cursorName: 'i',
    };
  } else {
    let i = after;
    rows = {
      next: () => {
        for (i += 1; i < store.slots; i += 1) if (store.isLive(i)) return i;
        return -1;
      },
      cursor: () => i,
      cursorName: 'i',
    };
  }
  const base = org.apiBase(req.version);
  const page = writeContactPage(req, store, query, rows, {
    base,
    tracking,
    extraState: snapshot === undefined ? undefined : { v: snapshot },
    total: () => (query.filter ? countMatches(org, query.filter) : store.count),
    deltaLink: snapshot === undefined ? undefined : () => deltaLink(base, req.query, snapshot),
    available: candidates ? candidates.size : store.count,
  });
  return {
    response: { status: 200, headers: page.headers, jsonBytes: page.json },
    work: { kind: 'read', rows: page.rows },
    endpoint: 'GET /contacts',
  };
}

/** `$count`: matching contacts, counted up to 5,000 as Dataverse does. */
function countMatches(org: Org, filter: Filter): number {
  const columns = [...filterColumns(filter)];
  let n = 0;
  for (let i = 0; i < org.contacts.slots && n < 5000; i += 1) {
    if (
      org.contacts.isLive(i) &&
      matches(filter, contactRow(org.contacts, i, columns), CONTACT_SCHEMA)
    )
      n += 1;
  }
  return n;
}

/** `$deltatoken` values look like Dataverse's: `<version>!<MM/dd/yyyy HH:mm:ss>`. */
function deltaLink(base: string, query: URLSearchParams, version: number): string {
  const params = new URLSearchParams();
  const select = query.get('$select');
  if (select !== null) params.set('$select', select);
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  params.set('$deltatoken', `${version}!${stamp}`);
  return `${base}/contacts?${encodeQuery(params).replace(/!/g, '%21')}`;
}

function expiredToken(): DataverseError {
  return new DataverseError(
    400,
    ErrorCodes.expiredVersionStamp,
    'Version stamp associated with the client has expired. Please perform a full sync.',
  );
}

/** Reads changes since a delta token: new/changed contacts, then `$deletedEntity` entries. */
function readDelta(org: Org, req: DvRequest): DvResult {
  for (const key of req.query.keys()) {
    if (!['$select', '$deltatoken', '$skiptoken'].includes(key)) {
      throw badRequest(`The query parameter ${key} cannot be used with a delta link.`);
    }
  }
  const token = req.query.get('$deltatoken') ?? '';
  const match = /^(\d+)!/.exec(token);
  if (!match)
    throw badRequest(`The delta token '${token}' is not valid.`, ErrorCodes.invalidArgument);
  const since = Number(match[1]);
  if (since > org.clock.current || since < org.deltaTokenFloor) throw expiredToken();
  const select = withKey(parseSelect(req.query.get('$select'), CONTACT_SCHEMA), CONTACT_SCHEMA);
  const pageSize = preferredPageSize(req.prefer.get('odata.maxpagesize')) ?? MAX_PAGE_SIZE;
  const skip = req.query.get('$skiptoken');
  const resume = skip === null ? undefined : decodeSkipToken(skip);
  const upper = Number(resume?.state.u ?? org.clock.current);
  const from = Number(resume?.state.p ?? since);
  const store = org.contacts;
  const base = org.apiBase(req.version);
  const writer = contactWriter(select ?? CONTACT_COLUMNS);
  const out = new ByteWriter(64 * 1024);
  out.utf8(
    `{"@odata.context":${JSON.stringify(`${base}/$metadata#${contextFragment(CONTACT_SCHEMA, select)}/$delta`)},"value":[`,
  );
  const deletedContext = `${base}/$metadata#contacts/$deletedEntity`;
  let rows = 0;
  let lastVersion = from;
  let more = false;
  for (const { version, index } of store.log.since(from)) {
    if (version > upper) break;
    if (store.versionOf(index) !== version) continue; // superseded by a later change
    if (rows >= pageSize) {
      more = true;
      break;
    }
    if (rows > 0) out.byte(44);
    if (store.isDeleted(index)) {
      out.json({ '@odata.context': deletedContext, id: store.idOf(index), reason: 'deleted' });
    } else {
      writer.write(out, store, index);
    }
    rows += 1;
    lastVersion = version;
  }
  out.byte(93); // ]
  if (more) {
    const page = (resume?.page ?? 1) + 1;
    const link = nextLink(
      `${base}/contacts`,
      req.query,
      encodeSkipToken(page, { u: upper, p: lastVersion }, true),
    );
    out.utf8(`,"@odata.nextLink":${JSON.stringify(link)}`);
  } else {
    out.utf8(`,"@odata.deltaLink":${JSON.stringify(deltaLink(base, req.query, upper))}`);
  }
  out.byte(125); // }
  const applied = ['odata.track-changes'];
  if (req.prefer.has('odata.maxpagesize')) applied.unshift(`odata.maxpagesize=${pageSize}`);
  return {
    response: {
      status: 200,
      headers: { 'Preference-Applied': applied.join(',') },
      jsonBytes: out.finish(),
    },
    work: { kind: 'read', rows },
    endpoint: 'GET /contacts (delta)',
  };
}

export function contactKey(text: string): string {
  const id = normalizeGuid(text);
  if (!id) throw badRequest(`'${text}' is not a valid GUID key for contacts.`);
  return id;
}
