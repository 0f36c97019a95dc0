import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { QueryFailedError, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AppError, type ErrorDetail } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import { RunLocks } from '@platform/locks/run-locks';
import { AppRegistrationService } from '@platform/app-registration/app-registration.service';
import {
  StageCanceled,
  standaloneContext,
  type StageContext,
  type StageOutcome,
} from '@stages/contract/stage';
import { RecordWriter } from './record-writer';
import {
  checkName,
  checkSharedFields,
  normalizeColumn,
  normalizeMapping,
  type SourceDefinition,
} from './source-definition';
import { SourceTypeRegistry, claimIngest } from './source-types';
import { Source, type IngestSummary } from './source.entity';
import type { FieldValues } from '@stages/contract/customer-field';
import type { RecordPage, SourceInput, SourceView } from './sources.dto';

/** Sources: their definitions (CRUD), deletion with their records, and the refresh stage. */
@Injectable()
export class SourcesService {
  private readonly logger = new Logger('Sources');

  constructor(
    @InjectRepository(Source) private readonly sources: Repository<Source>,
    private readonly db: Db,
    private readonly types: SourceTypeRegistry,
    private readonly writer: RecordWriter,
    private readonly locks: RunLocks,
    private readonly appRegistration: AppRegistrationService,
  ) {}

  async list(): Promise<SourceView[]> {
    const sources = await this.sources.find({ order: { name: 'ASC' } });
    const busy = await this.ingesting();
    return sources.map((s) => this.view(s, busy.has(s.id)));
  }

  async get(id: string): Promise<SourceView> {
    const source = await this.find(id);
    return this.view(source, (await this.ingesting()).has(id));
  }

  /**
   * A page of the source's current records, by key (cursor: the last key of the previous
   * page). What unification reads: canonical field values, raw columns, last-modified time.
   */
  async records(id: string, limit: number, after?: string): Promise<RecordPage> {
    const source = await this.find(id);
    const rows = await this.db.query<{
      record_key: string;
      fields: unknown;
      raw: unknown;
      last_modified: string | null;
    }>(
      `SELECT record_key, fields, raw, last_modified FROM source_record
       WHERE source_id = ? AND generation = ? AND record_key > ?
       ORDER BY record_key LIMIT ?`,
      [id, source.currentGeneration, after ?? '', limit + 1],
    );
    const items = rows.slice(0, limit).map((r) => ({
      key: r.record_key,
      fields: parseJson(r.fields) as FieldValues,
      raw: parseJson(r.raw) as Record<string, string>,
      lastModified: r.last_modified,
    }));
    return { items, next: rows.length > limit ? (items.at(-1)?.key ?? null) : null };
  }

  /** The source, or NOT_FOUND. */
  async find(id: string): Promise<Source> {
    const source = await this.sources.findOneBy({ id });
    if (!source) throw AppError.notFound('source', id);
    return source;
  }

  async create(dto: SourceInput): Promise<SourceView> {
    const id = randomUUID();
    const { definition, secrets } = await this.validate(dto, null, id);
    await this.saving(definition.name, () =>
      this.sources.insert({
        id,
        ...definition,
        secrets: secrets ?? null,
        readerState: null,
        currentGeneration: 0,
        recordCount: 0,
        lastIngest: null,
      } as QueryDeepPartialEntity<Source>),
    );
    this.logger.log(`source "${definition.name}" (${definition.type}) created`);
    return this.get(id);
  }

