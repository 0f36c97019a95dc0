/**
 * Typed errors of the application. Services throw these; only the exception filter at the
 * HTTP edge turns a code into a status (see {@link AppErrorFilter}).
 */
export enum ErrorCode {
  /** The request or an input file is wrong; the details say where. */
  VALIDATION = 'VALIDATION',
  NOT_FOUND = 'NOT_FOUND',
  /** The request conflicts with the current state (a duplicate name, a run already going). */
  CONFLICT = 'CONFLICT',
  /** Credentials are missing or wrong (ours, or a remote system's). */
  AUTH = 'AUTH',
  /** A remote system refused the operation for lack of privileges. */
  FORBIDDEN = 'FORBIDDEN',
  /** The request body is of a type the route does not read (only JSON, except uploads). */
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  /** Too many failed attempts from this client; `retryAfterSeconds` says when to try again. */
  RATE_LIMITED = 'RATE_LIMITED',
  /** Worth retrying later: throttling, 5xx, network errors. */
  TEMPORARY = 'TEMPORARY',
  /** A remote system answered with a permanent error. */
  REMOTE = 'REMOTE',
  INTERNAL = 'INTERNAL',
}

export interface ErrorDetail {
  /** Where the problem is: a field path (`rule.all[1].op`), a line (`line 12`), a setting. */
  path?: string;
  message: string;
}

export class AppError extends Error {
  /** For {@link ErrorCode.RATE_LIMITED}: when the client may try again (`Retry-After`). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message, options);
    this.name = 'AppError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  static validation(path: string, message: string): AppError {
    return new AppError(ErrorCode.VALIDATION, `${path}: ${message}`, [{ path, message }]);
  }

  static validationMany(details: ErrorDetail[]): AppError {
    const text = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ');
    return new AppError(ErrorCode.VALIDATION, text, details);
  }

  static notFound(what: string, id: string | number): AppError {
    return new AppError(ErrorCode.NOT_FOUND, `${what} ${String(id)} not found`);
  }

  static conflict(message: string, details: ErrorDetail[] = []): AppError {
    return new AppError(ErrorCode.CONFLICT, message, details);
  }
}
