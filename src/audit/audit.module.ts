import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../schedule/clock.module';
import { SchedulingModule } from '../schedule/scheduling.module';
import { AuditEntry } from './audit-entry.entity';
import { AuditLog } from './audit-log.service';
import { AuditRetention } from './audit-retention';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';

/** The audit log, its API, retention, and the interceptor that records audited routes. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry]), ClockModule, SchedulingModule],
  controllers: [AuditController],
  providers: [AuditLog, AuditRetention, { provide: APP_INTERCEPTOR, useClass: AuditInterceptor }],
  exports: [AuditLog],
})
export class AuditModule {}
