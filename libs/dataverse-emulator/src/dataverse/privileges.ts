import type { CallerIdentity } from '../identity/caller';
import { namedGuid } from '../util/ids';
import { DataverseError, ErrorCodes } from './dataverse-error';

export const PRIVILEGES = [
  'prvReadContact',
  'prvAppendContact',
  'prvReadList',
  'prvCreateList',
  'prvWriteList',
  'prvDeleteList',
  'prvAppendToList',
] as const;
export type Privilege = (typeof PRIVILEGES)[number];

/** Whom a privilege denial applies to: every caller, app-only callers, users, or one object id. */
export type PrivilegeTarget = 'all' | 'application' | 'user' | { oid: string };

const ENTITY: Record<Privilege, [string, number]> = {
  prvReadContact: ['contact', 2],
  prvAppendContact: ['contact', 2],
  prvReadList: ['list', 4300],
  prvCreateList: ['list', 4300],
  prvWriteList: ['list', 4300],
  prvDeleteList: ['list', 4300],
  prvAppendToList: ['list', 4300],
};

interface Denial {
  privileges: Set<Privilege>;
  /** No security role at all: even WhoAmI fails. */
  noRoles: boolean;
  target: PrivilegeTarget;
}

/** The security roles of callers, reduced to what the fault "app user lacks privileges" needs. */
export class PrivilegeSettings {
  private denials: Denial[] = [];

  deny(privileges: Privilege[] | 'all', target: PrivilegeTarget = 'all'): void {
    const t = target as unknown;
    if (
      !['all', 'application', 'user'].includes(t as string) &&
      !(typeof t === 'object' && t !== null && typeof (t as { oid?: unknown }).oid === 'string')
    ) {
      throw new RangeError(
        `privilege target must be 'all', 'application', 'user' or {oid}, got ${JSON.stringify(t)}`,
      );
    }
    for (const p of privileges === 'all' ? [] : privileges) {
      if (!PRIVILEGES.includes(p))
        throw new RangeError(`Unknown privilege '${p}' (known: ${PRIVILEGES.join(', ')})`);
    }
    this.denials.push({
      privileges: new Set(privileges === 'all' ? PRIVILEGES : privileges),
      noRoles: privileges === 'all',
      target,
    });
  }

  clear(): void {
    this.denials = [];
  }

  describe(): { privileges: Privilege[] | 'all'; target: PrivilegeTarget }[] {
    return this.denials.map((d) => ({
      privileges: d.noRoles ? 'all' : [...d.privileges],
      target: d.target,
    }));
  }

  /** Throws 403 PrivilegeDenied when the caller lacks one of `required`. */
  check(caller: CallerIdentity, ...required: Privilege[]): void {
    for (const denial of this.denials) {
      if (!applies(denial.target, caller)) continue;
      const missing = required.find((p) => denial.privileges.has(p));
      if (missing) throw privilegeDenied(caller, missing, denial.noRoles);
    }
  }

  /** WhoAmI works for any user with a security role; fails for one with none. */
  checkWhoAmI(caller: CallerIdentity): void {
    const denial = this.denials.find((d) => d.noRoles && applies(d.target, caller));
    if (denial) throw privilegeDenied(caller, 'prvReadUser', true);
  }
}

function applies(target: PrivilegeTarget, caller: CallerIdentity): boolean {
  if (target === 'all') return true;
  if (target === 'application' || target === 'user') return caller.kind === target;
  return target.oid.toLowerCase() === caller.oid;
}

function privilegeDenied(
  caller: CallerIdentity,
  privilege: string,
  noRoles: boolean,
): DataverseError {
  const [entity, otc] = (ENTITY as Partial<Record<string, [string, number]>>)[privilege] ?? [
    'systemuser',
    8,
  ];
  const type = caller.kind === 'application' ? 'type=8, accessMode=4' : 'type=8, accessMode=0';
  const roles = noRoles ? 'roleCount=0, privilegeCount=0' : 'roleCount=1, privilegeCount=180';
  return new DataverseError(
    403,
    ErrorCodes.privilegeDenied,
    `Principal user (Id=${caller.systemUserId}, ${type}, ${roles}), is missing ${privilege} privilege (Id=${namedGuid(0, privilege)}) on OTC=${otc} for entity '${entity}'. context: Method=${noRoles ? 'WhoAmI' : 'Execute'}, PrincipalId=${caller.systemUserId}`,
  );
}
