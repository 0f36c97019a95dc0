import {
  ArgumentsHost,
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { AppError, ErrorCode, type ErrorDetail } from './app-error';

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.VALIDATION]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
  [ErrorCode.AUTH]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.FORBIDDEN]: HttpStatus.FORBIDDEN,
  [ErrorCode.UNSUPPORTED_MEDIA_TYPE]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.RATE_LIMITED]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.TEMPORARY]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.REMOTE]: HttpStatus.BAD_GATEWAY,
  [ErrorCode.INTERNAL]: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** The body of every error answer of the API. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  details?: ErrorDetail[];
  [extra: string]: unknown;
}

/** Maps every thrown error to one JSON shape; the only place that picks HTTP statuses. */
@Catch()
export class AppErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(
        exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
      );
    }
    if (response.headersSent) return;
    if (exception instanceof AppError && exception.retryAfterSeconds !== undefined) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof AppError) {
      const statusCode = STATUS[exception.code];
      const body: ErrorBody = {
        statusCode,
        error: exception.code,
        message: exception.message,
      };
      if (exception.details.length > 0) body.details = exception.details;
      return body;
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const res = exception.getResponse();
      if (typeof res === 'object') {
        const r = res as Record<string, unknown>;
        const message = Array.isArray(r.message)
          ? r.message.map(String).join('; ')
          : typeof r.message === 'string'
            ? r.message
            : exception.message;
        return { ...r, statusCode, error: errorName(statusCode), message };
      }
      return { statusCode, error: errorName(statusCode), message: res };
    }
    return {
      statusCode: 500,
      error: ErrorCode.INTERNAL,
      message: 'Internal error; the server log has the details',
    };
  }
}

function errorName(status: number): string {
  switch (status) {
    case 400:
      return ErrorCode.VALIDATION;
    case 401:
      return ErrorCode.AUTH;
    case 403:
      return ErrorCode.FORBIDDEN;
    case 404:
      return ErrorCode.NOT_FOUND;
    case 409:
      return ErrorCode.CONFLICT;
    case 415:
      return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
    case 429:
      return ErrorCode.RATE_LIMITED;
    default:
      return status >= 500 ? ErrorCode.INTERNAL : 'ERROR';
  }
}
