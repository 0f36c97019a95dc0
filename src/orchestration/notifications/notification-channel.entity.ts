import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { NotificationEventType } from './notification-events';

export const CHANNEL_TYPES = ['webhook', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Where a channel sends: a webhook's URL, or e-mail addresses. Never a secret. */
export interface ChannelConfig {
  url?: string;
  to?: string[];
}

/**
 * A notification channel: the events it wants and where they go. A webhook's signing secret is
 * in `secret`, one SecretBox envelope bound to the channel's id.
 */
@Entity('notification_channel')
export class NotificationChannel {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: ChannelType;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'simple-json' })
  config!: ChannelConfig;

  @Column({ type: 'text', nullable: true })
  secret!: string | null;

  @Column({ type: 'simple-json' })
  events!: NotificationEventType[];

  @CreateDateColumn({ name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
