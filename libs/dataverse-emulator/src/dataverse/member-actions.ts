import { normalizeGuid } from '../util/ids';
import type { ListRecord } from '../store/list-store';
import { MEMBER_TYPES } from '../store/list-store';
import { badRequest, ErrorCodes, notFound } from './dataverse-error';
import { jsonObject } from './json-body';
import { checkMembersWritable } from './list-validation';
import { findList } from './lists';
import type { Org } from './org';
import type { DvRequest, DvResult } from './request';

const ENTITY_TYPES = new Set(Object.values(MEMBER_TYPES));

function missingParameter(name: string, action: string) {
  return badRequest(
    `The parameter '${name}' is required for the operation '${action}'.`,
    ErrorCodes.invalidArgument,
  );
}

/** The `List` parameter: `{"listid": "…"}` or `{"@odata.id": "lists(…)"}`. */
function listParameter(org: Org, body: Record<string, unknown>, action: string): ListRecord {
  const param = body.List;
  if (param === undefined || param === null) throw missingParameter('List', action);
  if (typeof param !== 'object' || Array.isArray(param))
    throw badRequest(`The parameter 'List' of '${action}' must be a list entity object.`);
  const entity = param as Record<string, unknown>;
  const type = entity['@odata.type'];
  if (
    type !== undefined &&
    type !== 'Microsoft.Dynamics.CRM.list' &&
    type !== '#Microsoft.Dynamics.CRM.list'
  ) {
    throw badRequest(
      `The parameter 'List' of '${action}' must be of type 'Microsoft.Dynamics.CRM.list', got ${JSON.stringify(type)}.`,
    );
  }
  let raw = entity.listid;
  const ref = entity['@odata.id'];
  if (raw === undefined && typeof ref === 'string') raw = /lists\(([^)]+)\)$/.exec(ref)?.[1];
  const id = typeof raw === 'string' ? normalizeGuid(raw) : undefined;
  if (!id) throw badRequest(`The parameter 'List' of '${action}' needs a valid 'listid' GUID.`);
  return findList(org, id);
}

/**
 * The `Members` parameter: entities with `@odata.type` (required, the collection's type is the
 * abstract crmbaseentity) and their primary key. Every member must match the list's member type
 * and exist; the whole call fails before any change otherwise.
 */
