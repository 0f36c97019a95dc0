import { Global, Module } from '@nestjs/common';
import { AppRegistrationController } from './app-registration.controller';
import { AppRegistrationService } from './app-registration.service';

/** The installation's one app registration, which destinations and sources fall back to. */
@Global()
@Module({
  controllers: [AppRegistrationController],
  providers: [AppRegistrationService],
  exports: [AppRegistrationService],
})
export class AppRegistrationModule {}
