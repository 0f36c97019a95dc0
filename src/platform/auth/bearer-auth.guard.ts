import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError, ErrorCode } from '@platform/errors/app-error';
import { AdminTokenService } from './admin-token.service';
import { ApiTokensService } from './api-tokens.service';
import { AuthFailureLimit } from './auth-failure-limit';
import type { Principal } from './principal';
import { csrfRefused } from './csrf';
import { IS_PUBLIC } from './public.decorator';
import { readCookie, SESSION_COOKIE } from './session-cookie';
import { setSessionOf } from './session-of-request';
import { SessionsService } from './sessions.service';

/** Methods that change nothing: the only ones a cookie alone may make (no CSRF token). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const ADMIN: Principal = { kind: 'admin-token', id: 'admin', name: 'Admin token', role: 'admin' };

/**
 * Every route needs `Authorization: Bearer <token>` unless marked {@link Public}: the admin
 * token, or a named API token (looked up in the store on every request, so a revoked or
 * expired one is refused at once); or, for a person signed in to the admin UI, the session
 * cookie, with which every other method than GET/HEAD/OPTIONS also needs the session's CSRF
 * token in `X-CSRF-Token`. Sets `req.principal` for the roles guard and the audit log.
 * A client that sent too many wrong tokens is answered 429 with `Retry-After` until its block
 * ends, its token unchecked: answering a right token then would tell a guesser which guess was
 * right, so the block would slow no one down.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AdminTokenService,
    private readonly apiTokens: ApiTokensService,
    private readonly failures: AuthFailureLimit,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const header = req.headers.authorization;
    const cookie = header ? undefined : readCookie(req, SESSION_COOKIE);
    if (cookie !== undefined) return this.cookieSession(req, cookie);
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw new AppError(ErrorCode.AUTH, 'Missing API token: send "Authorization: Bearer <token>"');
    }
    const client = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const blocked = this.failures.blockedFor(client);
    if (blocked > 0) throw tooManyFailures(blocked);
    if (this.tokens.verify(match[1])) {
      req.principal = ADMIN;
      return true;
    }
    const check = await this.apiTokens.check(match[1]);
    if ('principal' in check) {
      req.principal = check.principal;
      return true;
    }
    const now = await this.failures.failed(client);
    if (now > 0) throw tooManyFailures(now);
    throw new AppError(
      ErrorCode.AUTH,
      check.refused === 'expired' ? 'This API token has expired' : 'Invalid API token',
    );
  }

  private async cookieSession(req: Request, cookie: string): Promise<boolean> {
    const session = await this.sessions.resolve(cookie);
    if (!session) {
      throw new AppError(
        ErrorCode.AUTH,
        'Your session has ended (signed out or idle): sign in again',
      );
    }
    if (
      !SAFE_METHODS.has(req.method) &&
      !this.sessions.csrfMatches(session, req.get('x-csrf-token'))
    ) {
      throw csrfRefused();
    }
    req.principal = { kind: 'user', id: session.oid, name: session.name, role: session.role };
    setSessionOf(req, session);
    return true;
  }
}

function tooManyFailures(seconds: number): AppError {
  return new AppError(
    ErrorCode.RATE_LIMITED,
    `Too many wrong API tokens from this address: try again in ${seconds} s`,
    [],
    { retryAfterSeconds: seconds },
  );
}
