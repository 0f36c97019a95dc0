import type { IngestSummary } from '../source.entity';

/**
 * The figures of one read of a `dataverse` source: those of every ingest (`rowsRead` = rows
 * Dataverse answered, `rowsStored` = records the source holds afterwards, `rowsRejected` with
 * `errors`, whose `line` is the row's position in the read) and how the read went.
 */
export interface DataverseIngestSummary extends IngestSummary {
  /** `full`: every row read, replacing the records; `incremental`: the changes since the last read. */
  mode: 'full' | 'incremental';
  /** Why a full read was made although the last read left a delta link (expired, refused …). */
  fullReadReason?: string;
  /** Pages read (`odata.maxpagesize` rows each at most). */
  pages: number;
  /** HTTP requests sent to Dataverse (retries and throttled attempts included). */
  requests: number;
  /** 429 answers met (each waited out as told by Retry-After). */
  throttled: number;
  /** Incremental reads: records new to the source. */
  added?: number;
  /** Incremental reads: records that changed. */
  updated?: number;
  /** Incremental reads: records that left the source (deleted in Dataverse, or now rejected). */
  removed?: number;
  /** Notes worth reading (change tracking off for the table …). */
  notes?: string[];
}
