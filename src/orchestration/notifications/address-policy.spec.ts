import type { LookupAddress } from 'node:dns';
import type { lookup } from 'node:dns';
import { AddressPolicy, AddressRefused, isPrivateAddress } from './address-policy';

/** A resolver answering from a table (what DNS says now). */
function fakeDns(table: Partial<Record<string, string[]>>): typeof lookup {
  return ((host: string, _options: unknown, callback: (e: unknown, a: LookupAddress[]) => void) => {
    const found = table[host];
    if (!found) {
      callback(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
      return;
    }
    callback(
      null,
      found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
  }) as unknown as typeof lookup;
}

function lookupOnce(policy: AddressPolicy, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    policy.lookup(host, {}, (error, address) => {
      if (error) reject(error);
      else resolve(address as string);
    });
  });
}

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.3.4.5',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:10.1.2.3',
    '224.0.0.1',
    'not an address',
  ])('%s is refused', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('AddressPolicy', () => {
  const dns = fakeDns({
    'hooks.example.com': ['93.184.216.34'],
    'internal.example.com': ['93.184.216.34', '10.0.0.7'],
    'hooks.local': ['192.168.1.20'],
  });

  it('refuses URLs whose host is or resolves to a private address, naming it', async () => {
    const policy = new AddressPolicy([], dns);
    expect(await policy.problem(new URL('https://hooks.example.com/x'))).toBeNull();
    expect(await policy.problem(new URL('https://internal.example.com/x'))).toMatch(
      /internal\.example\.com resolves to 10\.0\.0\.7, a loopback, private or link-local address; name the host in NOTIFY_ALLOWED_HOSTS/,
    );
    expect(await policy.problem(new URL('http://127.0.0.1:8080/'))).toMatch(
      /^127\.0\.0\.1 is a loopback/,
    );
    expect(await policy.problem(new URL('http://[::1]:8080/'))).toMatch(/^::1 is a loopback/);
    expect(await policy.problem(new URL('https://nowhere.example.com/'))).toMatch(
      /cannot be resolved \(ENOTFOUND\)/,
    );
  });

  it('lets allow-listed hosts through whatever they resolve to', async () => {
    const policy = new AddressPolicy(['127.0.0.1', 'Hooks.Local'], dns);
    expect(await policy.problem(new URL('http://127.0.0.1:8080/'))).toBeNull();
    expect(await policy.problem(new URL('https://hooks.local/'))).toBeNull();
    expect(await lookupOnce(policy, 'hooks.local')).toBe('192.168.1.20');
  });

  it('checks again at connection time: a name that now resolves to a private address is refused', async () => {
    let answer = ['93.184.216.34'];
    const rebinding = ((host: string, o: unknown, cb: (e: unknown, a: LookupAddress[]) => void) => {
      fakeDns({ 'rebind.example.com': answer })(host, o as never, cb as never);
    }) as unknown as typeof lookup;
    const policy = new AddressPolicy([], rebinding);
    expect(await policy.problem(new URL('https://rebind.example.com/'))).toBeNull();
    expect(await lookupOnce(policy, 'rebind.example.com')).toBe('93.184.216.34');
    answer = ['169.254.169.254'];
    await expect(lookupOnce(policy, 'rebind.example.com')).rejects.toBeInstanceOf(AddressRefused);
  });
});
