import {
  isDestinationError,
  readOnlyPaths,
  type ConnectionTestResult,
  type DestinationPlugin,
  type DestinationRef,
  type DestinationTypeDescription,
  type ExistingTarget,
} from '@audience-sync/exporter-contract';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import { AppError, type ErrorDetail } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import { Clock } from '@platform/clock/clock';
import { AppRegistrationService } from '@platform/app-registration/app-registration.service';
import { SecretKeyError } from '@platform/secrets/secret-errors';
import { CustomerFieldsService } from '@stages/customers/customer-fields.service';
import { CheckpointStore } from './checkpoint-store';
import {
  changedSecretHosts,
  keptSecrets,
  secretsAskedAgain,
  takeSecretInput,
  withSecrets,
  withoutSecrets,
  type SecretValues,
} from './config-secrets';
import { ConfigValidator } from './config-validator';
import { checkCustomerFieldRefs } from './customer-field-refs';
import { DestinationSecrets, describe } from './destination-secrets';
import type { CreateDestinationDto, UpdateDestinationDto } from './destination.dto';
import { Destination } from './destination.entity';
import { toDestinationView, type DestinationView } from './destination.view';
import { ExportRunStore } from './export-run-store';
import { MemberLogStore } from './member-log-store';
import { pluginErrorText } from './plugin-errors';
import { PluginRegistry } from './plugin-registry';
import type { RemovalLimit } from './removal-limit';
import { SegmentCatalog } from './segment-catalog';

/** What `POST /api/destinations/:id/test` answers. */
export interface ConnectionTestView extends ConnectionTestResult {
  /** The kind of failure, when the plugin said (AUTH, FORBIDDEN, CONFIG, …). */
  code?: string;
}

const TEST_TIMEOUT_MS = 60_000;

/** Key types a member key may come from (GUIDs, account numbers). */
const KEY_FIELD_TYPES = new Set(['string', 'number']);

interface Candidate {
  type: string;
  displayName: string;
  config: Record<string, unknown>;
  secrets: SecretValues;
  contactIdField: string | null;
  segmentIds: string[];
  /** Segment ids already saved: not refused when their segment was deleted since. */
  savedSegmentIds?: string[];
  syncMode: string;
}

/**
 * Destinations: configuration validated against the type's schema and the plugin's own checks,
 * secrets split off and sealed, and the start-up check that every stored secret still opens.
 */
