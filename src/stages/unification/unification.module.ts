import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SourcesModule } from '@stages/sources/sources.module';
import { Source } from '@stages/sources/source.entity';
import { CustomersModule } from '@stages/customers/customers.module';
import { UnificationConfigService } from './unification-config.service';
import { UnificationController } from './unification.controller';
import { UnificationService } from './unification.service';

/** Match and merge source records into customers with stable IDs. */
@Module({
  imports: [SourcesModule, CustomersModule, TypeOrmModule.forFeature([Source])],
  controllers: [UnificationController],
  providers: [UnificationConfigService, UnificationService],
  exports: [UnificationService, UnificationConfigService],
})
export class UnificationModule {}
