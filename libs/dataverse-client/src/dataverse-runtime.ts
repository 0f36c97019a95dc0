import { createHash } from 'node:crypto';
import type { Agent } from 'undici';
import {
  authorityFor,
  normalizeServerAddress,
  scopesFor,
  type DataverseAuth,
  type DelegatedAuth,
} from './auth-settings';
import { ClientCredentialsTokenProvider } from './client-credentials-token-provider';
import { DataverseClient, type DataverseClientOptions } from './dataverse-client';
import { DelegatedTokenProvider, type TokenCacheListener } from './delegated-token-provider';
import { startDeviceCodeSignIn, type DeviceCodeSignIn } from './device-code-sign-in';
import { isDataverseError } from './errors';
import { HostAllowList } from './host-allow-list';
import { HttpTransport } from './http-transport';
import { createHttpsDispatcher, type HttpsDispatcherOptions } from './https-dispatcher';
import type { ClientLogger } from './msal-configuration';
import type { TokenProvider } from './token-provider';

/** Where and how to connect: the organization URL and the credential. */
export interface DataverseConnectionSettings {
  serverAddress: string;
  auth: DataverseAuth;
}

export interface DataverseRuntimeOptions {
  /** `ALLOWED_HOSTS` patterns beside the Microsoft clouds. */
  allowedHosts?: readonly string[];
  /** PEM certificates of extra CAs (`EXTRA_CA_CERTS` contents). */
  extraCaCertificates?: readonly string[];
  https?: Omit<HttpsDispatcherOptions, 'extraCaCertificates'>;
  logger?: ClientLogger;
  now?: () => number;
  /** Defaults for every client (retry budget, parallelism cap). */
  client?: Pick<
    DataverseClientOptions,
    'maxParallel' | 'initialParallel' | 'retry' | 'sleep' | 'random'
  >;
}

export interface ConnectOptions {
  /**
   * Separates delegated sign-ins that share an application (e.g. the destination id). Each key
   * has its own MSAL client and cache.
   */
  cacheKey?: string;
  /** Receives the rotated token cache of a delegated sign-in, to be stored encrypted. */
  onTokenCacheChanged?: TokenCacheListener;
  client?: Partial<Omit<DataverseClientOptions, 'serverAddress' | 'tokens' | 'transport'>>;
}

const MAX_PROVIDERS = 200;

/**
 * Everything a process needs to talk to Dataverse, built once from its settings and shared by the
 * Dynamics destination and the Dataverse source: the allow-list, one HTTPS agent, and one MSAL
 * token provider per credential (cached so MSAL's token cache works across runs).
 */
export class DataverseRuntime {
  readonly allowList: HostAllowList;
  readonly transport: HttpTransport;
  private readonly dispatcher: Agent;
  private readonly providers = new Map<string, TokenProvider>();
  private readonly now: () => number;

  constructor(private readonly options: DataverseRuntimeOptions = {}) {
    this.allowList = new HostAllowList(options.allowedHosts ?? []);
    this.dispatcher = createHttpsDispatcher({
      ...options.https,
      extraCaCertificates: options.extraCaCertificates ?? [],
    });
    this.transport = new HttpTransport(this.dispatcher, this.allowList);
    this.now = options.now ?? Date.now;
  }

  /**
   * Problems with the settings, each with the dotted path of the field (`serverAddress`,
   * `auth.authorityHost`); empty when they are usable. Checks only what needs no network.
   */
  validate(settings: {
    serverAddress?: unknown;
    auth?: Partial<DataverseAuth>;
  }): Array<{ path: string; message: string }> {
    const problems: Array<{ path: string; message: string }> = [];
    let server: string | null = null;
    if (typeof settings.serverAddress !== 'string' || settings.serverAddress === '') {
      problems.push({ path: 'serverAddress', message: 'is required' });
    } else {
      try {
        server = normalizeServerAddress(settings.serverAddress, this.allowList);
      } catch (error) {
        problems.push({ path: 'serverAddress', message: messageOf(error) });
      }
    }
    const auth = settings.auth;
    if (server !== null && auth !== undefined) {
      try {
        authorityFor(
          { tenantId: auth.tenantId, authorityHost: auth.authorityHost },
          server,
          this.allowList,
        );
      } catch (error) {
        const message = messageOf(error);
        problems.push({
          // Messages name the field by its form label (the path says where it is).
          path: message.startsWith('Tenant id') ? 'auth.tenantId' : 'auth.authorityHost',
          message,
        });
      }
    }
    return problems;
  }

