/** Column types the query engine knows; enough for contacts, lists and listmembers. */
export type ColumnType = 'guid' | 'string' | 'int' | 'bool' | 'datetime';

export interface EntitySchema {
  /** Logical name (`contact`), as in `Microsoft.Dynamics.CRM.contact`. */
  logicalName: string;
  /** Entity set name (`contacts`). */
  setName: string;
  primaryKey: string;
  columns: Readonly<Record<string, ColumnType>>;
}

export type CellValue = string | number | boolean | null;
export type Row = Record<string, CellValue>;

export const CONTACT_SCHEMA: EntitySchema = {
  logicalName: 'contact',
  setName: 'contacts',
  primaryKey: 'contactid',
  columns: {
    contactid: 'guid',
    firstname: 'string',
    lastname: 'string',
    fullname: 'string',
    emailaddress1: 'string',
    telephone1: 'string',
    address1_city: 'string',
    statecode: 'int',
    statuscode: 'int',
    createdon: 'datetime',
    modifiedon: 'datetime',
    versionnumber: 'int',
  },
};

export const LIST_SCHEMA: EntitySchema = {
  logicalName: 'list',
  setName: 'lists',
  primaryKey: 'listid',
  columns: {
    listid: 'guid',
    listname: 'string',
    type: 'bool',
    createdfromcode: 'int',
    membertype: 'int',
    purpose: 'string',
    source: 'string',
    description: 'string',
    membercount: 'int',
    lockstatus: 'bool',
    statecode: 'int',
    statuscode: 'int',
    cost: 'int',
    donotsendonoptout: 'bool',
    ignoreinactivelistmembers: 'bool',
    _ownerid_value: 'guid',
    createdon: 'datetime',
    modifiedon: 'datetime',
    versionnumber: 'int',
  },
};

export const LISTMEMBER_SCHEMA: EntitySchema = {
  logicalName: 'listmember',
  setName: 'listmembers',
  primaryKey: 'listmemberid',
  columns: {
    listmemberid: 'guid',
    _listid_value: 'guid',
    _entityid_value: 'guid',
    entitytype: 'string',
    entityidtypecode: 'int',
  },
};