@Injectable()
export class DestinationsService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Destinations');

  constructor(
    @InjectRepository(Destination) private readonly repo: Repository<Destination>,
    private readonly registry: PluginRegistry,
    private readonly validator: ConfigValidator,
    private readonly secrets: DestinationSecrets,
    private readonly fields: CustomerFieldsService,
    private readonly segments: SegmentCatalog,
    private readonly runs: ExportRunStore,
    private readonly checkpoints: CheckpointStore,
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly memberLogs: MemberLogStore,
    private readonly appRegistration: AppRegistrationService,
  ) {}

  /**
   * Every stored secret must open with the configured key: a destination whose secrets were
   * sealed with another key (or altered) stops the start, naming the destination. Envelopes of
   * an older key still in the key ring are sealed again with the current key.
   */
  async onApplicationBootstrap(): Promise<void> {
    const problems: string[] = [];
    let resealed = 0;
    for (const d of await this.repo.find({ order: { displayName: 'ASC' } })) {
      try {
        const values = this.secrets.openOrThrow(d);
        if (this.secrets.isStale(d)) {
          await this.repo.update({ id: d.id }, { secrets: this.secrets.seal(d.id, values) });
          resealed++;
        }
      } catch (error) {
        if (!(error instanceof SecretKeyError)) throw error;
        problems.push(describe(d, error));
      }
    }
    if (resealed > 0) {
      this.logger.log(
        `Encrypted the secrets of ${resealed} destination(s) again with the current key.`,
      );
    }
    if (problems.length > 0) throw new SecretKeyError(problems.join('\n'));
  }

  async list(): Promise<DestinationView[]> {
    const all = await this.repo.find({ order: { displayName: 'ASC' } });
    const last = await this.runs.latest(all.map((d) => d.id));
    return all.map((d) => this.view(d, last.get(d.id)));
  }

  async get(id: string): Promise<DestinationView> {
    const d = await this.entity(id);
    return this.view(d, (await this.runs.latest([id])).get(id));
  }

  async entity(id: string): Promise<Destination> {
    const d = await this.repo.findOneBy({ id });
    if (!d) throw AppError.notFound('Destination', id);
    return d;
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  /** Enabled destinations (what a refresh exports), by name. */
  enabled(): Promise<Destination[]> {
    return this.repo.find({ where: { enabled: true }, order: { displayName: 'ASC' } });
  }

  /**
   * The destination as its plugin sees it: configuration with the secrets filled in, and a way
   * to store secrets it renews itself (a rotated token cache).
   */
  async ref(d: Destination): Promise<DestinationRef> {
    const user = d.signIn?.status === 'signed-in' ? d.signIn.user : undefined;
    return {
      id: d.id,
      displayName: d.displayName,
      config: withSecrets(d.config, this.secrets.open(d)),
      appRegistration: await this.appRegistration.current(),
      ...(user ? { account: user } : {}),
      saveSecrets: async (secrets) => {
        if (!(await this.addSecrets(d.id, secrets, d.config))) {
          this.logger.warn(
            `Destination "${d.displayName}": a renewed sign-in was not kept: its server or sign-in host changed meanwhile.`,
          );
        }
      },
    };
  }

  plugin(d: Destination): DestinationPlugin {
    return this.registry.get(d.type);
  }

  async create(dto: CreateDestinationDto): Promise<DestinationView> {
    const plugin = this.registry.get(dto.type);
    const d = plugin.description;
    const input = takeSecretInput(dto.config, d.secretFields);
    const candidate: Candidate = {
      type: dto.type,
      displayName: dto.displayName.trim(),
      config: input.config,
      secrets: input.provided,
      contactIdField: dto.contactIdField ?? null,
      segmentIds: dto.segmentIds ?? [],
      syncMode: dto.syncMode ?? d.defaultSyncMode,
    };
    const config = await this.check(plugin, candidate, refuseReadOnly(d, input.provided));
    await this.assertNameFree(candidate.displayName);
    const entity = this.repo.create({
      id: randomUUID(),
      type: candidate.type,
      displayName: candidate.displayName,
      config,
      contactIdField: candidate.contactIdField,
      segmentIds: candidate.segmentIds,
      syncMode: d.syncModes.find((m) => m === candidate.syncMode) ?? d.defaultSyncMode,
      enabled: dto.enabled ?? true,
      removalLimit: storedRemovalLimit(dto.removalLimit),
      skippedAlertPercent: dto.skippedAlertPercent ?? null,
      signIn: null,
    });
    entity.secrets = this.secrets.seal(entity.id, candidate.secrets);
    await this.save(entity);
    return this.get(entity.id);
  }

  async update(id: string, dto: UpdateDestinationDto): Promise<DestinationView> {
    const existing = await this.entity(id);
    if (dto.type !== undefined && dto.type !== existing.type) {
      throw AppError.validation(
        'type',
        `cannot change from ${JSON.stringify(existing.type)}; create a new destination instead`,
      );
    }
    const plugin = this.registry.get(existing.type);
    const d = plugin.description;
    const stored = this.secrets.open(existing);
    let config = existing.config;
    let secrets = stored;
    const refused: ErrorDetail[] = [];
    let hostChanged = false;
    if (dto.config !== undefined) {
      const input = takeSecretInput(dto.config, d.secretFields);
      refused.push(...refuseReadOnly(d, input.provided));
      config = input.config;
      const kept = keptSecrets({
        stored,
        storedConfig: existing.config,
        newConfig: input.config,
        provided: input.provided,
        cleared: input.cleared,
        schema: d.configSchema,
      });
      // A stored secret goes only to the hosts it was entered for: a changed server or sign-in
      // host keeps none of them (a person's are asked for again, a sign-in's are dropped).
      const hosts = changedSecretHosts(d.configSchema, existing.config, input.config);
      hostChanged = hosts.length > 0;
      refused.push(...secretsAskedAgain(d.configSchema, hosts, kept));
      secrets = { ...(hostChanged ? {} : kept), ...input.provided };
    }
    const candidate: Candidate = {
      type: existing.type,
      displayName: (dto.displayName ?? existing.displayName).trim(),
      config,
      secrets,
      contactIdField:
        dto.contactIdField !== undefined ? dto.contactIdField : existing.contactIdField,
      segmentIds: dto.segmentIds ?? existing.segmentIds,
      savedSegmentIds: existing.segmentIds,
      syncMode: dto.syncMode ?? existing.syncMode,
    };
    const checked = await this.check(plugin, candidate, refused);
    if (candidate.displayName !== existing.displayName) {
      await this.assertNameFree(candidate.displayName, id);
    }
    existing.displayName = candidate.displayName;
    existing.config = checked;
    existing.secrets = this.secrets.seal(id, candidate.secrets);
    // Who signed in, at the old host, is no longer true: sign in again.
    if (hostChanged) existing.signIn = null;
    existing.contactIdField = candidate.contactIdField;
    existing.segmentIds = candidate.segmentIds;
    existing.syncMode = d.syncModes.find((m) => m === candidate.syncMode) ?? existing.syncMode;
    if (dto.enabled !== undefined) existing.enabled = dto.enabled;
    if (dto.removalLimit !== undefined)
      existing.removalLimit = storedRemovalLimit(dto.removalLimit);
    if (dto.skippedAlertPercent !== undefined)
      existing.skippedAlertPercent = dto.skippedAlertPercent;
    await this.save(existing);
    return this.get(id);
  }

  /**
   * Deletes the destination with its runs and checkpoints. What was exported stays in the
   * target (marketing lists, files): Audience Sync never deletes them.
   */
  async remove(id: string): Promise<void> {
    const d = await this.entity(id);
    const active = await this.runs.active(id);
    if (active) {
      throw AppError.conflict(
        `Destination "${d.displayName}" has an export ${active.status} (run ${active.id}); cancel it first`,
        [{ path: 'runningRunId', message: active.id }],
      );
    }
    await this.db.atomic([
      ...this.runs.deleteStatements(id),
      ...this.checkpoints.dropDestinationStatements(id),
      ...this.memberLogs.dropDestinationStatements(id),
      { sql: 'DELETE FROM destination WHERE id = ?', params: [id] },
    ]);
  }

  /**
   * Merges secret values (from a finished sign-in, a renewed token cache) into the stored ones.
   * `madeFor` is the configuration they were obtained with: when a server or sign-in host of the
   * destination changed since, they belong to the old host and are not stored (answers false).
   */
  async addSecrets(
    id: string,
    values: SecretValues,
    madeFor?: Record<string, unknown>,
  ): Promise<boolean> {
    const d = await this.entity(id);
    const description = this.registry.get(d.type).description;
    const allowed = description.secretFields;
    const unknown = Object.keys(values).filter((k) => !allowed.includes(k));
    if (unknown.length > 0) {
      throw new Error(`not secret fields of type "${d.type}": ${unknown.join(', ')}`);
    }
    if (madeFor && changedSecretHosts(description.configSchema, madeFor, d.config).length > 0) {
      return false;
    }
    const merged = { ...this.secrets.open(d), ...values };
    await this.repo.update({ id }, { secrets: this.secrets.seal(id, merged) });
    return true;
  }

  /**
   * Asks the plugin to check the connection without changing anything (at most a minute).
   * Answers `ok: false` with the plugin's words rather than an error: the test itself worked.
   */
  async testConnection(id: string): Promise<ConnectionTestView> {
    const d = await this.entity(id);
    const plugin = this.registry.get(d.type);
    try {
      return await plugin.testConnection(await this.ref(d), AbortSignal.timeout(TEST_TIMEOUT_MS));
    } catch (error) {
      if (isDestinationError(error)) return { ok: false, code: error.code, message: error.message };
      this.logger.error(
        `Connection test of "${d.displayName}" failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return { ok: false, message: pluginErrorText(error) };
    }
  }

  /** Existing objects of the target a segment can be exported to (400 for types without). */
  async targets(id: string): Promise<ExistingTarget[]> {
    const d = await this.entity(id);
    const plugin = this.registry.get(d.type);
    if (!plugin.listTargets) {
      throw AppError.validation(
        'type',
        `destinations of type "${d.type}" have no existing targets to choose`,
      );
    }
    try {
      return await plugin.listTargets(await this.ref(d), AbortSignal.timeout(TEST_TIMEOUT_MS));
    } catch (error) {
      throw AppError.conflict(
        `Could not read the existing lists of "${d.displayName}": ${pluginErrorText(error)}`,
      );
    }
  }

  description(type: string): DestinationTypeDescription {
    return this.registry.get(type).description;
  }

  private view(d: Destination, lastRun: Parameters<typeof toDestinationView>[3]): DestinationView {
    const secretFields = this.registry.has(d.type)
      ? this.registry.get(d.type).description.secretFields
      : [];
    return toDestinationView(
      d,
      secretFields,
      Object.keys(this.secrets.open(d)),
      lastRun,
      this.clock.now(),
    );
  }

  /**
   * Every problem of a candidate at once, each naming its field; answers the configuration to
   * store (schema defaults applied, secrets removed).
   */
  private async check(
    plugin: DestinationPlugin,
    c: Candidate,
    refused: ErrorDetail[],
  ): Promise<Record<string, unknown>> {
    const d = plugin.description;
    const problems: ErrorDetail[] = [...refused];
    const merged = withSecrets(c.config, c.secrets);
    const { value, problems: schemaProblems } = this.validator.validate(d.configSchema, merged);
    // A secret asked for again is missing too: say why once, not also "is required".
    problems.push(...schemaProblems.filter((p) => !refused.some((r) => r.path === p.path)));
    if (schemaProblems.length === 0) {
      const context = { appRegistration: await this.appRegistration.current() };
      for (const p of plugin.validateConfig(value, context)) {
        const path = p.path ? `config.${p.path}` : 'config';
        // A secret asked for again: said once (the plugin finds it missing too).
        if (!refused.some((r) => r.path === path)) problems.push({ path, message: p.message });
      }
    }
    const fields = await this.fields.list();
    problems.push(...checkCustomerFieldRefs(d.configSchema, value, fields));

    if (c.contactIdField === null || c.contactIdField === '') {
      if (d.memberKey) {
        problems.push({
          path: 'contactIdField',
          message: `is required for ${d.displayName}: the customer field holding the ${d.memberKey.label}`,
        });
      }
    } else {
      const field = fields.find((f) => f.name === c.contactIdField);
      if (!field) {
        problems.push({
          path: 'contactIdField',
          message: `${JSON.stringify(c.contactIdField)} is not a customer field; known fields: ${fields.map((f) => f.name).join(', ')}`,
        });
      } else if (!KEY_FIELD_TYPES.has(field.type)) {
        problems.push({
          path: 'contactIdField',
          message: `${JSON.stringify(c.contactIdField)} is a ${field.type} field; a member key must be a string or number field`,
        });
      }
    }

    if (!d.syncModes.some((m) => m === c.syncMode)) {
      problems.push({
        path: 'syncMode',
        message: `must be one of: ${d.syncModes.join(', ')} (${d.displayName} supports no other)`,
      });
    }

    const found = await this.segments.find(c.segmentIds);
    c.segmentIds.forEach((segmentId, i) => {
      if (!found.has(segmentId) && !c.savedSegmentIds?.includes(segmentId)) {
        problems.push({
          path: `segmentIds[${i}]`,
          message: `segment ${JSON.stringify(segmentId)} does not exist`,
        });
      }
    });

    if (problems.length > 0) throw AppError.validationMany(problems);
    return withoutSecrets(value, d.secretFields);
  }

  private async assertNameFree(displayName: string, except?: string): Promise<void> {
    const other = await this.repo.findOneBy({ displayName });
    if (other && other.id !== except) {
      throw AppError.conflict(`A destination named ${JSON.stringify(displayName)} already exists`, [
        { path: 'displayName', message: 'is already used by another destination' },
      ]);
    }
  }

  /** Saves; a concurrent save of the same name surfaces as the 409 it is. */
  private async save(entity: Destination): Promise<void> {
    try {
      await this.repo.save(entity);
    } catch (error) {
      if (/unique|duplicate/i.test((error as Error).message)) {
        throw AppError.conflict(
          `A destination named ${JSON.stringify(entity.displayName)} already exists`,
          [{ path: 'displayName', message: 'is already used by another destination' }],
        );
      }
      throw error;
    }
  }
}

/** The limit to store: the properties given (the rest default when read); null: the default. */
function storedRemovalLimit(
  dto: CreateDestinationDto['removalLimit'],
): Partial<RemovalLimit> | null {
  if (!dto) return null;
  const out: Partial<RemovalLimit> = {};
  if (dto.percent !== undefined) out.percent = dto.percent;
  if (dto.count !== undefined) out.count = dto.count;
  if (dto.minimum !== undefined) out.minimum = dto.minimum;
  return out;
}

/** Values sent for fields the server sets itself (`readOnly`, e.g. a sign-in token cache). */
function refuseReadOnly(d: DestinationTypeDescription, provided: SecretValues): ErrorDetail[] {
  const readOnly = readOnlyPaths(d.configSchema);
  return Object.keys(provided)
    .filter((path) => readOnly.includes(path))
    .map((path) => ({
      path: `config.${path}`,
      message:
        'is set by the server (sign-in), not by the API; leave it out to keep it, or send null to clear it',
    }));
}
