import {
  secretPaths,
  type DestinationPlugin,
  type DestinationPluginFactory,
  type DestinationTypeDescription,
  type PluginEnvironment,
} from '@audience-sync/exporter-contract';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { AppError } from '@platform/errors/app-error';
import { ConfigValidator } from './config-validator';

/** The token under which the list of plugin factories (plugins.ts) is provided. */
export const DESTINATION_PLUGIN_FACTORIES = Symbol('DESTINATION_PLUGIN_FACTORIES');
/** The token of the {@link PluginEnvironment} handed to every plugin factory. */
export const PLUGIN_ENVIRONMENT = Symbol('PLUGIN_ENVIRONMENT');

const TYPE_ID = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Every destination type of the process: one plugin instance per type, created at start-up
 * from the factory list (Nest has no multi-providers, so the list is one provider). A plugin
 * whose description is inconsistent stops the start with a message naming it.
 */
@Injectable()
export class PluginRegistry implements OnApplicationShutdown {
  private readonly logger = new Logger('Destinations');
  private readonly plugins = new Map<string, DestinationPlugin>();

  constructor(
    @Inject(DESTINATION_PLUGIN_FACTORIES) factories: DestinationPluginFactory[],
    @Inject(PLUGIN_ENVIRONMENT) private readonly env: PluginEnvironment,
    private readonly validator: ConfigValidator,
  ) {
    for (const factory of factories) this.register(factory);
  }

  /** Creates the plugin and adds its type. Throws when the description is inconsistent. */
  register(factory: DestinationPluginFactory): DestinationPlugin {
    const plugin = factory(this.env);
    const d = plugin.description;
    const problems = describeProblems(d, this.plugins);
    try {
      this.validator.compile(d.configSchema);
    } catch (error) {
      problems.push(`its configSchema does not compile: ${(error as Error).message}`);
    }
    if (problems.length > 0) {
      throw new Error(
        `Destination plugin "${d.type}" cannot be registered: ${problems.join('; ')}`,
      );
    }
    this.plugins.set(d.type, plugin);
    return plugin;
  }

  /** The plugin of a type; unknown type → a validation error naming `type`. */
  get(type: string): DestinationPlugin {
    const plugin = this.plugins.get(type);
    if (!plugin) {
      throw AppError.validation(
        'type',
        `unknown destination type ${JSON.stringify(type)}; known types: ${[...this.plugins.keys()].join(', ')}`,
      );
    }
    return plugin;
  }

  has(type: string): boolean {
    return this.plugins.has(type);
  }

  descriptions(): DestinationTypeDescription[] {
    return [...this.plugins.values()].map((p) => p.description);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const plugin of this.plugins.values()) {
      try {
        await plugin.close?.();
      } catch (error) {
        this.logger.warn(
          `Closing destination plugin "${plugin.description.type}" failed: ${(error as Error).message}`,
        );
      }
    }
  }
}

function describeProblems(
  d: DestinationTypeDescription,
  known: Map<string, DestinationPlugin>,
): string[] {
  const problems: string[] = [];
  if (!TYPE_ID.test(d.type))
    problems.push('its type id must be lower-case letters, digits and dashes');
  if (known.has(d.type)) problems.push('another plugin has the same type id');
  if (d.syncModes.length === 0) problems.push('it offers no sync mode');
  if (!d.syncModes.includes(d.defaultSyncMode)) {
    problems.push(`defaultSyncMode "${d.defaultSyncMode}" is not among its syncModes`);
  }
  const declared = new Set(secretPaths(d.configSchema));
  for (const path of d.secretFields) {
    if (!declared.has(path))
      problems.push(`secret field "${path}" is not an x-secret string of its schema`);
  }
  for (const path of declared) {
    if (!d.secretFields.includes(path))
      problems.push(`x-secret "${path}" is missing from secretFields`);
  }
  if (d.exportStyle === 'changes' && !d.memberKey) {
    problems.push('a "changes" destination needs a memberKey');
  }
  return problems;
}
