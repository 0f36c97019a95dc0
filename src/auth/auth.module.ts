import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ClockModule } from '../schedule/clock.module';
import { AdminTokenService } from './admin-token.service';
import { ApiToken } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthFailureLimit } from './auth-failure-limit';
import { BearerAuthGuard } from './bearer-auth.guard';
import { MeController } from './me.controller';
import { RolesGuard } from './roles.guard';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken]), ClockModule],
  controllers: [MeController, ApiTokensController],
  providers: [
    AdminTokenService,
    ApiTokensService,
    ThrottlerStorageService,
    AuthFailureLimit,
    // In this order: who the request is from, then whether their role may call the route.
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AdminTokenService],
})
export class AuthModule {}
