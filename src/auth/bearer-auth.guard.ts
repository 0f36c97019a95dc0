import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, ErrorCode } from '../common/app-error';
import { AdminTokenService } from './admin-token.service';
import { IS_PUBLIC } from './public.decorator';

/** Every route needs `Authorization: Bearer <admin token>` unless marked {@link Public}. */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AdminTokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const header = context.switchToHttp().getRequest<Request>().headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new AppError(ErrorCode.AUTH, 'Missing API token: send "Authorization: Bearer <token>"');
    }
    if (!this.tokens.verify(match[1])) throw new AppError(ErrorCode.AUTH, 'Invalid API token');
    return true;
  }
}
