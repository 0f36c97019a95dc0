import type { SyncMode } from '@audience-sync/exporter-contract';
import type { RemovalLimit } from './removal-limit';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The interactive sign-in of a destination (device code), as last reported. */
export interface SignInState {
  status: 'pending' | 'signed-in' | 'failed';
  startedAt: string;
  /** While pending: what the person signing in needs. */
  userCode?: string;
  verificationUri?: string;
  expiresAt?: string;
  /** Once signed in: who, and their tenant (learned when the sign-in named none). */
  user?: { username: string; name?: string; tenantId?: string };
  signedInAt?: string;
  /** Once failed: why, in words. */
  message?: string;
}

/**
 * A destination: where chosen segments are exported, by which plugin type. `config` never
 * holds secrets; they are in `secrets`, one SecretBox envelope (see DestinationSecrets).
 */
@Entity('destination')
export class Destination {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  type!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200, unique: true })
  displayName!: string;

  @Column({ type: 'simple-json' })
  config!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  secrets!: string | null;

  @Column({ name: 'contact_id_field', type: 'varchar', length: 64, nullable: true })
  contactIdField!: string | null;

  @Column({ name: 'segment_ids', type: 'simple-json' })
  segmentIds!: string[];

  @Column({ name: 'sync_mode', type: 'varchar', length: 20 })
  syncMode!: SyncMode;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  /** The removal guardrail as set (null: the default, see removal-limit.ts). */
  @Column({ name: 'removal_limit', type: 'simple-json', nullable: true })
  removalLimit!: Partial<RemovalLimit> | null;

  /** Share of skipped members (percent) above which a run notifies `skipped.threshold`. */
  @Column({ name: 'skipped_alert_percent', type: 'real', nullable: true })
  skippedAlertPercent!: number | null;

  @Column({ name: 'sign_in', type: 'simple-json', nullable: true })
  signIn!: SignInState | null;

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
