import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CHANNEL_TYPES } from './notification-channel.entity';
import { NOTIFICATION_EVENTS } from './notification-events';

/* OpenAPI descriptions of the answers (the service returns plain interfaces). */

export class NotificationChannelDoc {
  @ApiProperty()
  id!: string;

  @ApiProperty({ enum: CHANNEL_TYPES })
  type!: string;

  @ApiProperty()
  name!: string;

  @ApiPropertyOptional({ description: 'Webhooks: where events are posted' })
  url?: string;

  @ApiPropertyOptional({
    description: 'Webhooks: whether a signing secret is stored (never its value)',
  })
  secretSet?: boolean;

  @ApiPropertyOptional({ type: [String], description: 'E-mail: the addresses written to' })
  to?: string[];

  @ApiProperty({ enum: NOTIFICATION_EVENTS, isArray: true })
  events!: string[];

  @ApiProperty()
  createdAt!: string;

  @ApiProperty()
  updatedAt!: string;
}

export class DeliveryDoc {
  @ApiProperty()
  id!: string;

  @ApiProperty({ description: 'The event id (header X-Audience-Sync-Event-Id); one per event' })
  eventId!: string;

  @ApiProperty({ enum: [...NOTIFICATION_EVENTS, 'test'] })
  eventType!: string;

  @ApiProperty({
    enum: ['pending', 'delivered', 'failed'],
    description: 'pending: waiting for its (next) attempt; failed: given up',
  })
  status!: string;

  @ApiProperty()
  attempts!: number;

  @ApiProperty({ nullable: true, type: String })
  lastError!: string | null;

  @ApiProperty({ nullable: true, type: Number, description: 'HTTP status of the last attempt' })
  responseCode!: number | null;

  @ApiProperty()
  createdAt!: string;

  @ApiProperty({ nullable: true, type: String })
  lastAttemptAt!: string | null;

  @ApiProperty({ nullable: true, type: String })
  deliveredAt!: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When a pending delivery is tried next',
  })
  nextAttemptAt!: string | null;
}
