import { isIP } from 'node:net';
import { CLOUDS, DEFAULT_AUTHORITY_HOSTS, DEFAULT_DATAVERSE_HOSTS } from './clouds';
import { DataverseError, DataverseErrorKind } from './errors';

/** What a URL is for: the organization (Dataverse Web API) or the sign-in authority (Entra ID). */
export type HostPurpose = 'dataverse' | 'authority';

interface HostRule {
  /** The pattern as written (`*.crm.dynamics.com`, `localhost:8443`). */
  pattern: string;
  /** Exact host, or the suffix after `*.` for wildcards. */
  host: string;
  wildcard: boolean;
  /** Required port; null = the default HTTPS port only. */
  port: number | null;
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Which hosts outgoing Dataverse and Entra ID requests may reach, so a destination's settings cannot
 * turn the server against internal addresses (SSRF). By default only the Microsoft clouds
 * ({@link CLOUDS}); `ALLOWED_HOSTS` patterns (`host`, `host:port`, `*.domain`, `*.domain:port`)
 * extend both lists. Every URL must be `https:`, without user info; a non-default port must be
 * named by a pattern; IP literals are refused unless a pattern names that exact address
 * (wildcards never match an IP).
 */
export class HostAllowList {
  private readonly dataverse: HostRule[];
  private readonly authority: HostRule[];
  private readonly extra: HostRule[];

  /**
   * @param extraPatterns `ALLOWED_HOSTS` entries. A malformed entry throws a CONFIG error naming it.
   */
  constructor(extraPatterns: readonly string[] = []) {
    this.dataverse = DEFAULT_DATAVERSE_HOSTS.map((p) => parseRule(p));
    this.authority = DEFAULT_AUTHORITY_HOSTS.map((p) => parseRule(p));
    this.extra = extraPatterns.map((p) => parseRule(p.trim()));
  }

  /** The extra patterns, as configured. */
  get extraPatterns(): string[] {
    return this.extra.map((r) => r.pattern);
  }

  /**
   * Why `value` may not be used for `purpose`, in words (null when fine). `what` names the setting
   * in the message (`serverAddress`).
   */
  problem(value: string, purpose: HostPurpose, what = 'The address'): string | null {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return `${what} is not a valid URL (expected e.g. ${example(purpose)}).`;
    }
    if (url.protocol !== 'https:') {
      return `${what} must use https:// (got ${url.protocol.replace(':', '')}://).`;
    }
    if (url.username !== '' || url.password !== '') {
      return `${what} must not contain a user name or password.`;
    }
    const host = url.hostname.toLowerCase();
    const bare = host.startsWith('[') ? host.slice(1, -1) : host;
    const port = url.port === '' ? null : Number(url.port);
    const ip = isIP(bare) !== 0;
    if (host.endsWith('.')) return `${what} must not end its host name with a dot.`;
    const rules = [...(purpose === 'dataverse' ? this.dataverse : this.authority), ...this.extra];
    if (rules.some((rule) => matches(rule, bare, port, ip))) return null;
    const shown = port === null ? host : `${host}:${port}`;
    if (ip) {
      return `${what} uses the IP address ${shown}; use the host name of ${describe(purpose)} (IP addresses are allowed only when listed exactly in ALLOWED_HOSTS).`;
    }
    const ports = rules
      .filter((rule) => matches(rule, bare, rule.port, ip))
      .map((r) => r.port ?? 443);
    if (ports.length > 0) {
      return `${what} uses port ${port ?? 443}, which is not allowed for ${host} (allowed: ${ports.join(', ')}); add "${shown}" to ALLOWED_HOSTS to allow it.`;
    }
    return `${what}: ${shown} is not ${describe(purpose)}; allowed: ${allowedSummary(purpose)}${this.extra.length > 0 ? `, ${this.extraPatterns.join(', ')}` : ''}. Add it to ALLOWED_HOSTS to allow it.`;
  }

  /** Whether `value` is allowed for `purpose`. */
  allows(value: string, purpose: HostPurpose): boolean {
    return this.problem(value, purpose) === null;
  }

  /** Whether the URL is allowed for either purpose (requests the client follows, MSAL's calls). */
  allowsAny(value: string): boolean {
    return this.allows(value, 'dataverse') || this.allows(value, 'authority');
  }

  /** Throws a CONFIG {@link DataverseError} when `value` is not allowed; returns the parsed URL. */
  check(value: string, purpose: HostPurpose, what?: string): URL {
    const problem = this.problem(value, purpose, what);
    if (problem !== null) {
      throw new DataverseError({ kind: DataverseErrorKind.CONFIG, message: problem });
    }
    return new URL(value);
  }
}

function parseRule(raw: string): HostRule {
  const fail = (why: string): never => {
    throw new DataverseError({
      kind: DataverseErrorKind.CONFIG,
      message: `ALLOWED_HOSTS entry "${raw}" ${why} (expected host, host:port, *.domain or *.domain:port).`,
    });
  };
  const text = raw.toLowerCase();
  if (text === '') fail('is empty');
  if (/[/@?#\s]/.test(text) || text.includes('://')) fail('must be a host, not a URL');
  let hostPart = text;
  let port: number | null = null;
  const bracket = /^\[([0-9a-f:.]+)\](?::(\d+))?$/.exec(text);
  if (bracket) {
    hostPart = bracket[1];
    if (bracket[2]) port = Number(bracket[2]);
  } else {
    const colon = text.lastIndexOf(':');
    if (colon >= 0 && text.indexOf(':') === colon) {
      hostPart = text.slice(0, colon);
      const portText = text.slice(colon + 1);
      if (!/^\d{1,5}$/.test(portText)) fail('has an invalid port');
      port = Number(portText);
    } else if (colon >= 0) {
      fail('is an IPv6 address without brackets');
    }
  }
  if (port !== null && (port < 1 || port > 65535)) fail('has a port outside 1-65535');
  if (port === 443) port = null;
  if (isIP(hostPart) !== 0) return { pattern: raw, host: hostPart, wildcard: false, port };
  const wildcard = hostPart.startsWith('*.');
  const host = wildcard ? hostPart.slice(2) : hostPart;
  if (host.includes('*')) fail('may use * only as the first label (*.domain)');
  const labels = host.split('.');
  if (labels.some((label) => !LABEL.test(label))) fail('is not a valid host name');
  if (wildcard && labels.length < 2) fail('must name at least a two-label domain after *.');
  return { pattern: raw, host, wildcard, port };
}

function matches(rule: HostRule, host: string, port: number | null, ip: boolean): boolean {
  if (rule.port !== port) return false;
  if (rule.wildcard) return !ip && host.endsWith(`.${rule.host}`);
  return host === rule.host;
}

function describe(purpose: HostPurpose): string {
  return purpose === 'dataverse' ? 'a Dynamics 365 organization' : 'an Entra ID sign-in host';
}

function example(purpose: HostPurpose): string {
  return purpose === 'dataverse'
    ? 'https://contoso.crm.dynamics.com'
    : 'https://login.microsoftonline.com';
}

function allowedSummary(purpose: HostPurpose): string {
  if (purpose === 'authority') return DEFAULT_AUTHORITY_HOSTS.join(', ');
  return [
    '*.crm.dynamics.com, *.crm2 … *.crm21.dynamics.com',
    ...CLOUDS.slice(1).flatMap((c) => c.dataverse),
  ].join(', ');
}
