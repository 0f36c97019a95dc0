import {
  DataverseErrorKind,
  isDataverseError,
  isForeignLink,
  type DataverseClient,
} from '@audience-sync/dataverse-client';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { Db } from '@platform/database/db.service';
import { StageCanceled, type StageContext } from '@stages/contract/stage';
import { ErrorList, type RowError } from '../csv/error-list';
import type { IngestLease } from '../source-types';
import type { RecordWriter, SourceRecordInput } from '../record-writer';
import type { MappingPlan } from '../record-mapper';
import type { DataverseIngestSummary } from './ingest-summary';
import { readFingerprint, type DataverseReaderState } from './reader-state';
import { readAhead } from './read-ahead';
import { DataverseRowMapper, selectColumns, type DataverseRow } from './row-mapper';
import { openRecordStage } from '../stage/open-record-stage';
import type { RecordStage, StageDuplicates } from '../stage/record-stage';

/** Rows per `ReplaceSession.write` / `PatchSession.upsert` (one short transaction each). */
const WRITE_CHUNK = 2500;

/** What one read of a source works with. */
export interface ReadJob {
  client: DataverseClient;
  db: Db;
  writer: RecordWriter;
  lease: IngestLease;
  stage: StageContext;
  source: { id: string; name: string };
  plan: MappingPlan;
  serverAddress: string;
  table: string;
  /** Extra columns of the options (kept raw). */
  extraColumns: readonly string[];
  pageSize: number;
  /** The reader state the last successful read left (null: none). */
  state: DataverseReaderState | null;
  /** A full read that finds no records may empty a source that has some. */
  allowEmpty?: boolean;
  now?: () => Date;
}

/** Thrown when Dataverse will not answer a delta link (expired, refused): read everything. */
class DeltaRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * One read of a `dataverse` source (see the module README): an incremental read through the
 * delta link of the last read when there is a usable one, otherwise — or when Dataverse refuses
 * it — a full read. Either way nothing changes for readers of the source until the read has
 * completed: a full read writes a new generation published at the end, an incremental read
 * stages its changes and applies them in one transaction. A read that fails or is canceled
 * leaves the previous records and the previous reader state.
 */
export class DataverseReader {
  private readonly mapper: DataverseRowMapper;
  private readonly columns: string[];
  private readonly fingerprint: string;
  private readonly startedAt: string;
  private errors = new ErrorList();
  /** Rows of a full read left out because their key was read before. */
  private duplicates: StageDuplicates | null = null;
  private pages = 0;
  private rowsRead = 0;
  private rejected = 0;
  private readonly notes: string[] = [];

  constructor(private readonly job: ReadJob) {
    this.columns = selectColumns(job.plan, job.extraColumns);
    this.mapper = new DataverseRowMapper(job.plan, this.columns);
    this.fingerprint = readFingerprint({
      serverAddress: job.serverAddress,
      table: job.table,
      columns: this.columns,
      plan: job.plan,
    });
    this.startedAt = this.now().toISOString();
  }

  /** Rows received so far (for the record of a read that fails). */
  get rowsReadSoFar(): number {
    return this.rowsRead;
  }

  async run(): Promise<DataverseIngestSummary> {
    const { state } = this.job;
    let reason: string | undefined;
    if (state?.deltaLink !== undefined) {
      if (state.fingerprint !== this.fingerprint) {
        reason =
          'the source’s definition (server, table, columns, primary key or mapping) changed since the last read, so every row was read again';
      } else {
        try {
          return await this.incremental(state.deltaLink);
        } catch (error) {
          if (!(error instanceof DeltaRefused)) throw error;
          reason = error.reason;
          this.resetFigures();
        }
      }
    } else if (state !== null && !state.changeTracking) {
      reason = `change tracking is not enabled for table ${this.job.table} in Dataverse, so every read is a full read`;
    }
    return this.full(reason);
  }

