import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { Scheduler } from './scheduler';

/** @nestjs/schedule and the {@link Scheduler} that owns every schedule of the application. */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [Scheduler],
  exports: [Scheduler],
})
export class SchedulingModule {}
