/** Who made a request: set on the request by the auth guard; read by the roles guard and the audit log. */
export type Role = 'admin' | 'editor' | 'operator' | 'viewer';

export const ROLES: readonly Role[] = ['admin', 'editor', 'operator', 'viewer'];

export interface Principal {
  /** How they proved who they are. */
  kind: 'admin-token' | 'api-token' | 'user';
  /** Stable id: 'admin', the API token's id, or the person's Entra ID object id. */
  id: string;
  /** Display name: 'Admin token', the API token's name, or the person's name. */
  name: string;
  role: Role;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
