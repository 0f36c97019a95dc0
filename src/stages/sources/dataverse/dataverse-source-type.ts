import {
  resolveAuth,
  type AppRegistration,
  type DataverseRuntime,
} from '@audience-sync/dataverse-client';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { AppError, ErrorCode, type ErrorDetail } from '@platform/errors/app-error';
import { sameOrigin } from '@platform/http/url-origin';
import { AppConfig } from '@platform/config/app-config';
import { Db } from '@platform/database/db.service';
import { StageCanceled } from '@stages/contract/stage';
import { SecretBox } from '@platform/secrets/secret-box';
import { AppRegistrationService } from '@platform/app-registration/app-registration.service';
import type {
  NormalizedOptions,
  OptionsContext,
  RemoteReadContext,
  SourceType,
} from '../source-types';
import type { IngestSummary, Source } from '../source.entity';
import {
  CLIENT_SECRET,
  checkDefinitionColumns,
  parseDataverseOptions,
  type DataverseSourceOptions,
  type ParsedOptions,
} from './dataverse-options';
import { DataverseReader } from './dataverse-reader';
import { readFailure } from './read-errors';
import { readState } from './reader-state';
import { SourceSecrets } from './source-secrets';
import { createSourceRuntime } from './source-runtime';

export const DATAVERSE_SOURCE_TYPE = 'dataverse';

/**
 * The `dataverse` source type: a Dataverse table (Dynamics 365 contacts) read by every refresh
 * and by `POST /api/sources/:id/ingest`, with the connection code of the Dynamics 365 Sales
 * destination (`@audience-sync/dataverse-client`). Its client secret is sealed in
 * `source.secrets` (bound to the source), never stored in `options`, returned or logged.
 */
@Injectable()
export class DataverseSourceType implements SourceType, OnModuleDestroy {
  readonly type = DATAVERSE_SOURCE_TYPE;
  readonly description =
    'A Dataverse table (Dynamics 365 contacts) read with paging and change tracking by every refresh and by POST /api/sources/{id}/ingest';
  readonly remote = true;
  readonly uploads = false;

  private readonly runtime: DataverseRuntime;
  private readonly secrets: SourceSecrets;
  private readonly logger = new Logger('Sources');

  constructor(
    config: AppConfig,
    box: SecretBox,
    private readonly db: Db,
    private readonly appRegistration: AppRegistrationService,
  ) {
    this.runtime = createSourceRuntime(config);
    this.secrets = new SourceSecrets(box);
  }

  async onModuleDestroy(): Promise<void> {
    await this.runtime.close();
  }

  normalizeOptions(input: unknown, context?: OptionsContext): NormalizedOptions {
    const registration = context?.appRegistration ?? null;
    const parsed = this.parse(input, registration);
    const errors = [...parsed.errors];
    if (context) errors.push(...checkDefinitionColumns(context.definition));
    const current = context?.current ?? null;
    if (!parsed.options.auth.clientId && !errors.some((e) => e.path === 'options.auth.clientId')) {
      // No ids of its own: the installation's app registration signs in; no own secret is kept.
      if (parsed.clientSecret !== undefined) {
        errors.push({
          path: 'options.auth.clientId',
          message:
            'Application (client) id is required with a client secret of its own (leave both empty to use the app registration in Settings)',
        });
      }
      const { auth } = parsed.options;
      for (const p of resolveAuth(auth, registration).problems) {
        const path = `options.${p.path}`;
        if (!errors.some((e) => e.path === path)) errors.push({ path, message: p.message });
      }
      return { options: { ...parsed.options }, errors, secrets: context ? null : undefined };
    }
    let secrets: string | null | undefined;
    const host = current ? changedHost(current.options, parsed.options) : null;
    if (parsed.clientSecret !== undefined) {
      if (context)
        secrets = this.secrets.seal(context.sourceId, { [CLIENT_SECRET]: parsed.clientSecret });
    } else if (!current?.secrets) {
      errors.push({
        path: `options.${CLIENT_SECRET}`,
        message:
          'is required: the client secret of the application (stored encrypted, never shown again)',
      });
    } else if (host !== null) {
      // The stored secret is only ever sent to the hosts it was entered for.
      errors.push({
        path: `options.${CLIENT_SECRET}`,
        message: `is required again: ${host} changed: enter the client secret again (a stored secret is only sent to the hosts it was entered for)`,
      });
    } else if (clientIdOf(current.options) !== parsed.options.auth.clientId) {
      errors.push({
        path: `options.${CLIENT_SECRET}`,
        message:
          'is required again: the application (client id) changed, and the stored secret belongs to the previous one',
      });
    }
    if (!parsed.options.auth.tenantId && !errors.some((e) => e.path === 'options.auth.tenantId')) {
      errors.push({
        path: 'options.auth.tenantId',
        message: 'Tenant id is required for an application sign-in (client secret).',
      });
    }
    return { options: { ...parsed.options }, errors, secrets };
  }

  secretsView(source: Source): Record<string, 'set' | 'not set'> {
    return { [CLIENT_SECRET]: source.secrets ? 'set' : 'not set' };
  }

