import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Source } from '@stages/sources/source.entity';
import { CustomerFieldsService } from './customer-fields.service';
import { CustomersController } from './customers.controller';
import { CustomersService } from './customers.service';

/**
 * The unified customers: the customer-field catalogue (built from the sources' mappings), the
 * customers table as unification leaves it, and their API. Unification writes the table;
 * segments, destinations and rules validate field names against the catalogue.
 */
@Module({
  imports: [TypeOrmModule.forFeature([Source])],
  controllers: [CustomersController],
  providers: [CustomerFieldsService, CustomersService],
  exports: [CustomerFieldsService, CustomersService],
})
export class CustomersModule {}
