import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Put } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '@platform/audit/audited.decorator';
import { Allow } from '@platform/auth/allow.decorator';
import {
  AppRegistrationDoc,
  AppRegistrationDto,
  type AppRegistrationView,
} from './app-registration.dto';
import { AppRegistrationService } from './app-registration.service';

@ApiTags('settings')
@Audited('app-registration', { service: AppRegistrationService, load: (s) => s.view() })
@Controller('settings/app-registration')
export class AppRegistrationController {
  constructor(private readonly registration: AppRegistrationService) {}

  @Get()
  @Allow('viewer')
  @ApiOperation({
    summary: 'The installation’s app registration (without its secret)',
    description:
      'Destinations and Dataverse sources without ids of their own sign in with it. The client secret is never returned: `clientSecretSet` says whether one is stored.',
  })
  @ApiOkResponse({ type: AppRegistrationDoc })
  get(): Promise<AppRegistrationView> {
    return this.registration.view();
  }

  @Put()
  @Allow('admin')
  @ApiOperation({
    summary: 'Set the installation’s app registration',
    description:
      'The client secret is stored encrypted. 400 names the field when an id is malformed or the sign-in host is not allowed.',
  })
  @ApiOkResponse({ type: AppRegistrationDoc })
  set(@Body() dto: AppRegistrationDto): Promise<AppRegistrationView> {
    return this.registration.set(dto);
  }

  @Delete()
  @Allow('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove the installation’s app registration',
    description: 'Destinations and sources without ids of their own then cannot sign in.',
  })
  @ApiNoContentResponse()
  async clear(): Promise<void> {
    await this.registration.clear();
  }
}
