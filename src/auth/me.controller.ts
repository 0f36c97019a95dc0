import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ROLES, type Principal, type Role } from './principal';

class PrincipalDoc implements Principal {
  @ApiProperty({ enum: ['admin-token', 'api-token', 'user'] })
  kind!: Principal['kind'];

  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

@ApiTags('auth')
@Controller('me')
export class MeController {
  @Get()
  @ApiOperation({ summary: 'Who the request is from, and their role' })
  @ApiOkResponse({ type: PrincipalDoc })
  me(@Req() req: Request): Principal {
    const { kind, id, name, role } = req.principal as Principal;
    return { kind, id, name, role };
  }
}
