import { sameOrigin } from './url-origin';

describe('sameOrigin', () => {
  it('compares scheme, host and port, not spelling', () => {
    expect(sameOrigin('https://Org.crm.dynamics.com/', 'https://org.crm.dynamics.com')).toBe(true);
    expect(sameOrigin('https://login.example:443', 'https://login.example')).toBe(true);
    expect(sameOrigin(undefined, '')).toBe(true);
    expect(sameOrigin(null, undefined)).toBe(true);
  });

  it('tells another host, port or scheme apart, and a value set from one left out', () => {
    expect(sameOrigin('https://a.crm.dynamics.com', 'https://b.crm.dynamics.com')).toBe(false);
    expect(sameOrigin('https://127.0.0.1:8443', 'https://127.0.0.1:8444')).toBe(false);
    expect(sameOrigin('https://login.example', 'http://login.example')).toBe(false);
    expect(sameOrigin(undefined, 'https://login.microsoftonline.com')).toBe(false);
    expect(sameOrigin('not a url', 'not a url')).toBe(true);
    expect(sameOrigin('not a url', 'another')).toBe(false);
  });
});
