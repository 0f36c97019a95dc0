import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CustomerFieldsService } from './customer-fields.service';
import { Source } from './source.entity';

/** Sources and their ingestion (CSV uploads; Dataverse tables). */
@Module({
  imports: [TypeOrmModule.forFeature([Source])],
  providers: [CustomerFieldsService],
  exports: [CustomerFieldsService, TypeOrmModule],
})
export class SourcesModule {}
