import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { MeDoc, type MeView } from './me.api';
import { sessionOf } from './session-of-request';

@ApiTags('auth')
@Controller()
export class MeController {
  @Get('me')
  @ApiOperation({ summary: 'Who is asking: the token or the person signed in, and their role' })
  @ApiOkResponse({ type: MeDoc })
  me(@Req() req: Request): MeView {
    const principal = req.principal;
    if (!principal) throw new AppError(ErrorCode.AUTH, 'Not signed in');
    const session = sessionOf(req);
    return session
      ? { ...principal, username: session.username, csrfToken: session.csrfToken }
      : { ...principal };
  }
}
