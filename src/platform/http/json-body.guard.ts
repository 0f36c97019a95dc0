import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DECORATORS } from '@nestjs/swagger';
import type { Request } from 'express';
import { AppError, ErrorCode } from '@platform/errors/app-error';

/**
 * Routes take their body as JSON (`application/json`, the one body parser the app has), except
 * the routes that declare other types with `@ApiConsumes` (the CSV upload): those read the
 * request themselves and answer a wrong type on their own. Any other body, a form among them,
 * is refused with 415 rather than read as an empty body.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (!hasBody(req) || req.is('application/json')) return true;
    const consumes = this.reflector.getAllAndOverride<string[] | undefined>(
      DECORATORS.API_CONSUMES,
      [context.getHandler(), context.getClass()],
    );
    if (consumes) return true;
    const type = req.headers['content-type'];
    const message = `${type ? `${type} is` : 'a body without a Content-Type is'} not accepted: send JSON with Content-Type: application/json`;
    throw new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, `Content-Type: ${message}`, [
      { path: 'Content-Type', message },
    ]);
  }
}

/** A body of at least one byte (an empty POST, `Content-Length: 0`, is no body). */
function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
