import type { Row } from '../odata/schema';
import type { ListRecord, ListStore } from '../store/list-store';
import { MEMBER_TYPES } from '../store/list-store';
import type { ContactStore } from '../store/contact-store';

/** Dataverse writes datetimes without fractions: `2025-03-01T12:34:56Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function etag(version: number): string {
  return `W/"${version}"`;
}

export function contactRow(store: ContactStore, index: number): Row {
  const f = store.fields(index);
  return {
    contactid: store.idOf(index),
    firstname: f.firstname,
    lastname: f.lastname,
    fullname: f.fullname,
    emailaddress1: f.emailaddress1,
    telephone1: f.telephone1,
    address1_city: f.address1_city,
    statecode: f.statecode,
    statuscode: f.statecode === 0 ? 1 : 2,
    createdon: isoTime(f.createdon),
    modifiedon: isoTime(f.modifiedon),
    versionnumber: store.versionOf(index),
  };
}

export function listRow(list: ListRecord): Row {
  return {
    listid: list.listid,
    listname: list.listname,
    type: list.type,
    createdfromcode: list.createdfromcode,
    membertype: list.createdfromcode,
    purpose: list.purpose,
    source: list.source,
    description: list.description,
    membercount: list.members.size,
    lockstatus: list.lockstatus,
    statecode: list.statecode,
    statuscode: list.statuscode,
    cost: list.cost,
    donotsendonoptout: list.donotsendonoptout,
    ignoreinactivelistmembers: list.ignoreinactivelistmembers,
    _ownerid_value: list.ownerid,
    createdon: isoTime(list.createdon),
    modifiedon: isoTime(list.modifiedon),
    versionnumber: list.version,
  };
}

export function memberRow(
  lists: ListStore,
  contacts: ContactStore,
  list: ListRecord,
  contact: number,
): Row {
  return {
    listmemberid: lists.memberId(list, contact),
    _listid_value: list.listid,
    _entityid_value: contacts.idOf(contact),
    entitytype: MEMBER_TYPES[list.createdfromcode] ?? 'contact',
    entityidtypecode: list.createdfromcode,
  };
}

/** The JSON object of a row: `@odata.etag`, then the selected columns (all without $select). */
export function project(
  row: Row,
  select: string[] | undefined,
  etagVersion?: number,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const version =
    etagVersion ?? (typeof row.versionnumber === 'number' ? row.versionnumber : undefined);
  if (version !== undefined) out['@odata.etag'] = etag(version);
  for (const key of select ?? Object.keys(row)) out[key] = row[key];
  return out;
}