  /**
   * Reads every row into a stage table (see `stage/record-stage.ts`: Dataverse answers in its
   * own order, the stage puts the records into the generation in key order), published when
   * the last page is in.
   */
  private async full(reason: string | undefined): Promise<DataverseIngestSummary> {
    const { writer, lease, db } = this.job;
    const session = await writer.startReplace(lease);
    let stage: RecordStage | undefined;
    try {
      stage = await openRecordStage(db);
      let deltaLink: string | undefined;
      let tracking = true;
      let pages: AsyncGenerator<{ rows: DataverseRow[]; deltaLink?: string }>;
      try {
        pages = this.pagesOf(this.queryPath(), true);
        const first = await pages.next();
        if (!first.done) {
          await this.writeFullPage(stage, first.value.rows);
          deltaLink = first.value.deltaLink ?? deltaLink;
        }
      } catch (error) {
        // A table without change tracking refuses odata.track-changes: read it without. A link
        // to another host is no such refusal: the read fails.
        if (!isPermanent(error) || isForeignLink(error) || this.pages > 0) throw error;
        tracking = false;
        pages = this.pagesOf(this.queryPath(), false);
      }
      for await (const page of readAhead(pages)) {
        await this.writeFullPage(stage, page.rows);
        deltaLink = page.deltaLink ?? deltaLink;
      }
      await stage.finish();
      if (stage.rows === 0 && !this.job.allowEmpty && (await this.recordCount()) > 0) {
        const message = `the full read of table ${this.job.table} found no records (${this.rowsRead} rows read), which would empty the source (ingest with allowEmpty=true to empty it on purpose)`;
        throw new AppError(ErrorCode.VALIDATION, message, [{ path: 'source', message }]);
      }
      this.duplicates = await session.load(stage);
      await stage.close();
      if (deltaLink === undefined) {
        this.notes.push(
          `Table ${this.job.table} does not track changes in Dataverse, so every read of this source reads every row; turn on change tracking for the table to read only what changed.`,
        );
      }
      const summary = this.summary('full', session.rows, reason);
      const finishedAt = summary.finishedAt;
      const state: DataverseReaderState = {
        fingerprint: this.fingerprint,
        changeTracking: tracking && deltaLink !== undefined,
        lastFullReadAt: finishedAt,
        ...(deltaLink !== undefined ? { deltaLink } : {}),
      };
      await session.publish({ lastIngest: summary, readerState: { ...state } });
      return summary;
    } catch (error) {
      await stage?.close().catch(() => undefined);
      await session.discard();
      throw error;
    }
  }

  private async writeFullPage(stage: RecordStage, rows: DataverseRow[]): Promise<void> {
    const first = this.rowsRead;
    this.notePage(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const line = first + i + 1;
      const mapped = this.mapper.map(rows[i]);
      if (!mapped.ok) {
        this.reject(line, mapped.message);
        continue;
      }
      const { key, fields, raw, lastModified } = mapped.record;
      if (stage.add({ key, fields: json(fields), raw: json(raw), lastModified }, line)) {
        await stage.flush();
      }
    }
    this.reportProgress();
  }

  /** Reads the changes since the last read and applies them all at once. */
  private async incremental(deltaLink: string): Promise<DataverseIngestSummary> {
    const { writer, lease } = this.job;
    const patch = await writer.startPatch(lease);
    try {
      let next: string | undefined;
      try {
        for await (const page of this.pagesOf(deltaLink, true)) {
          await this.stageChanges(patch, page.rows);
          next = page.deltaLink ?? next;
        }
      } catch (error) {
        const refusal = deltaRefusal(error);
        if (refusal !== null) throw new DeltaRefused(refusal);
        throw error;
      }
      if (next === undefined) {
        throw new DeltaRefused(
          'Dataverse answered the delta link of the last read without a new one, so every row was read again',
        );
      }
      const counts = await this.patchCounts(patch.generation);
      const stored = (await this.recordCount()) + counts.added - counts.removed;
      const summary = {
        ...this.summary('incremental', stored),
        added: counts.added,
        updated: counts.updated,
        removed: counts.removed,
      };
      const state: DataverseReaderState = {
        ...(this.job.state ?? {}),
        fingerprint: this.fingerprint,
        changeTracking: true,
        deltaLink: next,
      };
      const count = await patch.apply({ lastIngest: summary, readerState: { ...state } });
      if (count !== stored) {
        // Only if the records changed under the lease; record what is really there.
        summary.rowsStored = count;
        await this.job.db.atomic([
          {
            sql: `UPDATE source SET last_ingest = ? WHERE id = ? AND ${lease.lock.heldSql}`,
            params: [JSON.stringify(summary), lease.sourceId, ...lease.lock.heldParams],
          },
        ]);
      }
      return summary;
    } catch (error) {
      await patch.discard();
      throw error;
    }
  }

  private async stageChanges(
    patch: Awaited<ReturnType<RecordWriter['startPatch']>>,
    rows: DataverseRow[],
  ): Promise<void> {
    const first = this.rowsRead;
    this.notePage(rows.length);
    const upserts: SourceRecordInput[] = [];
    const removes: string[] = [];
    rows.forEach((row, i) => {
      const deleted = deletedId(row);
      if (deleted !== null) {
        removes.push(deleted);
        return;
      }
      const mapped = this.mapper.map(row);
      if (mapped.ok) upserts.push(mapped.record);
      else {
        // As in a full read, a row that does not fit is not in the source.
        this.reject(first + i + 1, mapped.message);
        if (mapped.key !== null) removes.push(mapped.key);
      }
    });
    for (let i = 0; i < upserts.length; i += WRITE_CHUNK) {
      await patch.upsert(upserts.slice(i, i + WRITE_CHUNK));
    }
    await patch.remove(removes);
    this.reportProgress();
  }

