import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One audit log entry; written once, never changed (retention deletes old ones). */
@Entity('audit_entry')
export class AuditEntry {
  /** Order of the log. A bigint on PostgreSQL, which the driver reads as text: see toView. */
  @PrimaryGeneratedColumn('increment')
  id!: number | string;

  /** ISO-8601 UTC. */
  @Column({ type: 'varchar', length: 30 })
  at!: string;

  @Column({ name: 'actor_kind', type: 'varchar', length: 20, nullable: true })
  actorKind!: string | null;

  @Column({ name: 'actor_id', type: 'varchar', length: 200, nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 200, nullable: true })
  actorName!: string | null;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ type: 'varchar', length: 60 })
  entity!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 200, nullable: true })
  entityId!: string | null;

  @Column({ name: 'before_json', type: 'text', nullable: true })
  beforeJson!: string | null;

  @Column({ name: 'after_json', type: 'text', nullable: true })
  afterJson!: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;
}
