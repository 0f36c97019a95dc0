import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '@platform/clock/clock.module';
import { CustomersModule } from '@stages/customers/customers.module';
import { MembershipWriter } from './membership.writer';
import { PreviewReader } from './preview.reader';
import { Segment } from './segment.entity';
import { segmentSqlProvider } from './segment-sql.provider';
import { RuleOperatorsController } from './rule-operators.controller';
import { SegmentsController } from './segments.controller';
import { SegmentsService } from './segments.service';

/** Segments: rules compiled to SQL, materialized membership (`segment_member`). */
@Module({
  imports: [TypeOrmModule.forFeature([Segment]), CustomersModule, ClockModule],
  controllers: [SegmentsController, RuleOperatorsController],
  providers: [SegmentsService, MembershipWriter, PreviewReader, segmentSqlProvider],
  exports: [SegmentsService],
})
export class SegmentsModule {}
