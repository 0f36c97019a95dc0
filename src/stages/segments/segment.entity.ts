import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { RuleNode } from './rule';

/**
 * A segment: a named rule over the unified customers, and the figures of its last evaluation.
 * Its members are in `segment_member` (written by {@link MembershipWriter}, never through
 * this entity). Evaluation columns are written by raw SQL and hold ISO-8601 UTC text.
 */
@Entity('segment')
export class Segment {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  /** The name case-folded: names are unique regardless of case. */
  @Column({ name: 'name_key', type: 'varchar', length: 200, unique: true })
  nameKey!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ type: 'simple-json' })
  rule!: RuleNode;

  /** Incremented whenever the rule changes; membership is stale until evaluated again. */
  @Column({ name: 'rule_version', type: 'integer', default: 1 })
  ruleVersion!: number;

  @Column({ type: 'integer', default: 0 })
  size!: number;

  @Column({ name: 'evaluated_at', type: 'varchar', length: 30, nullable: true })
  evaluatedAt!: string | null;

  @Column({ name: 'evaluated_rule_version', type: 'integer', nullable: true })
  evaluatedRuleVersion!: number | null;

  @Column({ name: 'last_added', type: 'integer', default: 0 })
  lastAdded!: number;

  @Column({ name: 'last_removed', type: 'integer', default: 0 })
  lastRemoved!: number;

  /** Why the last evaluation failed (the membership then stayed as it was), or null. */
  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_error_at', type: 'varchar', length: 30, nullable: true })
  lastErrorAt!: string | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
