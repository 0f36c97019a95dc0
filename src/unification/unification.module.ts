import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SourcesModule } from '../sources/sources.module';
import { Source } from '../sources/source.entity';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';
import { UnificationConfigService } from './unification-config.service';
import { UnificationController } from './unification.controller';
import { UnificationService } from './unification.service';

/** Match and merge source records into customers with stable IDs; the customers API. */
@Module({
  imports: [SourcesModule, TypeOrmModule.forFeature([Source])],
  controllers: [UnificationController, CustomersController],
  providers: [UnificationConfigService, UnificationService, CustomersService],
  exports: [UnificationService, UnificationConfigService, CustomersService],
})
export class UnificationModule {}
