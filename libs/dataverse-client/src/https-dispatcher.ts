import { rootCertificates } from 'node:tls';
import { Agent } from 'undici';

export interface HttpsDispatcherOptions {
  /** PEM certificates of extra CAs to trust beside the default roots (`EXTRA_CA_CERTS`). */
  extraCaCertificates?: readonly string[];
  /** Connections kept per origin (default 64: above Dataverse's 52 concurrent requests). */
  connectionsPerOrigin?: number;
  /** Idle keep-alive time of a connection (default 30 s). */
  keepAliveMs?: number;
  /** Time to wait for response headers / between body chunks (default 120 s each). */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Time to wait for the TCP + TLS connection (default 15 s). */
  connectTimeoutMs?: number;
}

/**
 * The one HTTPS agent all Dataverse and Entra ID calls go through (the Dataverse client and MSAL's
 * network module): keep-alive, a bounded number of connections per origin, and certificate
 * verification against Node's default roots plus the configured extra CAs. Verification is never
 * disabled; the same agent serves a real organization and the emulator.
 *
 * Node 20 has no API for the operating system's store, so "system roots" are Node's bundled roots
 * (what `https` trusts by default); passing `ca` replaces the defaults, hence both are given.
 */
export function createHttpsDispatcher(options: HttpsDispatcherOptions = {}): Agent {
  const extra = (options.extraCaCertificates ?? []).filter((pem) => pem.trim() !== '');
  return new Agent({
    connections: options.connectionsPerOrigin ?? 64,
    keepAliveTimeout: options.keepAliveMs ?? 30_000,
    keepAliveMaxTimeout: 10 * 60_000,
    headersTimeout: options.headersTimeoutMs ?? 120_000,
    bodyTimeout: options.bodyTimeoutMs ?? 120_000,
    connectTimeout: options.connectTimeoutMs ?? 15_000,
    allowH2: false,
    connect: {
      rejectUnauthorized: true,
      ...(extra.length > 0 ? { ca: [...rootCertificates, ...extra] } : {}),
    },
  });
}
