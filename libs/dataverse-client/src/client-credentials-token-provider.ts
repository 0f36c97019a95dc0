import { ConfidentialClientApplication } from '@azure/msal-node';
import { authError } from './auth-errors';
import type { ClientCredentialsAuth } from './auth-settings';
import { DataverseError, DataverseErrorKind } from './errors';
import type { HttpTransport } from './http-transport';
import { msalConfiguration, type ClientLogger } from './msal-configuration';
import { MsalNetworkClient } from './msal-network-client';
import { CachedTokenProvider, type AcquiredToken } from './token-provider';

/**
 * Application tokens (client credentials grant, scope `<org>/.default`) from one MSAL
 * ConfidentialClientApplication, kept for the life of the credential so its cache works.
 */
export class ClientCredentialsTokenProvider extends CachedTokenProvider {
  private readonly app: ConfidentialClientApplication;
  private readonly network: MsalNetworkClient;

  constructor(
    auth: ClientCredentialsAuth,
    private readonly authority: string,
    private readonly scopes: string[],
    transport: HttpTransport,
    now: () => number,
    logger?: ClientLogger,
  ) {
    super(now);
    this.network = new MsalNetworkClient(transport, authority);
    this.app = new ConfidentialClientApplication(
      msalConfiguration({
        clientId: auth.clientId,
        authority,
        clientSecret: auth.clientSecret,
        networkClient: this.network,
        logger,
      }),
    );
  }

  protected async acquire(force: boolean): Promise<AcquiredToken> {
    this.network.reset();
    try {
      const result = await this.app.acquireTokenByClientCredential({
        scopes: this.scopes,
        skipCache: force,
      });
      if (!result?.accessToken) {
        throw new DataverseError({
          kind: DataverseErrorKind.AUTH,
          message: 'Entra ID answered without an access token.',
        });
      }
      return {
        accessToken: result.accessToken,
        expiresAt: result.expiresOn?.getTime() ?? this.now() + 5 * 60_000,
      };
    } catch (error) {
      throw authError(error, this.network, this.authority);
    }
  }
}
