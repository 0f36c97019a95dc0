import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { Role } from '../api/types';
import { whoAmI } from './session';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, editor: 2, admin: 3 };

/** Who is signed in (GET /api/me), asked once per sign-in: the query cache is cleared then. */
export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: whoAmI, staleTime: Infinity });
}

/**
 * Whether the signed-in role includes `least` (admin ⊇ editor ⊇ operator ⊇ viewer). False until
 * /api/me answered: the UI shows no action it is not sure of. The server decides in any case.
 */
export function useCan(least: Role): boolean {
  const role = useMe().data?.role;
  return role !== undefined && RANK[role] >= RANK[least];
}

/** Shows its children only to roles that include `least`. */
export function Can({ least, children }: { least: Role; children: ReactNode }) {
  return useCan(least) ? <>{children}</> : null;
}

/**
 * A form's fields, disabled for roles below `least`: they can read what is set but change
 * nothing (its add/remove buttons included).
 */
export function EditableBy({ least, children }: { least: Role; children: ReactNode }) {
  return (
    <fieldset className="plain" disabled={!useCan(least)}>
      {children}
    </fieldset>
  );
}