  async read(source: Source, context: RemoteReadContext): Promise<IngestSummary> {
    const startedAt = new Date().toISOString();
    let reader: DataverseReader | undefined;
    try {
      const registration = await this.appRegistration.current();
      const parsed = this.parse(source.options, registration);
      if (parsed.errors.length > 0) throw invalidOptions(source, parsed.errors);
      const { options } = parsed;
      const clientSecret = this.secrets.open(source)[CLIENT_SECRET];
      if (options.auth.clientId && !clientSecret) {
        throw AppError.validation(
          `options.${CLIENT_SECRET}`,
          `source "${source.name}" has no client secret: set it with PUT /api/sources/${source.id}`,
        );
      }
      const resolved = resolveAuth(
        { ...options.auth, ...(clientSecret ? { clientSecret } : {}) },
        registration,
      );
      if (!('auth' in resolved)) {
        throw invalidOptions(
          source,
          resolved.problems.map((p) => ({ path: `options.${p.path}`, message: p.message })),
        );
      }
      const client = this.runtime.connect({
        serverAddress: options.serverAddress,
        auth: resolved.auth,
      });
      reader = new DataverseReader({
        client,
        db: this.db,
        writer: context.writer,
        lease: context.lease,
        stage: context.stage,
        source: { id: source.id, name: source.name },
        plan: {
          primaryKey: source.primaryKey,
          mapping: source.mapping,
          lastModifiedColumn: source.lastModifiedColumn,
        },
        serverAddress: client.serverAddress,
        table: options.table,
        extraColumns: options.columns,
        pageSize: options.pageSize,
        state: readState(source.readerState),
        allowEmpty: context.allowEmpty,
      });
      const summary = await reader.run();
      this.logger.log(
        `source "${source.name}": ${summary.mode} read of ${summary.rowsRead} rows in ${summary.pages} page(s), ${summary.rowsStored} records${summary.rowsRejected > 0 ? `, ${summary.rowsRejected} rejected` : ''}${summary.fullReadReason ? ` (full read: ${summary.fullReadReason})` : ''}`,
      );
      return summary;
    } catch (error) {
      const canceled = error instanceof StageCanceled;
      const failure = canceled ? undefined : readFailure(error);
      const message = canceled
        ? 'the read was canceled; the source keeps its previous records'
        : (failure?.message ?? 'internal error (see the server log)');
      await this.recordFailure(source, {
        status: 'failed',
        startedAt,
        finishedAt: new Date().toISOString(),
        rowsRead: reader?.rowsReadSoFar ?? 0,
        rowsStored: 0,
        rowsRejected: 0,
        errors: [],
        error: message,
      });
      if (!canceled) this.logger.warn(`source "${source.name}": read failed: ${message}`);
      throw failure ?? error;
    }
  }

  /** Parses the options; the allow-list checks use the registration's tenant and host when the source sets no ids. */
  private parse(input: unknown, registration: AppRegistration | null): ParsedOptions {
    return parseDataverseOptions(input, (settings) => {
      const shared = !settings.clientId;
      if (shared && !registration) {
        return this.runtime.validate({ serverAddress: settings.serverAddress });
      }
      return this.runtime.validate({
        serverAddress: settings.serverAddress,
        auth: {
          tenantId: settings.tenantId ?? (shared ? registration?.tenantId : undefined),
          authorityHost:
            settings.authorityHost ?? (shared ? registration?.authorityHost : undefined),
        },
      });
    });
  }

  /** Records a failed read as the source's last ingest (its records and reader state stay). */
  private async recordFailure(source: Source, summary: IngestSummary): Promise<void> {
    await this.db
      .query('UPDATE source SET last_ingest = ? WHERE id = ?', [JSON.stringify(summary), source.id])
      .catch((e: unknown) => {
        this.logger.warn(`source "${source.name}": could not record a failed read: ${String(e)}`);
      });
  }
}

/**
 * Which host of the connection an update changes, in words (`the sign-in host`), or null: the
 * server address (tokens go there, and the default sign-in host follows from it) or the sign-in
 * host (the client secret goes there).
 */
function changedHost(
  stored: Record<string, unknown>,
  updated: DataverseSourceOptions,
): string | null {
  const auth = stored.auth as { authorityHost?: unknown } | undefined;
  const changed = [
    sameOrigin(stored.serverAddress, updated.serverAddress) ? null : 'the server address',
    sameOrigin(auth?.authorityHost, updated.auth.authorityHost) ? null : 'the sign-in host',
  ].filter((what): what is string => what !== null);
  return changed.length > 0 ? changed.join(' and ') : null;
}

function clientIdOf(options: Record<string, unknown>): string | undefined {
  const auth = options.auth as { clientId?: unknown } | undefined;
  return typeof auth?.clientId === 'string' ? auth.clientId.toLowerCase() : undefined;
}

function invalidOptions(source: Source, errors: ErrorDetail[]): AppError {
  return new AppError(
    ErrorCode.VALIDATION,
    `the stored options of source "${source.name}" are not valid (${errors.map((e) => `${e.path ?? ''}: ${e.message}`).join('; ')}); correct them with PUT /api/sources/${source.id}`,
    errors,
  );
}
