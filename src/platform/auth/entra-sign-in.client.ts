import {
  DataverseRuntime,
  MsalNetworkClient,
  msalConfiguration,
} from '@audience-sync/dataverse-client';
import { ConfidentialClientApplication, CryptoProvider } from '@azure/msal-node';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@platform/config/app-config';
import { readExtraCaCerts } from '@platform/config/extra-ca-certs';

/** Who Entra ID says signed in: the id_token's claims the app uses. */
export interface SignedInPerson {
  oid: string;
  name: string;
  username: string;
  roles: unknown;
  groups: unknown;
}

/** What one sign-in attempt must remember between the redirect and the callback. */
export interface PkcePair {
  verifier: string;
  challenge: string;
}

/** The OpenID scopes of a sign-in: no API is called, the id_token is all that is used. */
const SCOPES = ['openid', 'profile'];

/**
 * The adapter to Entra ID for people signing in: one MSAL ConfidentialClientApplication for
 * the process (authorization code with PKCE), with the destinations' authority handling — the
 * authority host listed in `knownAuthorities`, every call through the allow-listed HTTPS
 * transport that trusts `EXTRA_CA_CERTS` (the same code path for Entra ID and the emulator).
 */
@Injectable()
export class EntraSignInClient implements OnApplicationShutdown {
  private readonly logger = new Logger('SignIn');
  private readonly crypto = new CryptoProvider();
  private runtime?: DataverseRuntime;
  private app?: ConfidentialClientApplication;

  constructor(private readonly config: AppConfig) {}

  async pkce(): Promise<PkcePair> {
    return this.crypto.generatePkceCodes();
  }

  /** The authorize URL a person's browser is sent to. */
  async authCodeUrl(request: {
    redirectUri: string;
    state: string;
    nonce: string;
    codeChallenge: string;
  }): Promise<string> {
    return this.msal().getAuthCodeUrl({
      scopes: SCOPES,
      redirectUri: request.redirectUri,
      state: request.state,
      nonce: request.nonce,
      codeChallenge: request.codeChallenge,
      codeChallengeMethod: 'S256',
      responseMode: 'query',
      prompt: 'select_account',
    });
  }

  /**
   * Redeems the code; MSAL checks the returned state against the expected one and the
   * id_token's nonce. The id_token came straight from the token endpoint over verified TLS,
   * which is what OpenID Connect asks (Core 3.1.3.7) instead of a signature check.
   */
  async redeem(request: {
    code: string;
    redirectUri: string;
    codeVerifier: string;
    nonce: string;
    state: string;
    returnedState: string;
  }): Promise<SignedInPerson> {
    const app = this.msal();
    const result = await app.acquireTokenByCode(
      {
        code: request.code,
        scopes: SCOPES,
        redirectUri: request.redirectUri,
        codeVerifier: request.codeVerifier,
        nonce: request.nonce,
        state: request.state,
      },
      { code: request.code, state: request.returnedState },
    );
    // Nothing is called on the person's behalf later: forget their tokens at once, so the
    // cache does not grow with every sign-in.
    if (result.account) await app.getTokenCache().removeAccount(result.account);
    const claims = result.idTokenClaims as Record<string, unknown>;
    const oid = typeof claims.oid === 'string' ? claims.oid : '';
    if (oid === '') throw new Error('the id_token names no user (no oid claim)');
    const username = typeof claims.preferred_username === 'string' ? claims.preferred_username : '';
    return {
      oid,
      name: typeof claims.name === 'string' && claims.name !== '' ? claims.name : username || oid,
      username,
      roles: claims.roles,
      groups: claims.groups,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runtime?.close();
  }

  private msal(): ConfidentialClientApplication {
    if (this.app) return this.app;
    const { OIDC_AUTHORITY, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET } = this.config;
    if (!OIDC_AUTHORITY || !OIDC_CLIENT_ID || !OIDC_CLIENT_SECRET) {
      throw new Error('sign-in with Entra ID is not configured');
    }
    const authority = `${OIDC_AUTHORITY.replace(/\/+$/, '')}/`;
    this.runtime = new DataverseRuntime({
      allowedHosts: this.config.ALLOWED_HOSTS,
      extraCaCertificates: readExtraCaCerts(this.config),
    });
    this.app = new ConfidentialClientApplication(
      msalConfiguration({
        clientId: OIDC_CLIENT_ID,
        clientSecret: OIDC_CLIENT_SECRET,
        authority,
        networkClient: new MsalNetworkClient(this.runtime.transport, authority),
        logger: {
          debug: (m) => {
            this.logger.debug(m);
          },
          warn: (m) => {
            this.logger.warn(m);
          },
        },
      }),
    );
    return this.app;
  }
}
