import { keyCandidates } from '../odata/filter';
import { contextFragment, parseSelect } from '../odata/select';
import { CONTACT_SCHEMA, LISTMEMBER_SCHEMA } from '../odata/schema';
import { parseCollectionQuery, readPage, withKey, type SourceRow } from './collection-query';
import { notFound } from './dataverse-error';
import { checkMembersWritable } from './list-validation';
import { findList } from './lists';
import type { Org } from './org';
import type { DvRequest, DvResult } from './request';
import { writeContactPage, type ContactRows } from './contact-page';
import { memberRow, project } from './rows';

/** GET lists(<id>)/listcontact_association: the list's contact members, paged. */
export function getListContacts(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, 'prvReadList', 'prvReadContact');
  const list = findList(org, key);
  const query = parseCollectionQuery(req, CONTACT_SCHEMA);
  // Members resume after a sequence number (binary search), not by walking from the start.
  const after = query.resume?.m ?? 0;
  const members = list.members.cursorAfter(after);
  const rows: ContactRows = {
    // Only contact lists have contact members.
    next: () => (list.createdfromcode === 2 ? members.next() : -1),
    cursor: () => members.seq(),
    cursorName: 'm',
  };
  const page = writeContactPage(req, org.contacts, query, rows, {
    base: org.apiBase(req.version),
    total: () => list.members.size,
    available: list.members.size,
  });
  return {
    response: { status: 200, headers: page.headers, jsonBytes: page.json },
    work: { kind: 'read', rows: page.rows },
    endpoint: 'GET /lists({id})/listcontact_association',
  };
}

/** GET listmembers (optionally `$filter=_listid_value eq <id>`), paged across lists. */
export function getListMembers(org: Org, req: DvRequest): DvResult {
  org.privileges.check(req.caller, 'prvReadList');
  const query = parseCollectionQuery(req, LISTMEMBER_SCHEMA);
  const fromList = query.resume?.s ?? 0;
  const fromMember = query.resume?.m ?? 0;
  const only = query.filter ? keyCandidates(query.filter, '_listid_value') : undefined;
  const byId = query.filter ? keyCandidates(query.filter, 'listmemberid') : undefined;
  function* source(): Generator<SourceRow> {
    if (byId) {
      for (const id of byId) {
        const found = org.lists.resolveMember(id);
        if (found && found.list.seq > fromList) {
          yield {
            position: { s: found.list.seq, m: 0 },
            row: memberRow(org.lists, org.contacts, found.list, found.contact),
            etagVersion: found.list.version,
          };
        }
      }
      return;
    }
    for (const list of org.lists.listsAfter(fromList - 1)) {
      if (only && !only.has(list.listid)) continue;
      const after = list.seq === fromList ? fromMember : 0;
      for (const { contact, seq } of list.members.after(after)) {
        yield {
          position: { s: list.seq, m: seq },
          row: memberRow(org.lists, org.contacts, list, contact),
          etagVersion: list.version,
        };
      }
    }
  }
  const page = readPage(req, LISTMEMBER_SCHEMA, query, source(), {
    base: org.apiBase(req.version),
  });
  return {
    response: { status: 200, headers: page.headers, body: page.body },
    work: { kind: 'read', rows: page.rows },
    endpoint: 'GET /listmembers',
  };
}

export function getListMember(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, 'prvReadList');
  const found = org.lists.resolveMember(key);
  if (!found) throw notFound('listmember', key);
  const select = withKey(
    parseSelect(req.query.get('$select'), LISTMEMBER_SCHEMA),
    LISTMEMBER_SCHEMA,
  );
  const base = org.apiBase(req.version);
  const body = {
    '@odata.context': `${base}/$metadata#${contextFragment(LISTMEMBER_SCHEMA, select)}/$entity`,
    ...project(
      memberRow(org.lists, org.contacts, found.list, found.contact),
      select,
      found.list.version,
    ),
  };
  return {
    response: { status: 200, headers: {}, body },
    work: { kind: 'read', rows: 1 },
    endpoint: 'GET /listmembers({id})',
  };
}

/** DELETE listmembers(<id>): removes one membership. */
export function deleteListMember(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, 'prvAppendToList');
  const found = org.lists.resolveMember(key);
  if (!found) throw notFound('listmember', key);
  checkMembersWritable(found.list);
  org.lists.removeMembers(found.list, [found.contact]);
  return {
    response: { status: 204, headers: {} },
    work: { kind: 'memberAction', members: 1 },
    endpoint: 'DELETE /listmembers({id})',
  };
}
