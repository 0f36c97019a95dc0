import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach unless its host is allow-listed: this machine, private
 * networks, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and
 * reserved ranges. Node's BlockList does the matching (it also matches IPv4-mapped IPv6).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** Whether an IP address is loopback, private, link-local or otherwise not on the internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address: refuse rather than guess
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A URL's host without IPv6 brackets, in lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

export class AddressRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddressRefused';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * Which hosts webhooks may reach: any whose addresses are all public, and those named in
 * NOTIFY_ALLOWED_HOSTS whatever they resolve to. Checked when a channel is saved and again at
 * each connection ({@link lookup}), so a name that resolves elsewhere later (DNS rebinding)
 * is refused at the address actually connected to.
 */
export class AddressPolicy {
  private readonly allowed: Set<string>;

  constructor(
    allowedHosts: string[],
    private readonly resolve: typeof dnsLookup = dnsLookup,
  ) {
    this.allowed = new Set(allowedHosts.map((h) => h.replace(/^\[|\]$/g, '').toLowerCase()));
  }

  isAllowListed(host: string): boolean {
    return this.allowed.has(host.replace(/^\[|\]$/g, '').toLowerCase());
  }

  /** Why the URL's host may not be used, or null when it may (resolves names). */
  async problem(url: URL): Promise<string | null> {
    const host = hostOf(url);
    if (this.isAllowListed(host)) return null;
    if (isIP(host) !== 0) return isPrivateAddress(host) ? refusal(host) : null;
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolveAll(host);
    } catch (error) {
      return `host ${host} cannot be resolved (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`;
    }
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    return bad ? refusal(host, bad.address) : null;
  }

  /**
   * A `lookup` for sockets (undici's connect options): resolves like dns.lookup and fails
   * with {@link AddressRefused} when a host that is not allow-listed resolves to a private
   * address.
   */
  readonly lookup = (
    hostname: string,
    options: { all?: boolean },
    callback: LookupCallback,
  ): void => {
    this.resolveAll(hostname).then(
      (addresses) => {
        const bad = this.isAllowListed(hostname)
          ? undefined
          : addresses.find((a) => isPrivateAddress(a.address));
        if (bad) callback(new AddressRefused(refusal(hostname, bad.address)), []);
        else if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: unknown) => {
        callback(error as NodeJS.ErrnoException, []);
      },
    );
  };

  private resolveAll(host: string): Promise<LookupAddress[]> {
    return new Promise((resolve, reject) => {
      this.resolve(host, { all: true }, (error, found) => {
        if (error) reject(error);
        else resolve(found);
      });
    });
  }
}

function refusal(host: string, address?: string): string {
  const what = address ? `host ${host} resolves to ${address}, a` : `${host} is a`;
  return `${what} loopback, private or link-local address; name the host in NOTIFY_ALLOWED_HOSTS to allow it`;
}
