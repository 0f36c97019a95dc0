import { Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppError, ErrorCode } from '../common/app-error';
import { Db } from '../database/db.service';
import { RunLocks } from '../platform/run-locks';
import { normalizeCsvOptions } from './csv/csv-options';
import { CsvFileError } from './csv/csv-file-error';
import { ingestCsv, type CsvIngestResult } from './csv/csv-ingestion';
import { RecordWriter, type ReplaceSession } from './record-writer';
import { SourceTypeRegistry, claimIngest } from './source-types';
import type { IngestSummary } from './source.entity';
import { SourcesService } from './sources.service';

/** A successful upload's answer. */
export type UploadResult = IngestSummary & { status: 'succeeded' };

/**
 * Uploads into a CSV source: one ingest per source at a time (409), the file streamed
 * through the parse worker into a new generation that replaces the records only when the
 * file as a whole was good. A refused file (header, encoding, unparsable, every row
 * rejected) answers 400 naming the line, and the source keeps its previous records.
 */
@Injectable()
export class SourceIngestService {
  private readonly logger = new Logger('Ingest');

  constructor(
    private readonly sources: SourcesService,
    private readonly types: SourceTypeRegistry,
    private readonly writer: RecordWriter,
    private readonly db: Db,
    private readonly locks: RunLocks,
  ) {}

  async upload(sourceId: string, input: Readable): Promise<UploadResult> {
    const source = await this.sources.find(sourceId);
    if (!this.types.get(source.type)?.uploads) {
      throw AppError.validation(
        'file',
        `source "${source.name}" is a ${source.type} source: its records are read by the refresh, not uploaded`,
      );
    }
    const lease = await claimIngest(this.locks, source);
    const startedAt = new Date().toISOString();
    let session: ReplaceSession | undefined;
    let figures: CsvIngestResult | undefined;
    try {
      session = await this.writer.startReplace(lease);
      const result = await ingestCsv(
        input,
        {
          plan: {
            primaryKey: source.primaryKey,
            mapping: source.mapping,
            lastModifiedColumn: source.lastModifiedColumn,
          },
          options: normalizeCsvOptions(source.options).options,
        },
        session,
      );
      figures = result;
      if (result.rowsRead > 0 && result.rowsStored === 0) {
        throw new AppError(
          ErrorCode.VALIDATION,
          `every row of the file was rejected (${result.rowsRead} rows); source "${source.name}" keeps its previous records`,
          result.errors.map((e) => ({ path: `line ${e.line}`, message: e.message })),
        );
      }
      const summary: UploadResult = {
        status: 'succeeded',
        startedAt,
        finishedAt: new Date().toISOString(),
        ...result,
      };
      await session.publish({ lastIngest: summary });
      this.logger.log(
        `source "${source.name}": ${result.rowsStored} records stored, ${result.rowsRejected} rows rejected`,
      );
      return summary;
    } catch (error) {
      await session?.discard().catch((e: unknown) => {
        this.logger.warn(
          `source "${source.name}": could not remove a partial upload: ${String(e)}`,
        );
      });
      const refused = toAppError(error);
      await this.recordFailure(source.id, {
        status: 'failed',
        startedAt,
        finishedAt: new Date().toISOString(),
        rowsRead: figures?.rowsRead ?? 0,
        rowsStored: 0,
        rowsRejected: figures?.rowsRejected ?? 0,
        errors: figures?.errors ?? [],
        error: refused?.message ?? 'internal error (see the server log)',
      });
      throw refused ?? error;
    } finally {
      await lease.lock.release();
    }
  }

  private async recordFailure(sourceId: string, summary: IngestSummary): Promise<void> {
    await this.db
      .query('UPDATE source SET last_ingest = ? WHERE id = ?', [JSON.stringify(summary), sourceId])
      .catch((e: unknown) => {
        this.logger.warn(`could not record a failed ingest: ${String(e)}`);
      });
  }
}

/** The error a refused file is answered with (undefined: not a refusal, an internal error). */
function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof CsvFileError) {
    return new AppError(
      ErrorCode.VALIDATION,
      `${error.message}; the source keeps its previous records`,
      [{ path: error.line === undefined ? 'file' : `line ${error.line}`, message: error.message }],
    );
  }
  return undefined;
}
