import { parseRoleMap, roleFor } from './role-map';

describe('role map', () => {
  const map = parseRoleMap(
    'AudienceSync.Admin=admin, AudienceSync.Editor=editor,AudienceSync.Operator=operator,group:5B0E7C3A-2F41-4D8E-9A6B-7C1D2E3F4A5B=viewer',
  );

  it('parses app roles and groups', () => {
    expect(map).toEqual([
      { kind: 'app-role', value: 'AudienceSync.Admin', role: 'admin' },
      { kind: 'app-role', value: 'AudienceSync.Editor', role: 'editor' },
      { kind: 'app-role', value: 'AudienceSync.Operator', role: 'operator' },
      { kind: 'group', value: '5B0E7C3A-2F41-4D8E-9A6B-7C1D2E3F4A5B', role: 'viewer' },
    ]);
  });

  it('gives the strongest mapped role, matching groups without regard to case', () => {
    expect(roleFor({ roles: ['AudienceSync.Editor'] }, map)).toBe('editor');
    expect(roleFor({ roles: ['AudienceSync.Operator', 'AudienceSync.Admin'] }, map)).toBe('admin');
    expect(
      roleFor(
        { roles: ['AudienceSync.Operator'], groups: ['5b0e7c3a-2f41-4d8e-9a6b-7c1d2e3f4a5b'] },
        map,
      ),
    ).toBe('operator');
    expect(roleFor({ groups: ['5b0e7c3a-2f41-4d8e-9a6b-7c1d2e3f4a5b'] }, map)).toBe('viewer');
  });

  it('maps nobody whose claims match no entry, and ignores malformed claims', () => {
    expect(roleFor({}, map)).toBeNull();
    expect(roleFor({ roles: ['audiencesync.admin'] }, map)).toBeNull();
    expect(roleFor({ roles: 'AudienceSync.Admin', groups: [42] }, map)).toBeNull();
  });

  it('names the wrong entry', () => {
    expect(() => parseRoleMap('')).toThrow(/at least one/);
    expect(() => parseRoleMap('AudienceSync.Admin')).toThrow(/"AudienceSync.Admin" must be/);
    expect(() => parseRoleMap('AudienceSync.Admin=owner')).toThrow(
      /role "owner"; roles are admin, editor, operator, viewer/,
    );
    expect(() => parseRoleMap('group:=viewer')).toThrow(/names no app role or group id/);
    expect(() => parseRoleMap('A=admin,A=viewer')).toThrow(/maps A a second time/);
  });
});
