import { keyCandidates } from '../odata/filter';
import { contextFragment, parseSelect } from '../odata/select';
import { LIST_SCHEMA } from '../odata/schema';
import type { ListColumns, ListRecord } from '../store/list-store';
import { parseCollectionQuery, readPage, withKey, type SourceRow } from './collection-query';
import { DataverseError, ErrorCodes, notFound } from './dataverse-error';
import { jsonObject } from './json-body';
import { listChanges } from './list-validation';
import type { Org } from './org';
import type { DvRequest, DvResult } from './request';
import { etag, listRow, project } from './rows';

export function findList(org: Org, key: string): ListRecord {
  const list = org.lists.get(key);
  if (!list) throw notFound('list', key);
  return list;
}

function entityResult(
  org: Org,
  req: DvRequest,
  list: ListRecord,
  status: number,
  endpoint: string,
  kind: 'read' | 'create' | 'update',
): DvResult {
  const select = withKey(parseSelect(req.query.get('$select'), LIST_SCHEMA), LIST_SCHEMA);
  const base = org.apiBase(req.version);
  const body = {
    '@odata.context': `${base}/$metadata#${contextFragment(LIST_SCHEMA, select)}/$entity`,
    ...project(listRow(list), select),
  };
  const headers: Record<string, string> = { ETag: etag(list.version) };
  if (kind !== 'read') headers['Preference-Applied'] = 'return=representation';
  if (kind === 'create') headers['OData-EntityId'] = `${base}/lists(${list.listid})`;
  return { response: { status, headers, body }, work: { kind, rows: 1 }, endpoint };
}

export function getList(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, 'prvReadList');
  return entityResult(org, req, findList(org, key), 200, 'GET /lists({id})', 'read');
}

export function getLists(org: Org, req: DvRequest): DvResult {
  org.privileges.check(req.caller, 'prvReadList');
  const query = parseCollectionQuery(req, LIST_SCHEMA);
  const after = query.resume?.s ?? 0;
  const ids = query.filter ? keyCandidates(query.filter, 'listid') : undefined;
  function* source(): Generator<SourceRow> {
    for (const list of org.lists.listsAfter(after)) {
      if (ids && !ids.has(list.listid)) continue;
      yield { position: { s: list.seq }, row: listRow(list) };
    }
  }
  const page = readPage(req, LIST_SCHEMA, query, source(), {
    base: org.apiBase(req.version),
    total: () => org.lists.size,
  });
  return {
    response: { status: 200, headers: page.headers, body: page.body },
    work: { kind: 'read', rows: page.rows },
    endpoint: 'GET /lists',
  };
}

function created(org: Org, req: DvRequest, list: ListRecord, endpoint: string): DvResult {
  if (req.prefer.returnRepresentation) return entityResult(org, req, list, 201, endpoint, 'create');
  return {
    response: {
      status: 204,
      headers: { 'OData-EntityId': `${org.apiBase(req.version)}/lists(${list.listid})` },
    },
    work: { kind: 'create' },
    endpoint,
  };
}

function createFrom(
  org: Org,
  req: DvRequest,
  body: Record<string, unknown>,
  listid?: string,
): ListRecord {
  const { patch, listid: bodyId, ownerid } = listChanges(body, undefined);
  const id = listid ?? bodyId;
  if (id && org.lists.get(id)) {
    throw new DataverseError(
      412,
      ErrorCodes.duplicateRecord,
      'A record with matching key values already exists.',
    );
  }
  const now = Date.now();
  const columns: ListColumns = {
    listname: '',
    type: false,
    createdfromcode: 2,
    purpose: null,
    source: null,
    description: null,
    lockstatus: false,
    statecode: 0,
    statuscode: 0,
    cost: null,
    donotsendonoptout: true,
    ignoreinactivelistmembers: true,
    ownerid: ownerid ?? req.caller.systemUserId,
    createdon: now,
    modifiedon: now,
    ...patch,
  };
  return org.lists.create(columns, id);
}

/** POST lists. */
export function createList(org: Org, req: DvRequest): DvResult {
  org.privileges.check(req.caller, 'prvCreateList');
  const list = createFrom(org, req, jsonObject(req.body));
  return created(org, req, list, 'POST /lists');
}

function checkIfMatch(req: DvRequest, list: ListRecord | undefined, key: string): void {
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifMatch !== undefined) {
    if (!list) throw notFound('list', key);
    if (ifMatch.trim() !== '*' && ifMatch.trim() !== etag(list.version)) {
      throw new DataverseError(
        412,
        ErrorCodes.concurrencyMismatch,
        "The version of the existing record doesn't match the RowVersion property provided.",
      );
    }
  }
  if (ifNoneMatch?.trim() === '*' && list) {
    throw new DataverseError(
      412,
      ErrorCodes.duplicateRecord,
      'A record with matching key values already exists.',
    );
  }
}

/** PATCH lists(<id>): update, or create with that id when it does not exist (upsert). */
export function updateList(org: Org, req: DvRequest, key: string): DvResult {
  const existing = org.lists.get(key);
  checkIfMatch(req, existing, key);
  const body = jsonObject(req.body);
  if (!existing) {
    org.privileges.check(req.caller, 'prvCreateList');
    return created(org, req, createFrom(org, req, body, key), 'PATCH /lists({id})');
  }
  org.privileges.check(req.caller, 'prvWriteList');
  const { patch, ownerid } = listChanges(body, existing);
  org.lists.update(existing, ownerid ? { ...patch, ownerid } : patch);
  if (req.prefer.returnRepresentation)
    return entityResult(org, req, existing, 200, 'PATCH /lists({id})', 'update');
  return {
    response: {
      status: 204,
      headers: { 'OData-EntityId': `${org.apiBase(req.version)}/lists(${existing.listid})` },
    },
    work: { kind: 'update' },
    endpoint: 'PATCH /lists({id})',
  };
}

/** DELETE lists(<id>): the list and its memberships. */
export function deleteList(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, 'prvDeleteList');
  const list = findList(org, key);
  checkIfMatch(req, list, key);
  org.lists.delete(list);
  return {
    response: { status: 204, headers: {} },
    work: { kind: 'delete', members: 0 },
    endpoint: 'DELETE /lists({id})',
  };
}
