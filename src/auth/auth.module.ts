import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AdminTokenService } from './admin-token.service';
import { AuthFailureLimit } from './auth-failure-limit';
import { BearerAuthGuard } from './bearer-auth.guard';

@Module({
  providers: [
    AdminTokenService,
    ThrottlerStorageService,
    AuthFailureLimit,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [AdminTokenService],
})
export class AuthModule {}
