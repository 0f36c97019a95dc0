import type { ErrorDetail } from '@platform/errors/app-error';
import { checkDefinitionColumns, parseDataverseOptions } from './dataverse-options';

const noProblems = (): ErrorDetail[] => [];
const valid = {
  serverAddress: 'https://contoso.crm.dynamics.com/',
  auth: {
    kind: 'clientCredentials',
    tenantId: 'contoso.onmicrosoft.com',
    clientId: 'A1B2C3D4-0000-4000-8000-000000000001',
    clientSecret: 's3cret',
  },
};

describe('parseDataverseOptions', () => {
  it('fills in defaults and takes the secret out of the options', () => {
    const parsed = parseDataverseOptions(valid, noProblems);
    expect(parsed.errors).toEqual([]);
    expect(parsed.clientSecret).toBe('s3cret');
    expect(parsed.options).toEqual({
      serverAddress: 'https://contoso.crm.dynamics.com',
      auth: {
        kind: 'clientCredentials',
        tenantId: 'contoso.onmicrosoft.com',
        clientId: 'a1b2c3d4-0000-4000-8000-000000000001',
      },
      table: 'contacts',
      columns: [],
      pageSize: 5000,
    });
    expect(JSON.stringify(parsed.options)).not.toContain('s3cret');
  });

  it('names every wrong option', () => {
    const parsed = parseDataverseOptions(
      {
        auth: { kind: 'certificate', tenantId: 'no spaces', clientId: 'x', clientSecret: '' },
        table: 'contacts?$top=1',
        columns: 'telephone1',
        pageSize: 0,
      },
      noProblems,
    );
    expect(parsed.errors.map((e) => e.path)).toEqual([
      'options.serverAddress',
      'options.auth.kind',
      'options.auth.tenantId',
      'options.auth.clientId',
      'options.auth.clientSecret',
      'options.table',
      'options.columns',
      'options.pageSize',
    ]);
    expect(parseDataverseOptions('x', noProblems).errors).toEqual([
      { path: 'options', message: expect.stringMatching(/must be an object/) },
    ]);
  });

  it('prefixes the connection check’s problems with options', () => {
    const parsed = parseDataverseOptions(valid, () => [
      { path: 'auth.authorityHost', message: 'not allowed' },
    ]);
    expect(parsed.errors).toEqual([{ path: 'options.auth.authorityHost', message: 'not allowed' }]);
  });
});

describe('checkDefinitionColumns', () => {
  it('wants lower-case logical names and says which', () => {
    expect(
      checkDefinitionColumns({
        primaryKey: 'contactid',
        mapping: {
          email: { column: 'EMailAddress1', type: 'string' },
          city: { column: 'address1 city', type: 'string' },
          parent: { column: '_parentcustomerid_value', type: 'string' },
        },
        lastModifiedColumn: 'ModifiedOn',
      }),
    ).toEqual([
      { path: 'mapping.email', message: expect.stringMatching(/lower case \(emailaddress1\)/) },
      { path: 'mapping.city', message: expect.stringMatching(/not a column logical name/) },
      { path: 'lastModifiedColumn', message: expect.stringMatching(/lower case \(modifiedon\)/) },
    ]);
  });
});
