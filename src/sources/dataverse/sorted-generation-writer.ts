import { ErrorList } from '../csv/error-list';
import { emptyRecordBatch, type RowError } from '../csv/parse-messages';
import { SortedRuns, duplicateMessage } from '../csv/sorted-runs';
import { KeyFilter } from '../key-filter';
import type { ReplaceSession, SourceRecordInput } from '../record-writer';

/** Records sorted and written together (as CSV ingestion does; see SortedRuns). */
const RUN_SIZE = 100_000;
/** Records per `ReplaceSession.write` (one short transaction). */
const WRITE_SIZE = 2500;

/** A record of a full read, with its position in the read (`line` of its error, if any). */
export interface ReadRecord {
  record: SourceRecordInput;
  line: number;
}

/**
 * Writes the records of a full read into the new generation in runs sorted by key, with the
 * CSV ingestion's tools: Dataverse answers rows in its own order (random GUIDs), and inserting
 * them unsorted touches a different index page for nearly every row (on SQLite a 1,000,000-row
 * read slowed to ~4,000 rows/s). A key read twice keeps its first row: within a run sorting
 * finds it, across runs a Bloom filter flags the keys to check against the rows written.
 */
export class SortedGenerationWriter {
  private readonly runs: SortedRuns;
  private readonly filter = new KeyFilter();
  private readonly duplicates = new ErrorList();
  private duplicateCount = 0;

  constructor(
    private readonly session: ReplaceSession,
    sizes: { run: number; write: number } = { run: RUN_SIZE, write: WRITE_SIZE },
  ) {
    this.runs = new SortedRuns(sizes.run, sizes.write);
  }

  /** Adds a page of records; writes a run when one is full. */
  async add(records: ReadRecord[]): Promise<void> {
    const batch = emptyRecordBatch();
    for (const { record, line } of records) {
      if (this.filter.add(record.key)) batch.maybeSeen.push(batch.keys.length);
      batch.keys.push(record.key);
      batch.fields.push(text(record.fields));
      batch.raw.push(text(record.raw));
      batch.lastModified.push(record.lastModified);
      batch.lines.push(line);
    }
    this.runs.addBatch(batch);
    if (this.runs.full) await this.writeRun();
  }

  /** Writes what is left. */
  async finish(): Promise<void> {
    await this.writeRun();
  }

  /** Rows left out because their key was read before. */
  get rejected(): number {
    return this.runs.duplicates + this.duplicateCount;
  }

  errors(): RowError[] {
    return [...this.runs.errors.list(), ...this.duplicates.list()];
  }

  private async writeRun(): Promise<void> {
    this.runs.seal();
    for (let batch = this.runs.nextBatch(); batch; batch = this.runs.nextBatch()) {
      const flagged = batch.maybeSeen.map((i) => batch.keys[i]);
      const existing = flagged.length > 0 ? await this.session.existingKeys(flagged) : null;
      const records: SourceRecordInput[] = [];
      for (let i = 0; i < batch.keys.length; i++) {
        if (existing?.has(batch.keys[i])) {
          this.duplicateCount++;
          this.duplicates.add(batch.lines[i], duplicateMessage(batch.keys[i]));
          continue;
        }
        records.push({
          key: batch.keys[i],
          fields: batch.fields[i],
          raw: batch.raw[i],
          lastModified: batch.lastModified[i],
        });
      }
      await this.session.write(records);
    }
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
