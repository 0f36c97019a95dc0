import {
  PublicClientApplication,
  type ICachePlugin,
  type TokenCacheContext,
} from '@azure/msal-node';
import { authError } from './auth-errors';
import type { DelegatedAuth } from './auth-settings';
import { DataverseError, DataverseErrorKind } from './errors';
import type { HttpTransport } from './http-transport';
import { msalConfiguration, type ClientLogger } from './msal-configuration';
import { MsalNetworkClient } from './msal-network-client';
import { CachedTokenProvider, type AcquiredToken } from './token-provider';

/** Called with MSAL's serialized cache whenever it changed (a rotated refresh token). */
export type TokenCacheListener = (serialized: string) => Promise<void> | void;

/**
 * Keeps one MSAL cache in a string: loaded from the stored secret, handed to the listener after
 * every change so the rotated refresh token is persisted (encrypted, by the caller).
 */
export class StringCachePlugin implements ICachePlugin {
  private loaded = false;

  constructor(
    public serialized: string | undefined,
    public listener?: TokenCacheListener,
  ) {}

  beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!this.loaded && this.serialized) context.tokenCache.deserialize(this.serialized);
    this.loaded = true;
    return Promise.resolve();
  }

  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (!context.cacheHasChanged) return;
    this.serialized = context.tokenCache.serialize();
    await this.listener?.(this.serialized);
  }
}

/**
 * Delegated tokens (scope `<org>/user_impersonation`) for the person who signed in with a device
 * code: `acquireTokenSilent` with the refresh token from the stored cache; MSAL refreshes before
 * expiry and the rotated cache goes to the listener.
 */
export class DelegatedTokenProvider extends CachedTokenProvider {
  private app: PublicClientApplication;
  private plugin: StringCachePlugin;
  private network: MsalNetworkClient;
  private source: string | undefined;

  constructor(
    private readonly auth: DelegatedAuth,
    private readonly authority: string,
    private readonly scopes: string[],
    private readonly transport: HttpTransport,
    now: () => number,
    private readonly logger?: ClientLogger,
    listener?: TokenCacheListener,
  ) {
    super(now);
    this.network = new MsalNetworkClient(transport, authority);
    this.source = auth.tokenCache;
    this.plugin = new StringCachePlugin(auth.tokenCache, listener);
    this.app = this.createApp();
  }

  /** The cache as last loaded or rotated. */
  get tokenCache(): string | undefined {
    return this.plugin.serialized;
  }

  set listener(listener: TokenCacheListener | undefined) {
    this.plugin.listener = listener;
  }

  /**
   * A new sign-in replaced the stored cache: start over from it. The cache this provider started
   * from, or one it rotated itself, is no news.
   */
  replaceTokenCache(serialized: string | undefined): void {
    if (serialized === this.source || serialized === this.plugin.serialized) return;
    this.source = serialized;
    this.plugin = new StringCachePlugin(serialized, this.plugin.listener);
    this.network = new MsalNetworkClient(this.transport, this.authority);
    this.app = this.createApp();
    this.forget();
  }

  private createApp(): PublicClientApplication {
    return new PublicClientApplication(
      msalConfiguration({
        clientId: this.auth.clientId,
        authority: this.authority,
        networkClient: this.network,
        cachePlugin: this.plugin,
        logger: this.logger,
      }),
    );
  }

  protected async acquire(force: boolean): Promise<AcquiredToken> {
    if (!this.plugin.serialized) {
      throw new DataverseError({
        kind: DataverseErrorKind.AUTH,
        message: 'No one has signed in yet: use "Sign in" to sign in with a Dynamics 365 account.',
      });
    }
    this.network.reset();
    try {
      const accounts = await this.app.getAllAccounts();
      if (accounts.length === 0) {
        throw new DataverseError({
          kind: DataverseErrorKind.AUTH,
          message: 'The stored sign-in holds no account: use "Sign in" again.',
        });
      }
      const result = await this.app.acquireTokenSilent({
        account: accounts[0],
        scopes: this.scopes.filter((s) => s !== 'offline_access'),
        forceRefresh: force,
      });
      return {
        accessToken: result.accessToken,
        expiresAt: result.expiresOn?.getTime() ?? this.now() + 5 * 60_000,
      };
    } catch (error) {
      throw authError(error, this.network, this.authority);
    }
  }
}
