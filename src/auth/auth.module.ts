import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../schedule/clock.module';
import { AdminTokenService } from './admin-token.service';
import { AuthConfigController } from './auth-config.controller';
import { AuthFailureLimit } from './auth-failure-limit';
import { BearerAuthGuard } from './bearer-auth.guard';
import { EntraSignInClient } from './entra-sign-in.client';
import { MeController } from './me.controller';
import { PeopleSignInController } from './people-sign-in.controller';
import { PeopleSignInService } from './people-sign-in.service';
import { SessionsService } from './sessions.service';
import { SignInEvents } from './sign-in-events';
import { UserSession } from './user-session.entity';

@Module({
  imports: [TypeOrmModule.forFeature([UserSession]), ClockModule],
  controllers: [PeopleSignInController, AuthConfigController, MeController],
  providers: [
    AdminTokenService,
    ThrottlerStorageService,
    AuthFailureLimit,
    SessionsService,
    EntraSignInClient,
    PeopleSignInService,
    SignInEvents,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
  ],
  exports: [AdminTokenService, SignInEvents],
})
export class AuthModule {}
