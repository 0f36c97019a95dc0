import { Module, type DynamicModule } from '@nestjs/common';
import { AppRegistrationModule } from '@platform/app-registration/app-registration.module';
import { AuditModule } from '@platform/audit/audit.module';
import { AuthModule } from '@platform/auth/auth.module';
import type { AppConfig } from '@platform/config/app-config';
import { ConfigModule } from '@platform/config/config.module';
import { DatabaseModule } from '@platform/database/database.module';
import { CustomersModule } from '@stages/customers/customers.module';
import { DestinationsModule } from '@stages/destinations/destinations.module';
import { ExportRunListenersModule } from '@stages/destinations/export-run-listeners.module';
import { HealthModule } from '@platform/health/health.module';
import { NotificationsModule } from '@orchestration/notifications/notifications.module';
import { PlatformModule } from './platform/platform.module';
import { RefreshModule } from '@orchestration/refresh/refresh.module';
import { SegmentsModule } from '@stages/segments/segments.module';
import { SettingsModule } from '@platform/settings/settings.module';
import { SourcesModule } from '@stages/sources/sources.module';
import { UiModule } from '@platform/ui/ui.module';
import { UnificationModule } from '@stages/unification/unification.module';

/** The application: infrastructure first, then one module per feature. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        PlatformModule,
        SettingsModule,
        AppRegistrationModule,
        AuthModule,
        AuditModule,
        HealthModule,
        SourcesModule,
        UnificationModule,
        CustomersModule,
        SegmentsModule,
        RefreshModule,
        ExportRunListenersModule,
        DestinationsModule,
        NotificationsModule,
        UiModule,
      ],
    };
  }
}
