import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '@platform/audit/audited.decorator';
import { Allow } from './allow.decorator';
import { ApiTokenDoc, CreateApiTokenDto, CreatedApiTokenDoc } from './api-token.dto';
import { ApiTokensService, type ApiTokenView } from './api-tokens.service';

@ApiTags('auth')
@Allow('admin')
@Audited('api-token', { service: ApiTokensService, load: (s, id) => s.get(id ?? '') })
@Controller('tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a named API token with a role',
    description:
      'Answers the token once: only its hash is stored. 400 when the name is blank or taken, the role unknown or `expiresAt` not in the future.',
  })
  @ApiCreatedResponse({ type: CreatedApiTokenDoc })
  create(@Body() dto: CreateApiTokenDto): Promise<ApiTokenView & { token: string }> {
    return this.tokens.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'The named API tokens, with their expiry and last use' })
  @ApiOkResponse({ type: [ApiTokenDoc] })
  list(): Promise<ApiTokenView[]> {
    return this.tokens.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke a token: it gets 401 from the next request on' })
  @ApiNoContentResponse()
  async revoke(@Param('id') id: string): Promise<void> {
    await this.tokens.revoke(id);
  }
}
