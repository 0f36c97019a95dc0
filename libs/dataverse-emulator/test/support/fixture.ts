import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { startEmulator, type EmulatorHandle, type EmulatorOptions } from '../../src';
import { DataverseClient, HttpsClient } from './https-client';
import { CaTrustingNetworkClient } from './msal-network-client';

export interface Fixture {
  emu: EmulatorHandle;
  http: HttpsClient;
  network: CaTrustingNetworkClient;
  /** A client-credentials MSAL app configured as the README says. */
  msal: ConfidentialClientApplication;
  /** A Web API client with a client-credentials token from MSAL. */
  dv: DataverseClient;
  /** Fetches a fresh client-credentials token through MSAL. */
  appToken(): Promise<string>;
  close(): Promise<void>;
}

export function confidentialApp(
  emu: EmulatorHandle,
  network: CaTrustingNetworkClient,
): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      ...emu.identity.msalAuthorityOptions(),
    },
    system: {
      networkClient: network,
      loggerOptions: { logLevel: LogLevel.Error, loggerCallback: () => undefined },
    },
  });
}

export async function startFixture(options: EmulatorOptions = {}): Promise<Fixture> {
  const emu = await startEmulator(options);
  const http = new HttpsClient(emu.caCertPem);
  const network = new CaTrustingNetworkClient(emu.caCertPem);
  const msal = confidentialApp(emu, network);
  const appToken = async () => {
    const result = await msal.acquireTokenByClientCredential({
      scopes: [emu.scope],
      skipCache: true,
    });
    if (!result) throw new Error('MSAL returned no token');
    return result.accessToken;
  };
  const dv = new DataverseClient(http, emu.apiUrl, await appToken());
  return {
    emu,
    http,
    network,
    msal,
    dv,
    appToken,
    close: async () => {
      await Promise.all([http.close(), network.close()]);
      await emu.stop();
    },
  };
}
