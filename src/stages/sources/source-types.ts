import type { AppRegistration } from '@audience-sync/dataverse-client';
import { Injectable } from '@nestjs/common';
import type { ErrorDetail } from '@platform/errors/app-error';
import type { StageContext } from '@stages/contract/stage';
import type { RunLockHandle } from '@platform/locks/run-lock-handle';
import type { RunLocks } from '@platform/locks/run-locks';
import type { RecordWriter } from './record-writer';
import type { FieldMapping, IngestSummary, Source } from './source.entity';

/**
 * The right to ingest into one source: its run lock `source:<id>`, held for the whole ingest
 * (one ingest per source at a time, across processes). Writes that make records current are
 * fenced with `lock.heldSql`, so an ingest whose lock was taken over changes nothing.
 */
export interface IngestLease {
  readonly sourceId: string;
  readonly lock: RunLockHandle;
}

/** Takes a source's ingest lock, or throws CONFLICT while another ingest holds it. */
export async function claimIngest(
  locks: RunLocks,
  source: { id: string; name: string },
): Promise<IngestLease> {
  const lock = await locks.acquire(
    `source:${source.id}`,
    'ingest',
    `an ingest of source "${source.name}" is already running; try again when it has finished`,
  );
  return { sourceId: source.id, lock };
}

/** What a remote source type's reader gets for one refresh of a source. */
export interface RemoteReadContext {
  /** The run's context: honour `signal` between pages, report `progress`. */
  stage: StageContext;
  /** Writes the records: `startReplace` for a full read, `startPatch` for changes only. */
  writer: RecordWriter;
  /** The source's ingest lease, held for the whole read. */
  lease: IngestLease;
  /** A full read that finds no records may empty a source that has some (else it fails). */
  allowEmpty?: boolean;
}

/** What {@link SourceType.normalizeOptions} knows about the source being created or changed. */
export interface OptionsContext {
  /** The source's id (already chosen when creating). */
  sourceId: string;
  /** The stored source when updating; null when creating. */
  current: Source | null;
  /** The installation's app registration (Settings), for types that sign in at Entra ID. */
  appRegistration?: AppRegistration | null;
  /** The rest of the definition being validated (columns a type may check). */
  definition: {
    primaryKey: string | undefined;
    mapping: Record<string, FieldMapping>;
    lastModifiedColumn: string | null;
  };
}

/** What {@link SourceType.normalizeOptions} answers. */
export interface NormalizedOptions {
  /** Stored and returned by the API: never a secret. */
  options: Record<string, unknown>;
  errors: ErrorDetail[];
  /**
   * Types with secret options: the sealed envelope to store in `source.secrets` (null: none).
   * Undefined leaves the stored secrets as they are.
   */
  secrets?: string | null;
}

/**
 * A kind of source: its options and how its records arrive. The seam where new types plug in
 * without touching the others: a module registers its type in {@link SourceTypeRegistry}
 * at start-up (`onModuleInit`), and sources of that `type` are validated and read through it.
 *
 * - `csv`: records arrive by upload (`POST /api/sources/:id/upload`); a refresh keeps them.
 * - `dataverse` (issue 6): `remote`, read by every refresh with `read()`, which pages through
 *   the table and writes a full replace or, with a delta link, an incremental patch.
 */
export interface SourceType {
  readonly type: string;
  /** One line for the API docs. */
  readonly description: string;
  /** Read from an outside system by every refresh (`read`), rather than uploaded. */
  readonly remote: boolean;
  /** Files can be uploaded to it. */
  readonly uploads: boolean;
  /**
   * Validates `options` (paths start with `options`) and fills in defaults. Types with secret
   * options take them out of `options` and answer them sealed in `secrets`.
   */
  normalizeOptions(input: unknown, context?: OptionsContext): NormalizedOptions;
  /**
   * Types with secret options: for each secret option (dotted path), whether a value is stored.
   * The API shows this instead of the values.
   */
  secretsView?(source: Source): Record<string, 'set' | 'not set'>;
  /** Remote types: reads the source into its records and answers the ingest's figures. */
  read?(source: Source, context: RemoteReadContext): Promise<IngestSummary>;
}

/** The source types this instance knows, by name. */
@Injectable()
export class SourceTypeRegistry {
  private readonly types = new Map<string, SourceType>();

  register(type: SourceType): void {
    if (this.types.has(type.type))
      throw new Error(`source type ${type.type} is already registered`);
    this.types.set(type.type, type);
  }

  get(type: string): SourceType | undefined {
    return this.types.get(type);
  }

  names(): string[] {
    return [...this.types.keys()];
  }
}