  /**
   * Replaces the given parts of a definition. A changed mapping or option applies from the
   * next ingest on: the stored records keep the values they were read with.
   */
  async update(id: string, dto: Partial<SourceInput>): Promise<SourceView> {
    const source = await this.find(id);
    if (dto.type !== undefined && dto.type !== source.type) {
      throw AppError.validation(
        'type',
        `cannot change from ${source.type}: the type decides how records arrive; create a new source instead`,
      );
    }
    const merged: SourceInput = {
      name: dto.name ?? source.name,
      type: source.type,
      primaryKey: dto.primaryKey ?? source.primaryKey,
      mapping: dto.mapping ?? source.mapping,
      lastModifiedColumn:
        dto.lastModifiedColumn === undefined ? source.lastModifiedColumn : dto.lastModifiedColumn,
      options: dto.options ?? source.options,
    };
    const { definition, secrets } = await this.validate(merged, source, id);
    // Only the definition's columns: an ingest may be publishing records at the same time.
    await this.saving(definition.name, () =>
      this.sources.update({ id }, {
        name: definition.name,
        primaryKey: definition.primaryKey,
        mapping: definition.mapping,
        lastModifiedColumn: definition.lastModifiedColumn,
        options: definition.options,
        ...(secrets !== undefined ? { secrets } : {}),
      } as QueryDeepPartialEntity<Source>),
    );
    return this.get(id);
  }

  /** Deletes a source and its records (409 while an ingest runs on it). */
  async remove(id: string): Promise<void> {
    const source = await this.find(id);
    const lease = await claimIngest(this.locks, source);
    try {
      await this.sources.delete({ id });
    } finally {
      await lease.lock.release();
    }
    // The source row is gone, so nobody reads these rows any more; a crash half-way leaves
    // orphans that the start-up clean-up removes.
    await this.writer.deleteAll(id);
    this.logger.log(`source "${source.name}" deleted with its records`);
  }

