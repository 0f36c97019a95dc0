import { Module, type DynamicModule } from '@nestjs/common';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { DestinationsModule } from './destinations/destinations.module';
import { ExportRunListenersModule } from './destinations/export-run-listeners.module';
import { HealthModule } from './health/health.module';
import { NotificationsModule } from './notifications/notifications.module';
import { PlatformModule } from './platform/platform.module';
import { RefreshModule } from './refresh/refresh.module';
import { SegmentsModule } from './segments/segments.module';
import { SettingsModule } from './settings/settings.module';
import { SourcesModule } from './sources/sources.module';
import { UiModule } from './ui/ui.module';
import { UnificationModule } from './unification/unification.module';

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
        AuthModule,
        AuditModule,
        HealthModule,
        SourcesModule,
        UnificationModule,
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
