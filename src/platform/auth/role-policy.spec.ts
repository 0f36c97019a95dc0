import { ROLES } from './principal';
import { leastRole, mayAct } from './role-policy';

describe('role policy', () => {
  it('orders the roles admin ⊇ editor ⊇ operator ⊇ viewer', () => {
    expect(ROLES.filter((r) => mayAct(r, 'operator'))).toEqual(['admin', 'editor', 'operator']);
    expect(ROLES.filter((r) => mayAct(r, 'admin'))).toEqual(['admin']);
    expect(ROLES.filter((r) => mayAct(r, 'viewer'))).toEqual([...ROLES]);
  });

  it('opens undecided reads to viewers and keeps undecided writes for admins', () => {
    expect(leastRole(undefined, 'GET')).toBe('viewer');
    for (const m of ['POST', 'PUT', 'PATCH', 'DELETE'])
      expect(leastRole(undefined, m)).toBe('admin');
    expect(leastRole('operator', 'POST')).toBe('operator');
    expect(leastRole('admin', 'GET')).toBe('admin');
  });
});
