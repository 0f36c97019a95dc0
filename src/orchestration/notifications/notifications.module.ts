import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@platform/config/app-config';
import { ClockModule } from '@platform/clock/clock.module';
import { SchedulingModule } from '@platform/schedule/scheduling.module';
import { SecretsModule } from '@platform/secrets/secrets.module';
import { AddressPolicy } from './address-policy';
import { ChannelSecrets } from './channel-secrets';
import { DeliveryOutbox } from './delivery-outbox';
import { EmailSender } from './email-sender';
import { NotificationChannel } from './notification-channel.entity';
import { NotificationDispatcher } from './notification-dispatcher';
import { NotificationsController } from './notifications.controller';
import { NotificationsService } from './notifications.service';
import { RunNotifier } from './run-notifier';
import { WebhookSender } from './webhook-sender';

/**
 * Notifications: channels (webhooks, e-mail), the events of ended export runs written to a
 * durable outbox, and its delivery with retries. Sits above destinations, which only announce
 * the end of runs (ExportRunListeners, global); it does not import DestinationsModule (see
 * ExportRunListenersModule for why) and reads the two destination settings it needs itself.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationChannel]),
    SecretsModule,
    SchedulingModule,
    ClockModule,
  ],
  controllers: [NotificationsController],
  providers: [
    {
      provide: AddressPolicy,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new AddressPolicy(config.NOTIFY_ALLOWED_HOSTS),
    },
    {
      provide: WebhookSender,
      inject: [AddressPolicy],
      useFactory: (policy: AddressPolicy) => new WebhookSender(policy),
    },
    {
      provide: EmailSender,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new EmailSender(config.SMTP_URL, config.SMTP_FROM),
    },
    ChannelSecrets,
    DeliveryOutbox,
    NotificationDispatcher,
    NotificationsService,
    RunNotifier,
  ],
})
export class NotificationsModule {}
