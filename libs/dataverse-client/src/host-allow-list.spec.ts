import { DataverseErrorKind } from './errors';
import { HostAllowList } from './host-allow-list';

describe('HostAllowList', () => {
  const defaults = new HostAllowList();

  it.each([
    'https://contoso.crm.dynamics.com',
    'https://contoso.crm4.dynamics.com/',
    'https://contoso.crm21.dynamics.com',
    'https://contoso.api.crm.dynamics.com',
    'https://agency.crm9.dynamics.com',
    'https://contoso.crm.dynamics.cn',
    'https://agency.crm.microsoftdynamics.us',
    'https://agency.crm.appsplatform.us',
    'https://CONTOSO.CRM.DYNAMICS.COM',
  ])('allows the Dynamics 365 cloud address %s', (url) => {
    expect(defaults.problem(url, 'dataverse')).toBeNull();
  });

  it.each([
    'https://login.microsoftonline.com/tenant',
    'https://login.microsoftonline.us',
    'https://login.chinacloudapi.cn',
    'https://login.partner.microsoftonline.cn',
  ])('allows the Entra ID host %s as an authority', (url) => {
    expect(defaults.problem(url, 'authority')).toBeNull();
  });

  it.each([
    ['http://contoso.crm.dynamics.com', /must use https:\/\/ \(got http:\/\/\)/],
    ['ftp://contoso.crm.dynamics.com', /must use https:\/\//],
    ['https://user:pw@contoso.crm.dynamics.com', /must not contain a user name or password/],
    ['https://127.0.0.1', /IP address 127\.0\.0\.1/],
    ['https://[::1]:8443', /IP address \[::1\]:8443/],
    ['https://2130706433', /IP address 127\.0\.0\.1/],
    ['https://169.254.169.254', /IP address/],
    ['https://localhost', /localhost is not a Dynamics 365 organization/],
    ['https://contoso.crm.dynamics.com:8443', /port 8443, which is not allowed/],
    ['https://contoso.crm.dynamics.com.', /must not end its host name with a dot/],
    ['https://crm.dynamics.com', /not a Dynamics 365 organization/],
    ['https://contoso.crm22.dynamics.com', /Add it to ALLOWED_HOSTS/],
    ['https://evil.example/contoso.crm.dynamics.com', /evil\.example is not/],
    ['https://contoso.crm.dynamics.com.evil.example', /not a Dynamics 365 organization/],
    ['not a url', /not a valid URL/],
  ])('refuses %s with a clear message', (url, message) => {
    expect(defaults.problem(url, 'dataverse', 'serverAddress')).toMatch(message);
  });

  it('does not accept organization hosts as authorities, nor sign-in hosts as organizations', () => {
    expect(defaults.problem('https://contoso.crm.dynamics.com', 'authority')).toMatch(
      /not an Entra ID sign-in host/,
    );
    expect(defaults.problem('https://login.microsoftonline.com', 'dataverse')).toMatch(
      /not a Dynamics 365 organization/,
    );
  });

  it('extends both lists with ALLOWED_HOSTS patterns: host, host:port, *.domain, IPs listed exactly', () => {
    const list = new HostAllowList([
      'localhost:8443',
      '*.dataverse.test',
      '127.0.0.1:9443',
      '[::1]:9443',
      'sts.test',
    ]);
    expect(list.problem('https://localhost:8443', 'dataverse')).toBeNull();
    expect(list.problem('https://localhost:8443/tenant', 'authority')).toBeNull();
    expect(list.problem('https://localhost', 'dataverse')).toMatch(/localhost/);
    expect(list.problem('https://localhost:9999', 'dataverse')).toMatch(/port 9999/);
    expect(list.problem('https://org.dataverse.test', 'dataverse')).toBeNull();
    expect(list.problem('https://a.b.dataverse.test', 'dataverse')).toBeNull();
    expect(list.problem('https://dataverse.test', 'dataverse')).not.toBeNull();
    expect(list.problem('https://org.dataverse.test:444', 'dataverse')).toMatch(/port 444/);
    expect(list.problem('https://127.0.0.1:9443', 'dataverse')).toBeNull();
    expect(list.problem('https://[::1]:9443', 'authority')).toBeNull();
    expect(list.problem('https://127.0.0.1:9444', 'dataverse')).toMatch(/IP address/);
    expect(list.problem('https://sts.test:443', 'authority')).toBeNull();
    // Defaults stay allowed.
    expect(list.problem('https://contoso.crm.dynamics.com', 'dataverse')).toBeNull();
    expect(list.extraPatterns).toHaveLength(5);
  });

  it('never lets a wildcard match an IP address', () => {
    const list = new HostAllowList(['*.0.0.1']);
    expect(list.problem('https://127.0.0.1', 'dataverse')).toMatch(/IP address/);
  });

  it.each([
    ['https://localhost:8443', /must be a host, not a URL/],
    ['user@host', /must be a host, not a URL/],
    ['host:99999', /port outside 1-65535/],
    ['host:abc', /invalid port/],
    ['a.*.example', /may use \* only as the first label/],
    ['*.com', /at least a two-label domain/],
    ['-bad-.example', /not a valid host name/],
    ['::1', /IPv6 address without brackets/],
    ['', /is empty/],
  ])('refuses the malformed ALLOWED_HOSTS entry %j, naming it', (pattern, message) => {
    let thrown: unknown;
    try {
      new HostAllowList([pattern]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ kind: DataverseErrorKind.CONFIG });
    expect((thrown as Error).message).toMatch(/^ALLOWED_HOSTS entry/);
    expect((thrown as Error).message).toMatch(message);
  });

  it('check() throws a CONFIG error and answers the parsed URL when allowed', () => {
    expect(defaults.check('https://contoso.crm.dynamics.com/', 'dataverse').host).toBe(
      'contoso.crm.dynamics.com',
    );
    expect(() => defaults.check('https://10.0.0.5', 'dataverse', 'serverAddress')).toThrow(
      /serverAddress uses the IP address 10\.0\.0\.5/,
    );
  });
});
