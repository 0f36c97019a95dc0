import { normalizeGuid } from '../util/ids';
import { getContact, getContacts } from './contacts';
import { badRequest, methodNotAllowed, unknownSegment } from './dataverse-error';
import { createList, deleteList, getList, getLists, updateList } from './lists';
import { addListMembers, addMember, removeListMembers, removeMember } from './member-actions';
import { deleteListMember, getListContacts, getListMember, getListMembers } from './members';
import type { Org } from './org';
import type { DvRequest, DvResult } from './request';
import { whoAmI } from './whoami';

type Handler = (org: Org, req: DvRequest, key: string) => DvResult;
type Methods = Partial<Record<string, Handler>>;

const NS = 'microsoft.dynamics.crm.';

/** Routes by (entity set or operation, has key, second segment) → method → handler. */
const ROUTES: Record<string, Methods> = {
  whoami: { GET: whoAmI },
  contacts: { GET: getContacts },
  'contacts()': { GET: getContact },
  lists: { GET: getLists, POST: createList },
  'lists()': { GET: getList, PATCH: updateList, DELETE: deleteList },
  'lists()/listcontact_association': { GET: getListContacts },
  'lists()/ns:addmemberlist': { POST: addMember },
  'lists()/ns:removememberlist': { POST: removeMember },
  listmembers: { GET: getListMembers },
  'listmembers()': { GET: getListMember, DELETE: deleteListMember },
  addlistmemberslist: { POST: addListMembers },
  removelistmemberslist: { POST: removeListMembers },
};

/** Dispatches one Web API operation (path relative to /api/data/v9.x/). */
export function dispatch(org: Org, req: DvRequest): DvResult {
  const segments = req.path.split('/').filter(Boolean);
  if (segments.length === 0 || segments.length > 2) throw unknownSegment(req.path);
  const head = /^([A-Za-z_.$]+)(?:\((.*)\))?$/.exec(segments[0]);
  if (!head) throw unknownSegment(segments[0]);
  let name = head[1].toLowerCase();
  if (name.startsWith(NS) && segments.length === 1) name = name.slice(NS.length);
  const rawKey = head[2] as string | undefined;
  let route = name;
  let key = '';
  if (rawKey !== undefined) {
    if (name === 'whoami' && rawKey === '') {
      route = 'whoami';
    } else {
      key = parseKey(rawKey, name);
      route = `${name}()`;
    }
  }
  if (segments.length === 2) {
    const second = segments[1].toLowerCase();
    // Bound actions are namespace-qualified, as Dataverse requires.
    route = second.startsWith(NS) ? `${route}/ns:${second.slice(NS.length)}` : `${route}/${second}`;
  }
  const methods = ROUTES[route] as Methods | undefined;
  if (!methods) throw unknownSegment(segments.length === 2 ? segments[1] : segments[0]);
  const handler = methods[req.method];
  if (!handler) throw methodNotAllowed(req.method, req.path);
  return handler(org, req, key);
}

function parseKey(raw: string, set: string): string {
  const named = /^([a-z_]+id)=(.+)$/i.exec(raw);
  const value = named ? named[2] : raw;
  const id = normalizeGuid(value.replace(/^'(.*)'$/, '$1'));
  if (!id) throw badRequest(`'${raw}' is not a valid key for '${set}': the key is a GUID.`);
  return id;
}