function memberRows(
  org: Org,
  list: ListRecord,
  body: Record<string, unknown>,
  action: string,
): number[] {
  const members = body.Members;
  if (members === undefined || members === null) throw missingParameter('Members', action);
  if (!Array.isArray(members))
    throw badRequest(`The parameter 'Members' of '${action}' must be an array of entities.`);
  const listType = MEMBER_TYPES[list.createdfromcode];
  return members.map((item: unknown, position) => {
    if (typeof item !== 'object' || item === null)
      throw badRequest(`Members[${position}] of '${action}' must be an entity object.`);
    const member = item as Record<string, unknown>;
    const typeName = member['@odata.type'];
    if (typeof typeName !== 'string') {
      throw badRequest(
        `Members[${position}] of '${action}' needs '@odata.type' (e.g. 'Microsoft.Dynamics.CRM.contact'): the collection type crmbaseentity is abstract.`,
      );
    }
    const entity = typeName.replace(/^#?Microsoft\.Dynamics\.CRM\./, '');
    if (!ENTITY_TYPES.has(entity)) {
      throw badRequest(
        `Members[${position}] of '${action}' has type '${typeName}'; marketing list members are accounts, contacts or leads.`,
      );
    }
    if (entity !== listType) throw typeMismatch(list, entity);
    const raw = member[`${entity}id`];
    const id = typeof raw === 'string' ? normalizeGuid(raw) : undefined;
    if (!id)
      throw badRequest(`Members[${position}] of '${action}' needs a valid '${entity}id' GUID.`);
    return resolveMember(org, list, id);
  });
}

function typeMismatch(list: ListRecord, entity: string) {
  return badRequest(
    `The member type of marketing list (Id=${list.listid}) is ${MEMBER_TYPES[list.createdfromcode]} (createdfromcode ${list.createdfromcode}); a ${entity} cannot be a member of it.`,
    ErrorCodes.invalidArgument,
  );
}

/** The row of a member record of the list's type; the emulator holds contacts only. */
function resolveMember(org: Org, list: ListRecord, id: string): number {
  const entity = MEMBER_TYPES[list.createdfromcode];
  const index = entity === 'contact' ? org.contacts.indexOf(id) : -1;
  if (index < 0) throw notFound(entity, id);
  return index;
}

function entityIdParameter(body: Record<string, unknown>, action: string): string {
  const raw = body.EntityId;
  if (raw === undefined || raw === null) throw missingParameter('EntityId', action);
  const id = typeof raw === 'string' ? normalizeGuid(raw) : undefined;
  if (!id)
    throw badRequest(
      `The parameter 'EntityId' of '${action}' must be a GUID, got ${JSON.stringify(raw)}.`,
    );
  return id;
}

const MEMBER_PRIVILEGES = [
  'prvReadList',
  'prvReadContact',
  'prvAppendToList',
  'prvAppendContact',
] as const;

/** POST AddListMembersList {List, Members}: adds members; existing members stay one membership. */
export function addListMembers(org: Org, req: DvRequest): DvResult {
  org.privileges.check(req.caller, ...MEMBER_PRIVILEGES);
  const body = jsonObject(req.body);
  const list = listParameter(org, body, 'AddListMembersList');
  checkMembersWritable(list);
  const rows = memberRows(org, list, body, 'AddListMembersList');
  org.lists.addMembers(list, rows);
  return {
    response: { status: 204, headers: {} },
    work: { kind: 'memberAction', members: rows.length },
    endpoint: 'POST /AddListMembersList',
  };
}

/** POST RemoveListMembersList {List, Members}: removing a non-member is a no-op. */
export function removeListMembers(org: Org, req: DvRequest): DvResult {
  org.privileges.check(req.caller, ...MEMBER_PRIVILEGES);
  const body = jsonObject(req.body);
  const list = listParameter(org, body, 'RemoveListMembersList');
  checkMembersWritable(list);
  const rows = memberRows(org, list, body, 'RemoveListMembersList');
  org.lists.removeMembers(list, rows);
  return {
    response: { status: 204, headers: {} },
    work: { kind: 'memberAction', members: rows.length },
    endpoint: 'POST /RemoveListMembersList',
  };
}

/** POST lists(<id>)/Microsoft.Dynamics.CRM.AddMemberList {EntityId} → {Id: listmemberid}. */
export function addMember(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, ...MEMBER_PRIVILEGES);
  const list = findList(org, key);
  const body = jsonObject(req.body);
  const id = entityIdParameter(body, 'AddMemberList');
  checkMembersWritable(list);
  const row = resolveMember(org, list, id);
  org.lists.addMembers(list, [row]);
  const base = org.apiBase(req.version);
  return {
    response: {
      status: 200,
      headers: {},
      body: {
        '@odata.context': `${base}/$metadata#Microsoft.Dynamics.CRM.AddMemberListResponse`,
        Id: org.lists.memberId(list, row),
      },
    },
    work: { kind: 'memberAction', members: 1 },
    endpoint: 'POST /lists({id})/Microsoft.Dynamics.CRM.AddMemberList',
  };
}

/** POST lists(<id>)/Microsoft.Dynamics.CRM.RemoveMemberList {EntityId}. */
export function removeMember(org: Org, req: DvRequest, key: string): DvResult {
  org.privileges.check(req.caller, ...MEMBER_PRIVILEGES);
  const list = findList(org, key);
  const body = jsonObject(req.body);
  const id = entityIdParameter(body, 'RemoveMemberList');
  checkMembersWritable(list);
  org.lists.removeMembers(list, [resolveMember(org, list, id)]);
  return {
    response: { status: 204, headers: {} },
    work: { kind: 'memberAction', members: 1 },
    endpoint: 'POST /lists({id})/Microsoft.Dynamics.CRM.RemoveMemberList',
  };
}
