import { PublicClientApplication, type DeviceCodeRequest } from '@azure/msal-node';
import { authError } from './auth-errors';
import type { DelegatedAuth } from './auth-settings';
import { DataverseError, DataverseErrorKind } from './errors';
import type { HttpTransport } from './http-transport';
import { msalConfiguration, type ClientLogger } from './msal-configuration';
import { MsalNetworkClient } from './msal-network-client';
import { StringCachePlugin } from './delegated-token-provider';

/** What to show the person signing in. */
export interface DeviceCodeChallenge {
  userCode: string;
  verificationUri: string;
  /** Entra ID's own sentence ("To sign in, use a web browser to open … and enter the code …"). */
  message: string;
  expiresAt: Date;
}

/** What a finished sign-in produced. */
export interface DeviceCodeResult {
  /** MSAL's serialized token cache holding the refresh token: store it as a secret. */
  tokenCache: string;
  username: string;
  name?: string;
  /** The account's tenant (the id token's `tid`): where a sign-in at `organizations` belongs. */
  tenantId?: string;
}

export interface DeviceCodeSignIn {
  challenge: DeviceCodeChallenge;
  /** Settles when the person signed in, declined, or the code expired (or `cancel()` was called). */
  completion: Promise<DeviceCodeResult>;
  cancel(): void;
}

/**
 * Starts a device-code sign-in with a fresh public client (its cache holds only this sign-in) and
 * answers once Entra ID issued the code; MSAL keeps polling in the background.
 */
export async function startDeviceCodeSignIn(options: {
  auth: Pick<DelegatedAuth, 'clientId'>;
  authority: string;
  scopes: string[];
  transport: HttpTransport;
  now: () => number;
  logger?: ClientLogger;
}): Promise<DeviceCodeSignIn> {
  const network = new MsalNetworkClient(options.transport, options.authority);
  const plugin = new StringCachePlugin(undefined);
  const app = new PublicClientApplication(
    msalConfiguration({
      clientId: options.auth.clientId,
      authority: options.authority,
      networkClient: network,
      cachePlugin: plugin,
      logger: options.logger,
    }),
  );
  let onChallenge: (challenge: DeviceCodeChallenge) => void = () => undefined;
  const challenge = new Promise<DeviceCodeChallenge>((resolve) => {
    onChallenge = resolve;
  });
  const request: DeviceCodeRequest = {
    scopes: options.scopes,
    deviceCodeCallback: (response) => {
      onChallenge({
        userCode: response.userCode,
        verificationUri: response.verificationUri,
        message: response.message,
        expiresAt: new Date(options.now() + response.expiresIn * 1000),
      });
    },
  };
  const completion = (async (): Promise<DeviceCodeResult> => {
    try {
      const result = await app.acquireTokenByDeviceCode(request);
      if (!result?.account) {
        throw new DataverseError({
          kind: DataverseErrorKind.AUTH,
          message: request.cancel
            ? 'The sign-in was canceled.'
            : 'Entra ID finished the sign-in without an account.',
        });
      }
      const tokenCache = plugin.serialized ?? app.getTokenCache().serialize();
      return {
        tokenCache,
        username: result.account.username,
        ...(result.account.name ? { name: result.account.name } : {}),
        ...(result.account.tenantId ? { tenantId: result.account.tenantId } : {}),
      };
    } catch (error) {
      throw authError(error, network, options.authority);
    }
  })();
  // Whichever comes first: the code (sign-in under way) or a failure before any code was issued.
  const first = await Promise.race([
    challenge.then((c) => ({ challenge: c })),
    completion.then(
      () => ({ error: new Error('Sign-in finished before a device code was issued.') }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if ('error' in first) throw first.error;
  completion.catch(() => undefined); // the caller observes it; never an unhandled rejection
  return {
    challenge: first.challenge,
    completion,
    cancel: () => {
      request.cancel = true;
    },
  };
}
