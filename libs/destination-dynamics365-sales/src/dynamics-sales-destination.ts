import {
  DataverseRuntime,
  isDataverseError,
  type DataverseClient,
} from '@audience-sync/dataverse-client';
import {
  DestinationError,
  DestinationErrorCode,
  type ConfigContext,
  type ConfigProblem,
  type ConnectionTestResult,
  type DestinationConfig,
  type DestinationPlugin,
  type DestinationRef,
  type ExistingTarget,
  type PluginEnvironment,
  type SegmentExportJob,
  type SegmentExportPlan,
  type SegmentExportReport,
  type SignInChallenge,
  type SignInSink,
} from '@audience-sync/exporter-contract';
import { testConnection } from './connection-test';
import { DESCRIPTION } from './description';
import { toDestinationError } from './destination-errors';
import { connectionSettings, effectiveAuth } from './sales-config';
import { estimateRequests } from './request-estimate';
import { SegmentExporter } from './segment-exporter';
import { staticContactLists } from './static-lists';

/** Client knobs tests and benchmarks may set (retry budget, parallelism cap). */
export type DynamicsSalesOptions = ConstructorParameters<typeof DataverseRuntime>[0];

/**
 * A destination whose `saveSecrets` stores rotated secrets (a refreshed token cache) encrypted.
 * Optional: a core without it still works, the stored sign-in then lasts as long as its first
 * refresh token (90 days of inactivity at most on Entra ID).
 */
interface DestinationWithSecrets extends DestinationRef {
  saveSecrets?: (secrets: Record<string, string>) => Promise<void>;
}

/**
 * The Dynamics 365 Sales destination (type `dynamics365-sales`): one static marketing list of
 * contacts per exported segment. One Dataverse runtime per process (allow-list, HTTPS agent with
 * the extra CAs, one MSAL client per credential).
 */
export class DynamicsSalesDestination implements DestinationPlugin {
  readonly description = DESCRIPTION;
  private readonly runtime: DataverseRuntime;

  constructor(
    private readonly env: PluginEnvironment,
    options: DynamicsSalesOptions = {},
  ) {
    this.runtime = new DataverseRuntime({
      ...options,
      allowedHosts: env.allowedHosts,
      extraCaCertificates: env.extraCaCertificates,
      logger: options.logger ?? {
        debug: (m) => {
          env.logger.debug(m);
        },
        warn: (m) => {
          env.logger.warn(m);
        },
      },
    });
  }

  validateConfig(config: DestinationConfig, context?: ConfigContext): ConfigProblem[] {
    let resolved: ReturnType<typeof effectiveAuth>;
    try {
      resolved = effectiveAuth(config, context?.appRegistration);
    } catch (error) {
      resolved = { problems: [{ path: 'auth.kind', message: toDestinationError(error).message }] };
    }
    // The tenant and sign-in host in effect (the installation's when the destination sets none).
    const auth =
      'auth' in resolved
        ? { tenantId: resolved.auth.tenantId, authorityHost: resolved.auth.authorityHost }
        : undefined;
    return [
      ...this.runtime.validate({ serverAddress: config.serverAddress, auth }),
      ...resolved.problems,
    ];
  }

  async testConnection(
    destination: DestinationRef,
    signal: AbortSignal,
  ): Promise<ConnectionTestResult> {
    let client: DataverseClient;
    try {
      client = this.connect(destination);
    } catch (error) {
      return { ok: false, message: toDestinationError(error).message };
    }
    return testConnection(client, signal);
  }

  /** The active static contact lists a segment can be exported to, by name. */
  async listTargets(destination: DestinationRef, signal: AbortSignal): Promise<ExistingTarget[]> {
    try {
      return await staticContactLists(this.connect(destination).scoped(), signal);
    } catch (error) {
      throw toDestinationError(error);
    }
  }

  async exportSegment(job: SegmentExportJob): Promise<SegmentExportReport> {
    try {
      const client = this.connect(job.destination).scoped();
      return await new SegmentExporter(client, job, () => this.env.now()).run();
    } catch (error) {
      throw toDestinationError(error, `Segment "${job.segment.name}"`);
    }
  }

  estimateRequests(plan: SegmentExportPlan): number {
    return estimateRequests(plan);
  }

  async startSignIn(destination: DestinationRef, sink: SignInSink): Promise<SignInChallenge> {
    const settings = connectionSettingsOrThrow(destination);
    if (settings.auth.kind !== 'delegated') {
      throw new DestinationError(
        DestinationErrorCode.CONFIG,
        'Sign in is for the "delegated" sign-in (a Sales account); this destination uses an application (client secret).',
      );
    }
    let signIn;
    try {
      signIn = await this.runtime.startDeviceCodeSignIn({
        serverAddress: settings.serverAddress,
        auth: settings.auth,
      });
    } catch (error) {
      throw toDestinationError(error, 'Sign in could not start');
    }
    signIn.completion
      .then(
        async (result) => {
          await sink.saveSecrets({ 'auth.tokenCache': result.tokenCache });
          await sink.saveAccount({
            username: result.username,
            ...(result.name ? { name: result.name } : {}),
            // Without a tenant of its own the sign-in was at `organizations`: keep the account's.
            ...(result.tenantId ? { tenantId: result.tenantId } : {}),
          });
          this.env.logger.log(`Destination ${destination.id}: signed in as ${result.username}.`);
        },
        async (error: unknown) => {
          const message =
            isDataverseError(error) || error instanceof Error ? error.message : String(error);
          await sink.fail(message);
        },
      )
      .catch((error: unknown) => {
        this.env.logger.error(
          `Destination ${destination.id}: could not store the sign-in: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    return {
      userCode: signIn.challenge.userCode,
      verificationUri: signIn.challenge.verificationUri,
      message: signIn.challenge.message,
      expiresAt: signIn.challenge.expiresAt.toISOString(),
    };
  }

  async close(): Promise<void> {
    await this.runtime.close();
  }

  private connect(destination: DestinationWithSecrets): DataverseClient {
    const settings = connectionSettingsOrThrow(destination);
    const save = destination.saveSecrets?.bind(destination);
    return this.runtime.connect(settings, {
      cacheKey: destination.id,
      onTokenCacheChanged: async (tokenCache) => {
        if (save) await save({ 'auth.tokenCache': tokenCache });
      },
    });
  }
}

function connectionSettingsOrThrow(
  destination: DestinationRef,
): ReturnType<typeof connectionSettings> {
  try {
    return connectionSettings(destination.config, destination);
  } catch (error) {
    throw toDestinationError(error);
  }
}
