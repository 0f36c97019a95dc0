import { Injectable } from '@nestjs/common';
import type { ErrorDetail } from '../common/app-error';
import type { StageContext } from '../refresh/stage';
import type { IngestLease } from './ingest-lease';
import type { RecordWriter } from './record-writer';
import type { IngestSummary, Source } from './source.entity';

/** What a remote source type's reader gets for one refresh of a source. */
export interface RemoteReadContext {
  /** The run's context: honour `signal` between pages, report `progress`. */
  stage: StageContext;
  /** Writes the records: `startReplace` for a full read, `startPatch` for changes only. */
  writer: RecordWriter;
  /** The source's ingest lease, held for the whole read. */
  lease: IngestLease;
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
  /** Validates `options` (paths start with `options`) and fills in defaults. */
  normalizeOptions(input: unknown): { options: Record<string, unknown>; errors: ErrorDetail[] };
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
