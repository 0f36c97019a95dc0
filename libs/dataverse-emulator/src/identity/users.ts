/** A person of the emulated tenant, as the sign-in page lists them. */
export interface EmulatorUser {
  /** User principal name (`ada@emulator.onmicrosoft.com`). */
  username: string;
  /** Display name; default derived from the user name. */
  name?: string;
  /** App roles assigned to the user on the app registration (the id_token's `roles` claim). */
  roles?: string[];
  /** Object ids of the security groups the user belongs to (the id_token's `groups` claim). */
  groups?: string[];
}

/** A security group of the seeded users (object id fixed, so tests and docs can name it). */
export const READERS_GROUP_ID = '5b0e7c3a-2f41-4d8e-9a6b-7c1d2e3f4a5b';

/**
 * The users every emulator starts with: one per Audience Sync role (by app role, the viewer by
 * group membership) and one with neither, who an app should refuse.
 */
export const DEFAULT_USERS: readonly EmulatorUser[] = [
  { username: 'admin@emulator.onmicrosoft.com', name: 'Ada Admin', roles: ['AudienceSync.Admin'] },
  {
    username: 'editor@emulator.onmicrosoft.com',
    name: 'Eddie Editor',
    roles: ['AudienceSync.Editor'],
  },
  {
    username: 'operator@emulator.onmicrosoft.com',
    name: 'Olga Operator',
    roles: ['AudienceSync.Operator'],
  },
  { username: 'viewer@emulator.onmicrosoft.com', name: 'Vic Viewer', groups: [READERS_GROUP_ID] },
  { username: 'guest@emulator.onmicrosoft.com', name: 'Gus Guest' },
];

/** Checks configured users: a user name each, no duplicates, string lists. */
export function checkUsers(users: readonly EmulatorUser[]): void {
  const seen = new Set<string>();
  for (const [i, user] of users.entries()) {
    if (typeof user.username !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(user.username)) {
      throw new RangeError(`users[${i}].username must be a user principal name (name@domain)`);
    }
    const key = user.username.toLowerCase();
    if (seen.has(key))
      throw new RangeError(`users[${i}].username ${user.username} is listed twice`);
    seen.add(key);
    for (const list of ['roles', 'groups'] as const) {
      const value = user[list];
      if (
        value !== undefined &&
        (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      ) {
        throw new RangeError(`users[${i}].${list} must be a list of strings`);
      }
    }
  }
}
