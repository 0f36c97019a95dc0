import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '@platform/clock/clock.module';
import { AuthModule } from '@platform/auth/auth.module';
import { SchedulingModule } from '@platform/schedule/scheduling.module';
import { AuditEntry } from './audit-entry.entity';
import { AuditLog } from './audit-log.service';
import { AuditRetention } from './audit-retention';
import { AuditController } from './audit.controller';
import { AuditInterceptor } from './audit.interceptor';
import { SignInAudit } from './sign-in-audit';

/**
 * The audit log, its API, retention, the interceptor that records audited routes, and the
 * record of people's sign-ins.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEntry]), ClockModule, SchedulingModule, AuthModule],
  controllers: [AuditController],
  providers: [
    AuditLog,
    AuditRetention,
    SignInAudit,
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
  ],
  exports: [AuditLog],
})
export class AuditModule {}