  /** Records new to the source, changed, and leaving it, among the staged changes. */
  private async patchCounts(
    generation: number,
  ): Promise<{ added: number; updated: number; removed: number }> {
    const present = 'CASE WHEN r.record_key IS NULL THEN 0 ELSE 1 END';
    const rows = await this.job.db.query<{
      op: string;
      present: number | string;
      n: number | string;
    }>(
      `SELECT c.op AS op, ${present} AS present, COUNT(*) AS n
       FROM source_record_change c
       LEFT JOIN source_record r ON r.source_id = c.source_id AND r.generation = ?
         AND r.record_key = c.record_key
       WHERE c.source_id = ?
       GROUP BY c.op, ${present}`,
      [generation, this.job.source.id],
    );
    const count = (op: string, isPresent: number) =>
      rows
        .filter((r) => r.op === op && Number(r.present) === isPresent)
        .reduce((n, r) => n + Number(r.n), 0);
    return { added: count('u', 0), updated: count('u', 1), removed: count('d', 1) };
  }

  private async recordCount(): Promise<number> {
    const rows = await this.job.db.query<{ record_count: number | string }>(
      'SELECT record_count FROM source WHERE id = ?',
      [this.job.source.id],
    );
    return Number(rows.at(0)?.record_count ?? 0);
  }

  private queryPath(): string {
    return `${this.job.table}?$select=${this.columns.join(',')}`;
  }

  private async *pagesOf(
    path: string,
    trackChanges: boolean,
  ): AsyncGenerator<{ rows: DataverseRow[]; deltaLink?: string }> {
    const { client, stage, pageSize } = this.job;
    try {
      for await (const page of client.pages<DataverseRow>(path, {
        maxPageSize: pageSize,
        trackChanges,
        signal: stage.signal,
      })) {
        if (stage.signal.aborted) throw new StageCanceled();
        yield page;
      }
    } catch (error) {
      if (stage.signal.aborted) throw new StageCanceled();
      throw error;
    }
  }

  private notePage(rows: number): void {
    this.pages += 1;
    this.rowsRead += rows;
  }

  private reject(line: number, message: string): void {
    this.rejected += 1;
    this.errors.add(line, message);
  }

  private resetFigures(): void {
    this.pages = 0;
    this.rowsRead = 0;
    this.rejected = 0;
    this.errors = new ErrorList();
    this.duplicates = null;
  }

  private reportProgress(): void {
    this.job.stage.progress({
      source: this.job.source.name,
      pages: this.pages,
      rowsRead: this.rowsRead,
    });
  }

  private summary(
    mode: 'full' | 'incremental',
    rowsStored: number,
    reason?: string,
  ): DataverseIngestSummary {
    const { stats } = this.job.client;
    return {
      status: 'succeeded',
      startedAt: this.startedAt,
      finishedAt: this.now().toISOString(),
      mode,
      ...(reason !== undefined ? { fullReadReason: reason } : {}),
      rowsRead: this.rowsRead,
      rowsStored,
      rowsRejected: this.rejected + (this.duplicates?.count ?? 0),
      errors: this.errorList(),
      pages: this.pages,
      requests: stats.requests,
      throttled: stats.throttled,
      ...(this.notes.length > 0 ? { notes: [...this.notes] } : {}),
    };
  }

  private errorList(): RowError[] {
    if (!this.duplicates) return this.errors.list();
    const all = new ErrorList();
    all.addAll(this.errors.list());
    all.addAll(this.duplicates.errors);
    return all.list();
  }

  private now(): Date {
    return this.job.now?.() ?? new Date();
  }
}

function json(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The id of a `$deletedEntity` entry of a delta page, or null for a row. */
function deletedId(row: DataverseRow): string | null {
  const context = row['@odata.context'];
  const deleted =
    (typeof context === 'string' && context.includes('$deletedEntity')) || row.reason === 'deleted';
  return deleted && typeof row.id === 'string' ? row.id : null;
}

function isPermanent(error: unknown): boolean {
  return isDataverseError(error) && error.kind === DataverseErrorKind.PERMANENT;
}

/**
 * Why Dataverse would not answer a delta link, or null when the error is something else
 * (sign-in, privileges, throttling, network: the read fails and the link is kept).
 */
function deltaRefusal(error: unknown): string | null {
  // A link to another host is refused by us, not by Dataverse: the read fails, nothing changes.
  if (!isDataverseError(error) || isForeignLink(error)) return null;
  if (error.kind !== DataverseErrorKind.PERMANENT && error.kind !== DataverseErrorKind.NOT_FOUND) {
    return null;
  }
  const expired = error.code === '0x80044352' || /expired/i.test(error.message);
  return expired
    ? `the delta link of the last read has expired (Dataverse: ${error.message}), so every row was read again`
    : `Dataverse refused the delta link of the last read (${error.message}), so every row was read again`;
}
