import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const ALLOW = 'audience-sync:allow';

/**
 * The least role that may call a route (on a handler, or on a controller for all its routes;
 * the handler's wins). Roles are ordered: admin ⊇ editor ⊇ operator ⊇ viewer. A route without
 * it is open to viewers when it reads (GET) and to admins only otherwise (see role-policy.ts).
 */
export const Allow = (role: Role) => SetMetadata(ALLOW, role);
