import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ClockModule } from '@platform/clock/clock.module';
import { AdminTokenService } from './admin-token.service';
import { ApiToken } from './api-token.entity';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensService } from './api-tokens.service';
import { AuthConfigController } from './auth-config.controller';
import { AuthFailureLimit } from './auth-failure-limit';
import { BearerAuthGuard } from './bearer-auth.guard';
import { EntraSignInClient } from './entra-sign-in.client';
import { MeController } from './me.controller';
import { PeopleSignInController } from './people-sign-in.controller';
import { PeopleSignInService } from './people-sign-in.service';
import { RolesGuard } from './roles.guard';
import { SessionsService } from './sessions.service';
import { SignInEvents } from './sign-in-events';
import { UserSession } from './user-session.entity';

@Module({
  imports: [TypeOrmModule.forFeature([ApiToken, UserSession]), ClockModule],
  controllers: [MeController, ApiTokensController, PeopleSignInController, AuthConfigController],
  providers: [
    AdminTokenService,
    ApiTokensService,
    ThrottlerStorageService,
    AuthFailureLimit,
    SessionsService,
    EntraSignInClient,
    PeopleSignInService,
    SignInEvents,
    // In this order: who the request is from, then whether their role may call the route.
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AdminTokenService, SignInEvents],
})
export class AuthModule {}
