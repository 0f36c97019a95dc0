import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@platform/config/app-config';
import { StageContractModule } from '@stages/contract/stage-contract.module';
import { ClockModule } from '@platform/clock/clock.module';
import { SecretsModule } from '@platform/secrets/secrets.module';
import { CustomersModule } from '@stages/customers/customers.module';
import { CheckpointStore } from './checkpoint-store';
import { ConfigValidator } from './config-validator';
import { DestinationSecrets } from './destination-secrets';
import { DestinationTypesController } from './destination-types.controller';
import { Destination } from './destination.entity';
import { DestinationsController } from './destinations.controller';
import { DestinationsService } from './destinations.service';
import { DryRunService } from './dry-run.service';
import { ExportRunStore } from './export-run-store';
import { ExplainController } from './explain.controller';
import { ExplainService } from './explain.service';
import { ExportRunMembersController } from './export-run-members.controller';
import { ExportRunsController } from './export-runs.controller';
import { ExportRunsService } from './export-runs.service';
import { ExportStage } from './export-stage';
import { createPluginEnvironment } from './plugin-environment';
import {
  DESTINATION_PLUGIN_FACTORIES,
  PLUGIN_ENVIRONMENT,
  PluginRegistry,
} from './plugin-registry';
import { DESTINATION_PLUGINS } from './plugins';
import { MemberLogReader } from './member-log-reader';
import { MemberLogStore } from './member-log-store';
import { SegmentCatalog } from './segment-catalog';
import { SegmentExporter } from './segment-exporter';
import { SignInService } from './sign-in.service';

/**
 * Destinations: the plugin registry (plugins.ts), destination configuration with sealed
 * secrets, export runs with checkpoints, and the export stage of the refresh pipeline
 * (registered through RefreshHooks of the stage contract; the refresh never depends on this module).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Destination]),
    SecretsModule,
    CustomersModule,
    StageContractModule,
    ClockModule,
  ],
  controllers: [
    DestinationTypesController,
    DestinationsController,
    ExportRunsController,
    ExportRunMembersController,
    ExplainController,
  ],
  providers: [
    { provide: DESTINATION_PLUGIN_FACTORIES, useValue: DESTINATION_PLUGINS },
    {
      provide: PLUGIN_ENVIRONMENT,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createPluginEnvironment(config),
    },
    ConfigValidator,
    PluginRegistry,
    DestinationSecrets,
    DestinationsService,
    SignInService,
    SegmentCatalog,
    CheckpointStore,
    MemberLogStore,
    MemberLogReader,
    ExplainService,
    ExportRunStore,
    SegmentExporter,
    ExportRunsService,
    ExportStage,
    DryRunService,
  ],
  exports: [PluginRegistry, DestinationsService, ExportRunsService],
})
export class DestinationsModule {}
