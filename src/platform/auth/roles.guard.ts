import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { ALLOW } from './allow.decorator';
import type { Role } from './principal';
import { IS_PUBLIC } from './public.decorator';
import { leastRole, mayAct } from './role-policy';

/**
 * Runs after the authentication guard: the principal it set must hold the route's least role
 * (`@Allow`, or the default of {@link leastRole}); otherwise 403 naming both roles.
 */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const principal = req.principal;
    // Fails closed should authentication ever let a request through without a principal.
    if (!principal) throw new AppError(ErrorCode.AUTH, 'Not signed in');
    const least = leastRole(this.reflector.getAllAndOverride<Role>(ALLOW, targets), req.method);
    if (mayAct(principal.role, least)) return true;
    throw new AppError(
      ErrorCode.FORBIDDEN,
      `Your role (${principal.role}) may not do this; it needs ${least === 'admin' ? 'admin' : `${least} or above`}`,
    );
  }
}