  /** A client for the organization; throws a CONFIG DataverseError for unusable settings. */
  connect(settings: DataverseConnectionSettings, options: ConnectOptions = {}): DataverseClient {
    const serverAddress = normalizeServerAddress(settings.serverAddress, this.allowList);
    const tokens = this.tokenProvider(serverAddress, settings.auth, options);
    return new DataverseClient({
      ...this.options.client,
      ...options.client,
      logger: options.client?.logger ?? this.options.logger,
      serverAddress,
      tokens,
      transport: this.transport,
    });
  }

  /** Starts a device-code sign-in for a delegated credential. */
  async startDeviceCodeSignIn(settings: {
    serverAddress: string;
    auth: Pick<DelegatedAuth, 'tenantId' | 'clientId' | 'authorityHost'>;
  }): Promise<DeviceCodeSignIn> {
    const serverAddress = normalizeServerAddress(settings.serverAddress, this.allowList);
    return startDeviceCodeSignIn({
      auth: settings.auth,
      authority: authorityFor(settings.auth, serverAddress, this.allowList),
      scopes: scopesFor('delegated', serverAddress),
      transport: this.transport,
      now: this.now,
      logger: this.options.logger,
    });
  }

  /** Closes the HTTPS connections (process shutdown). */
  async close(): Promise<void> {
    this.providers.clear();
    await this.dispatcher.close();
  }

  private tokenProvider(
    serverAddress: string,
    auth: DataverseAuth,
    options: ConnectOptions,
  ): TokenProvider {
    const authority = authorityFor(auth, serverAddress, this.allowList);
    const scopes = scopesFor(auth.kind, serverAddress);
    const key = credentialKey(auth, authority, serverAddress, options.cacheKey);
    const cached = this.providers.get(key);
    if (cached instanceof DelegatedTokenProvider && auth.kind === 'delegated') {
      cached.replaceTokenCache(auth.tokenCache);
      cached.listener = options.onTokenCacheChanged;
    }
    if (cached !== undefined) {
      // Most recently used last, so the oldest is evicted first.
      this.providers.delete(key);
      this.providers.set(key, cached);
      return cached;
    }
    const provider =
      auth.kind === 'clientCredentials'
        ? new ClientCredentialsTokenProvider(
            auth,
            authority,
            scopes,
            this.transport,
            this.now,
            this.options.logger,
          )
        : new DelegatedTokenProvider(
            auth,
            authority,
            scopes,
            this.transport,
            this.now,
            this.options.logger,
            options.onTokenCacheChanged,
          );
    this.providers.set(key, provider);
    if (this.providers.size > MAX_PROVIDERS) {
      const oldest = this.providers.keys().next().value;
      if (oldest !== undefined) this.providers.delete(oldest);
    }
    return provider;
  }
}

/** One MSAL client per credential: the key hashes everything that identifies it (secret included). */
function credentialKey(
  auth: DataverseAuth,
  authority: string,
  serverAddress: string,
  cacheKey?: string,
): string {
  const parts =
    auth.kind === 'clientCredentials'
      ? [auth.kind, authority, auth.clientId, auth.clientSecret, serverAddress]
      : [auth.kind, authority, auth.clientId, serverAddress, cacheKey ?? ''];
  return createHash('sha256').update(parts.join('\u0000')).digest('hex');
}

function messageOf(error: unknown): string {
  return isDataverseError(error) || error instanceof Error ? error.message : String(error);
}
