import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '@platform/config/app-config';
import { AuthConfigDoc, type AuthConfigView } from './me.api';
import { Public } from './public.decorator';

@ApiTags('auth')
@Controller('auth')
export class AuthConfigController {
  constructor(private readonly config: AppConfig) {}

  @Public()
  @Get('config')
  @ApiOperation({ summary: 'How one can sign in here (no token needed)' })
  @ApiOkResponse({ type: AuthConfigDoc })
  authConfig(): AuthConfigView {
    return this.config.peopleSignIn
      ? { peopleSignIn: true, signInUrl: '/auth/sign-in' }
      : { peopleSignIn: false };
  }
}
