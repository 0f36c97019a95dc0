import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { FieldType } from '@stages/contract/customer-field';

/** How a customer field is read from a source column. */
export interface FieldMapping {
  column: string;
  type: FieldType;
}

/** Figures of one ingest of a source (the last one is kept on the source). */
export interface IngestSummary {
  status: 'succeeded' | 'failed';
  startedAt: string;
  finishedAt: string;
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
  errors: { line: number; message: string }[];
  /** Why the whole ingest failed (then the previous records were kept). */
  error?: string;
}

/**
 * A source of customer records. Its records live in `source_record` under a generation number:
 * an ingest writes a new generation and makes it current in one small statement when it
 * succeeds, so a failed ingest leaves the previous records untouched.
 */
@Entity('source')
export class Source {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200, unique: true })
  name!: string;

  /** `csv` (uploaded files) or `dataverse` (read from a Dynamics 365 org). */
  @Column({ type: 'varchar', length: 20 })
  type!: string;

  /** Column holding the record's key within the source. */
  @Column({ name: 'primary_key', type: 'varchar', length: 200 })
  primaryKey!: string;

  /** Customer field name → how to read it. */
  @Column({ type: 'simple-json' })
  mapping!: Record<string, FieldMapping>;

  @Column({ name: 'last_modified_column', type: 'varchar', length: 200, nullable: true })
  lastModifiedColumn!: string | null;

  /** Type-specific options (CSV dialect; Dataverse connection without its secrets). */
  @Column({ type: 'simple-json' })
  options!: Record<string, unknown>;

  /** Encrypted secrets of the source (Dataverse credentials), never returned by the API. */
  @Column({ name: 'secrets', type: 'text', nullable: true })
  secrets!: string | null;

  /** Reader state kept between ingests (a Dataverse delta link). */
  @Column({ name: 'reader_state', type: 'simple-json', nullable: true })
  readerState!: Record<string, unknown> | null;

  /** Generation of `source_record` rows that is current; 0 before the first ingest. */
  @Column({ name: 'current_generation', type: 'integer', default: 0 })
  currentGeneration!: number;

  @Column({ name: 'record_count', type: 'integer', default: 0 })
  recordCount!: number;

  @Column({ name: 'last_ingest', type: 'simple-json', nullable: true })
  lastIngest!: IngestSummary | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