  /**
   * The ingest stage of a refresh: re-reads every source with a remote origin. Uploaded (CSV)
   * sources keep their last upload and are reported as kept. One source failing does not stop
   * the others (`partial`); cancellation is honoured between sources.
   */
  async refreshAll(ctx: StageContext): Promise<StageOutcome> {
    const sources = await this.sources.find({ order: { name: 'ASC' } });
    const errors: string[] = [];
    const kept: string[] = [];
    const read: string[] = [];
    let records = 0;
    const figures = () => ({
      sources: sources.length,
      sourcesRead: read.length,
      sourcesKept: kept.length,
      sourcesFailed: errors.length,
      records,
      ...(kept.length > 0 ? { kept: kept.join(', ') } : {}),
    });
    for (const source of sources) {
      if (ctx.signal.aborted) throw new StageCanceled();
      const type = this.types.get(source.type);
      if (!type) {
        errors.push(`source "${source.name}": unknown source type ${source.type}`);
      } else if (!type.remote || !type.read) {
        kept.push(source.name);
        records += source.recordCount;
      } else {
        try {
          const summary = await this.readRemote(source, ctx);
          read.push(source.name);
          records += summary.rowsStored;
        } catch (error) {
          if (error instanceof StageCanceled) throw error;
          errors.push(
            `source "${source.name}": ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      ctx.progress(figures());
    }
    const ok = read.length + kept.length;
    return {
      status:
        sources.length === 0
          ? 'skipped'
          : errors.length === 0
            ? 'succeeded'
            : ok > 0
              ? 'partial'
              : 'failed',
      figures: figures(),
      errors,
    };
  }

  /**
   * Reads a remote source now (`POST /api/sources/:id/ingest`), as a refresh would; 409 while
   * another ingest of it runs. Uploaded (CSV) sources are refused: their records are uploaded.
   */
  async ingest(id: string, options: { allowEmpty?: boolean } = {}): Promise<IngestSummary> {
    const source = await this.find(id);
    const type = this.types.get(source.type);
    if (!type?.remote || !type.read) {
      throw AppError.validation(
        'type',
        `source "${source.name}" is a ${source.type} source: its records are uploaded (POST /api/sources/${id}/upload), not read`,
      );
    }
    return this.readRemote(source, standaloneContext(), options.allowEmpty);
  }

  private async readRemote(
    source: Source,
    ctx: StageContext,
    allowEmpty?: boolean,
  ): Promise<IngestSummary> {
    const type = this.types.get(source.type);
    if (!type?.read) throw new Error(`source type ${source.type} cannot be read`);
    const lease = await claimIngest(this.locks, source);
    try {
      return await type.read(source, { stage: ctx, writer: this.writer, lease, allowEmpty });
    } finally {
      await lease.lock.release();
    }
  }

  private async ingesting(): Promise<Set<string>> {
    const names = await this.locks.heldNames('source:');
    return new Set(names.map((name) => name.slice('source:'.length)));
  }

  /**
   * Validates a whole definition; `current` is the source being updated. `secrets` is the
   * sealed envelope of a type with secret options (undefined: keep the stored one).
   */
  private async validate(
    dto: SourceInput,
    current: Source | null,
    sourceId: string,
  ): Promise<{ definition: SourceDefinition; secrets?: string | null }> {
    const errors: ErrorDetail[] = [];
    errors.push(...checkName(dto.name));
    const type = this.types.get(dto.type);
    if (!type) {
      errors.push({ path: 'type', message: `must be one of ${this.types.names().join(', ')}` });
    }
    const primaryKey = normalizeColumn(dto.primaryKey, 'primaryKey', errors);
    const lastModifiedColumn =
      dto.lastModifiedColumn === undefined || dto.lastModifiedColumn === null
        ? null
        : (normalizeColumn(dto.lastModifiedColumn, 'lastModifiedColumn', errors) ?? null);
    const { mapping, errors: mappingErrors } = normalizeMapping(dto.mapping);
    errors.push(...mappingErrors);
    const options = type?.normalizeOptions(dto.options, {
      sourceId,
      current,
      appRegistration: type.remote ? await this.appRegistration.current() : null,
      definition: { primaryKey, mapping, lastModifiedColumn },
    });
    if (options) errors.push(...options.errors);

    const others = (await this.sources.find()).filter((s) => s.id !== current?.id);
    const sameName = others.find((s) => s.name.toLowerCase() === dto.name.trim().toLowerCase());
    errors.push(...checkSharedFields(mapping, others));
    if (errors.length > 0) throw AppError.validationMany(errors);
    if (sameName) {
      throw AppError.conflict(`a source named "${sameName.name}" already exists`, [
        { path: 'name', message: 'is taken (names are unique, ignoring case)' },
      ]);
    }
    return {
      definition: {
        name: dto.name,
        type: dto.type,
        primaryKey: primaryKey ?? '',
        mapping,
        lastModifiedColumn,
        options: options?.options ?? {},
      },
      secrets: options?.secrets,
    };
  }

  private view(source: Source, ingesting: boolean): SourceView {
    const secrets = this.types.get(source.type)?.secretsView?.(source);
    return { ...view(source, ingesting), ...(secrets ? { secrets } : {}) };
  }

  /** Runs a write; a unique-name violation (a concurrent create) becomes a 409. */
  private async saving(name: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (error instanceof QueryFailedError && isUniqueViolation(error.driverError as unknown)) {
        throw AppError.conflict(`a source named "${name}" already exists`, [
          { path: 'name', message: 'is taken' },
        ]);
      }
      throw error;
    }
  }
}

/** JSON columns arrive parsed from PostgreSQL (jsonb) and as text from SQLite. */
function parseJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function isUniqueViolation(driverError: unknown): boolean {
  const code = (driverError as { code?: string } | undefined)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function view(source: Source, ingesting: boolean): SourceView {
  return {
    id: source.id,
    name: source.name,
    type: source.type,
    primaryKey: source.primaryKey,
    mapping: source.mapping,
    lastModifiedColumn: source.lastModifiedColumn,
    options: source.options,
    recordCount: source.recordCount,
    ingesting,
    lastIngest: source.lastIngest,
    createdAt: new Date(source.createdAt).toISOString(),
    updatedAt: new Date(source.updatedAt).toISOString(),
  };
}
