import { Injectable, Logger } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import { RunLocks } from '@platform/locks/run-locks';
import { normalizeCsvOptions } from './csv/csv-options';
import { CsvFileError } from './csv/csv-file-error';
import { stageCsv } from './csv/csv-ingestion';
import { ErrorList } from './csv/error-list';
import { RecordWriter, type ReplaceSession } from './record-writer';
import { openRecordStage } from './stage/open-record-stage';
import type { RecordStage } from './stage/record-stage';
import { SourceTypeRegistry, claimIngest } from './source-types';
import type { IngestSummary } from './source.entity';
import { SourcesService } from './sources.service';

/** A successful upload's answer. */
export type UploadResult = IngestSummary & { status: 'succeeded' };

/** The figures of an upload, before it is published. */
type UploadFigures = Pick<IngestSummary, 'rowsRead' | 'rowsStored' | 'rowsRejected' | 'errors'>;

/**
 * Uploads into a CSV source: one ingest per source at a time (409), the file streamed into a
 * temporary stage table (see `stage/record-stage.ts`), then copied into a new generation (the
 * first row of a key kept, later ones rejected as duplicates) that replaces the records only
 * when the file as a whole was good. A refused file (header, encoding, unparsable, every row
 * rejected, no rows at all unless `allowEmpty`) answers 400 naming the line, and the source
 * keeps its previous records.
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

  async upload(
    sourceId: string,
    input: Readable,
    options: { allowEmpty?: boolean } = {},
  ): Promise<UploadResult> {
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
    let stage: RecordStage | undefined;
    let figures: UploadFigures | undefined;
    try {
      session = await this.writer.startReplace(lease);
      stage = await openRecordStage(this.db);
      const read = await stageCsv(
        input,
        {
          plan: {
            primaryKey: source.primaryKey,
            mapping: source.mapping,
            lastModifiedColumn: source.lastModifiedColumn,
          },
          options: normalizeCsvOptions(source.options).options,
        },
        stage,
      );
      figures = {
        rowsRead: read.rowsRead,
        rowsStored: 0,
        rowsRejected: read.rowsRejected,
        errors: read.errors,
      };
      if (stage.rows === 0 && options.allowEmpty !== true) {
        throw emptyRefusal(source.name, figures);
      }
      const duplicates = await session.load(stage);
      await stage.close();
      const errors = new ErrorList();
      errors.addAll(read.errors);
      errors.addAll(duplicates.errors);
      figures = {
        rowsRead: read.rowsRead,
        rowsStored: stage.rows - duplicates.count,
        rowsRejected: read.rowsRejected + duplicates.count,
        errors: errors.list(),
      };
      const summary: UploadResult = {
        status: 'succeeded',
        startedAt,
        finishedAt: new Date().toISOString(),
        ...figures,
      };
      await session.publish({ lastIngest: summary });
      this.logger.log(
        `source "${source.name}": ${figures.rowsStored} records stored, ${figures.rowsRejected} rows rejected`,
      );
      return summary;
    } catch (error) {
      await stage?.close().catch((e: unknown) => {
        this.logger.warn(`source "${source.name}": could not drop an ingest stage: ${String(e)}`);
      });
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

/**
 * A file that would leave the source without records: every row rejected, or none at all
 * (a header alone). Refused so that a truncated export does not empty a source by mistake.
 */
function emptyRefusal(sourceName: string, figures: UploadFigures): AppError {
  if (figures.rowsRead > 0) {
    return new AppError(
      ErrorCode.VALIDATION,
      `every row of the file was rejected (${figures.rowsRead} rows); source "${sourceName}" keeps its previous records`,
      figures.errors.map((e) => ({ path: `line ${e.line}`, message: e.message })),
    );
  }
  const detail =
    'the file has a header but no rows, which would empty the source (upload with allowEmpty=true to empty it on purpose)';
  const message = `${detail}; the source keeps its previous records`;
  return new AppError(ErrorCode.VALIDATION, message, [{ path: 'file', message: detail }]);
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
