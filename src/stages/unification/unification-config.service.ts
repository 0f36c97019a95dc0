import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SettingsService } from '@platform/settings/settings.service';
import { CustomerFieldsService } from '@stages/customers/customer-fields.service';
import { Source } from '@stages/sources/source.entity';
import {
  defaultUnificationConfig,
  type MergePolicy,
  type UnificationConfig,
} from './unification-config';
import { validateUnificationConfig } from './unification-config.validator';

const CONFIG_KEY = 'unification.config';

/** The configuration as the API shows it: when it was saved, and whether it ever was. */
export interface UnificationConfigView extends UnificationConfig {
  /** False until the first `PUT` (the defaults are shown). */
  saved: boolean;
}

/**
 * Stores the unification configuration (one JSON value in `app_setting`). Source priorities are
 * kept as source IDs, so renaming a source keeps its place; the API shows names.
 */
@Injectable()
export class UnificationConfigService {
  constructor(
    private readonly settings: SettingsService,
    private readonly fields: CustomerFieldsService,
    @InjectRepository(Source) private readonly sources: Repository<Source>,
  ) {}

  /** The stored configuration (source IDs), or the defaults. */
  async current(): Promise<UnificationConfig> {
    return (await this.settings.get<UnificationConfig>(CONFIG_KEY)) ?? defaultUnificationConfig();
  }

  async view(): Promise<UnificationConfigView> {
    const stored = await this.settings.get<UnificationConfig>(CONFIG_KEY);
    const config = stored ?? defaultUnificationConfig();
    const names = new Map((await this.sourceList()).map((s) => [s.id, s.name]));
    const show = (policy: MergePolicy): MergePolicy =>
      typeof policy === 'string'
        ? policy
        : { sourcePriority: policy.sourcePriority.map((id) => names.get(id) ?? id) };
    return {
      saved: stored !== undefined,
      rules: config.rules,
      dedupeWithinSource: config.dedupeWithinSource,
      merge: {
        default: show(config.merge.default),
        fields: Object.fromEntries(
          Object.entries(config.merge.fields).map(([field, policy]) => [field, show(policy)]),
        ),
        groups: config.merge.groups.map((g) => (g.policy ? { ...g, policy: show(g.policy) } : g)),
      },
    };
  }

  /** Validates and stores a new configuration; it applies from the next unification run. */
  async replace(body: unknown): Promise<UnificationConfigView> {
    const config = validateUnificationConfig(body, {
      fields: await this.fields.list(),
      sources: await this.sourceList(),
    });
    await this.settings.set(CONFIG_KEY, config);
    return this.view();
  }

  private async sourceList(): Promise<{ id: string; name: string }[]> {
    return this.sources.find({ select: { id: true, name: true } });
  }
}
