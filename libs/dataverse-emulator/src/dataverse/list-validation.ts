import { normalizeGuid } from '../util/ids';
import type { ListColumns, ListRecord } from '../store/list-store';
import { MEMBER_TYPES } from '../store/list-store';
import { badRequest, DataverseError, ErrorCodes } from './dataverse-error';
import { conversionError } from './json-body';

type Kind = 'string' | 'bool' | 'int' | 'number';

/** Writable list columns: type and maximum length (from the list table reference). */
const WRITABLE: Record<string, [Kind, number?]> = {
  listname: ['string', 128],
  type: ['bool'],
  createdfromcode: ['int'],
  membertype: ['int'],
  purpose: ['string', 512],
  source: ['string', 128],
  description: ['string', 2000],
  lockstatus: ['bool'],
  statecode: ['int'],
  statuscode: ['int'],
  cost: ['number'],
  donotsendonoptout: ['bool'],
  ignoreinactivelistmembers: ['bool'],
};

/** Columns Dataverse computes: accepted in a body and ignored. */
const READ_ONLY = new Set([
  'membercount',
  'createdon',
  'modifiedon',
  'versionnumber',
  '_ownerid_value',
]);

export function validationError(message: string): DataverseError {
  return new DataverseError(400, ErrorCodes.validation, `A validation error occurred. ${message}`);
}

function required(name: string): DataverseError {
  return badRequest(
    `The '${name}' attribute is required for the 'list' entity and cannot be empty.`,
    ErrorCodes.invalidArgument,
  );
}

/**
 * Checks a create (existing undefined) or update body of a marketing list and returns the
 * column changes. Every problem names the attribute, as Dataverse messages do.
 */
export function listChanges(
  body: Record<string, unknown>,
  existing: ListRecord | undefined,
): { patch: Partial<ListColumns>; listid?: string; ownerid?: string } {
  const patch: Record<string, unknown> = {};
  let listid: string | undefined;
  let ownerid: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@')) continue;
    if (key === 'listid') {
      const id = typeof value === 'string' ? normalizeGuid(value) : undefined;
      if (!id) throw conversionError(value, 'Guid', key);
      if (existing && id !== existing.listid)
        throw badRequest('The listid of a list cannot be changed.', ErrorCodes.invalidArgument);
      listid = id;
      continue;
    }
    if (key === 'ownerid@odata.bind') {
      const match = typeof value === 'string' ? /systemusers\(([^)]+)\)$/.exec(value) : null;
      const id = match ? normalizeGuid(match[1]) : undefined;
      if (!id)
        throw badRequest(
          `'ownerid@odata.bind' must reference /systemusers(<id>), got ${JSON.stringify(value)}.`,
        );
      ownerid = id;
      continue;
    }
    if (READ_ONLY.has(key)) continue;
    const spec = WRITABLE[key] as [Kind, number?] | undefined;
    if (!spec) {
      throw badRequest(
        `The property '${key}' does not exist on type 'Microsoft.Dynamics.CRM.list'. Make sure to only use property names that are defined by the type.`,
      );
    }
    patch[key] = checkValue(key, value, spec[0], spec[1]);
  }
  checkRules(patch, existing);
  if (patch.membertype !== undefined) delete patch.membertype;
  return { patch: patch, listid, ownerid };
}

function checkValue(key: string, value: unknown, kind: Kind, maxLength?: number): unknown {
  if (value === null) return null;
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw conversionError(value, 'String', key);
      if (maxLength !== undefined && value.length > maxLength) {
        throw validationError(
          `The length of the '${key}' attribute of the 'list' entity exceeded the maximum allowed length of '${maxLength}'.`,
        );
      }
      return value;
    case 'bool':
      if (typeof value !== 'boolean') throw conversionError(value, 'Boolean', key);
      return value;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value))
        throw conversionError(value, 'Int32', key);
      return value;
    case 'number':
      if (typeof value !== 'number') throw conversionError(value, 'Decimal', key);
      return value;
  }
}

function checkRules(patch: Record<string, unknown>, existing: ListRecord | undefined): void {
  const creating = existing === undefined;
  if ('listname' in patch || creating) {
    const name = patch.listname;
    if (typeof name !== 'string' || name.trim() === '') throw required('listname');
  }
  if ('createdfromcode' in patch || creating) {
    const code = patch.createdfromcode;
    if (code === null || code === undefined) throw required('createdfromcode');
    if (!(Number(code) in MEMBER_TYPES)) {
      throw validationError(
        `The value ${JSON.stringify(code)} of 'createdfromcode' on record of type 'list' is outside the valid range. Accepted Values: 1,2,4`,
      );
    }
    if (existing && code !== existing.createdfromcode) {
      throw badRequest(
        `The Member Type (createdfromcode) of a marketing list cannot be changed after it is created (list ${existing.listid} has ${existing.createdfromcode}).`,
        ErrorCodes.invalidArgument,
      );
    }
  }
  if (patch.membertype !== undefined && patch.membertype !== null) {
    const code = patch.createdfromcode ?? existing?.createdfromcode;
    if (patch.membertype !== code) {
      throw badRequest(
        `membertype (${JSON.stringify(patch.membertype)}) must equal createdfromcode (${JSON.stringify(code)}).`,
        ErrorCodes.invalidArgument,
      );
    }
  }
  for (const key of ['type', 'lockstatus', 'donotsendonoptout', 'ignoreinactivelistmembers']) {
    if (key in patch && patch[key] === null) throw required(key);
  }
  if ('statecode' in patch) {
    if (patch.statecode !== 0 && patch.statecode !== 1) {
      throw validationError(
        `The value ${String(patch.statecode)} of 'statecode' on record of type 'list' is outside the valid range. Accepted Values: 0,1`,
      );
    }
    if (!('statuscode' in patch)) patch.statuscode = patch.statecode === 0 ? 0 : 1;
  }
  if (!creating && existing.statecode === 1 && patch.statecode !== 0) {
    throw inactiveList(existing.listid);
  }
}

export function inactiveList(listid: string): DataverseError {
  return badRequest(
    `The marketing list (Id=${listid}) is inactive. Inactive marketing lists are read-only: activate the list (statecode 0) before changing it or its members.`,
    ErrorCodes.invalidArgument,
  );
}

export function lockedList(listid: string): DataverseError {
  return badRequest(
    `The marketing list (Id=${listid}) is locked. Members cannot be added to or removed from a locked marketing list.`,
    ErrorCodes.invalidArgument,
  );
}

export function dynamicList(listid: string): DataverseError {
  return badRequest(
    `The marketing list (Id=${listid}) is dynamic. Members of a dynamic marketing list come from its query and cannot be added or removed.`,
    ErrorCodes.invalidArgument,
  );
}

/** A list whose members may change: static, active, unlocked. */
export function checkMembersWritable(list: ListRecord): void {
  if (list.statecode !== 0) throw inactiveList(list.listid);
  if (list.lockstatus) throw lockedList(list.listid);
  if (list.type) throw dynamicList(list.listid);
}
