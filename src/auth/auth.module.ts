import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AdminTokenService } from './admin-token.service';
import { BearerAuthGuard } from './bearer-auth.guard';

@Module({
  providers: [AdminTokenService, { provide: APP_GUARD, useClass: BearerAuthGuard }],
  exports: [AdminTokenService],
})
export class AuthModule {}
