import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CSV_SOURCE_TYPE } from './csv/csv-source-type';
import { DataverseSourceType } from './dataverse/dataverse-source-type';
import { SecretsModule } from '@platform/secrets/secrets.module';
import { RecordWriter } from './record-writer';
import { SourceIngestService } from './source-ingest.service';
import { SourceMaintenance } from './source-maintenance';
import { SourceTypeRegistry } from './source-types';
import { Source } from './source.entity';
import { SourcesController } from './sources.controller';
import { SourcesService } from './sources.service';

/**
 * Sources and their ingestion (CSV uploads; Dataverse tables). Other modules use
 * `SourcesService.refreshAll` (the refresh's
 * ingest stage), `RecordWriter` and `SourceTypeRegistry` (to add a source type).
 */
@Module({
  imports: [TypeOrmModule.forFeature([Source]), SecretsModule],
  controllers: [SourcesController],
  providers: [
    SourcesService,
    SourceIngestService,
    RecordWriter,
    SourceMaintenance,
    DataverseSourceType,
    {
      provide: SourceTypeRegistry,
      inject: [DataverseSourceType],
      useFactory: (dataverse: DataverseSourceType) => {
        const registry = new SourceTypeRegistry();
        registry.register(CSV_SOURCE_TYPE);
        registry.register(dataverse);
        return registry;
      },
    },
  ],
  exports: [SourcesService, RecordWriter, SourceTypeRegistry, TypeOrmModule],
})
export class SourcesModule {}
