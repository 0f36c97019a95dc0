import { CONTACT_SCHEMA, type CellValue, type Row } from '../odata/schema';
import type { ListRecord, ListStore } from '../store/list-store';
import { MEMBER_TYPES } from '../store/list-store';
import type { ContactFields, ContactStore } from '../store/contact-store';
import { isoTime } from './iso-time';

export function etag(version: number): string {
  return `W/"${version}"`;
}

/** One contact column (the generated or stored fields are computed once per row). */
function contactColumn(
  store: ContactStore,
  index: number,
  f: ContactFields,
  column: string,
): CellValue {
  switch (column) {
    case 'contactid':
      return store.idOf(index);
    case 'statuscode':
      return f.statecode === 0 ? 1 : 2;
    case 'createdon':
      return isoTime(f.createdon);
    case 'modifiedon':
      return isoTime(f.modifiedon);
    case 'versionnumber':
      return store.versionOf(index);
    default:
      return f[column as keyof ContactFields];
  }
}

export const CONTACT_COLUMNS = Object.keys(CONTACT_SCHEMA.columns);

/** Columns computed without the contact's fields. */
const KEY_COLUMNS = new Set(['contactid', 'versionnumber']);

/** A contact's row (all columns, or only `columns`). */
export function contactRow(
  store: ContactStore,
  index: number,
  columns: readonly string[] = CONTACT_COLUMNS,
): Row {
  // Fields only when a column needs them: a filter on the key alone reads none.
  const f = columns.some((c) => !KEY_COLUMNS.has(c)) ? store.fields(index) : undefined;
  const row: Row = {};
  for (const column of columns)
    row[column] = contactColumn(store, index, f as ContactFields, column);
  return row;
}

/**
 * A contact as the Web API returns it: `@odata.etag`, then the columns in order (one entity;
 * pages are written as bytes by `ContactJsonWriter`, which writes exactly this JSON).
 */
export function contactOut(
  store: ContactStore,
  index: number,
  columns: readonly string[] = CONTACT_COLUMNS,
): Record<string, CellValue> {
  const f = store.fields(index);
  const out: Record<string, CellValue> = { '@odata.etag': etag(store.versionOf(index)) };
  for (const column of columns) out[column] = contactColumn(store, index, f, column);
  return out;
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
