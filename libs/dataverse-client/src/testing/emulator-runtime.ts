import {
  startEmulator,
  type EmulatorHandle,
  type EmulatorOptions,
} from '@audience-sync/dataverse-emulator';
import type { ClientCredentialsAuth } from '../auth-settings';
import { DataverseRuntime, type DataverseRuntimeOptions } from '../dataverse-runtime';

/**
 * Test support: the emulator over real HTTPS and a DataverseRuntime configured for it exactly as
 * the app configures one for the emulator (ALLOWED_HOSTS naming its host:port, its CA as an extra
 * CA) — the same code that serves a real organization, nothing switched off.
 */
export interface EmulatorRuntime {
  emu: EmulatorHandle;
  runtime: DataverseRuntime;
  /** Client-credentials settings for the emulator's application. */
  settings: { serverAddress: string; auth: ClientCredentialsAuth };
  /** `https://127.0.0.1:<port>` — what `auth.authorityHost` takes. */
  authorityHost: string;
  close(): Promise<void>;
}

export async function startEmulatorRuntime(
  options: EmulatorOptions = {},
  runtimeOptions: DataverseRuntimeOptions = {},
): Promise<EmulatorRuntime> {
  const emu = await startEmulator({ deviceCodeIntervalSeconds: 1, ...options });
  const host = new URL(emu.url).host;
  const runtime = new DataverseRuntime({
    allowedHosts: [host],
    extraCaCertificates: [emu.caCertPem],
    ...runtimeOptions,
  });
  const authorityHost = new URL(emu.authority).origin;
  return {
    emu,
    runtime,
    authorityHost,
    settings: {
      serverAddress: emu.url,
      auth: {
        kind: 'clientCredentials',
        tenantId: emu.tenantId,
        clientId: emu.clientId,
        clientSecret: emu.clientSecret,
        authorityHost,
      },
    },
    close: async () => {
      await runtime.close();
      await emu.stop();
    },
  };
}
