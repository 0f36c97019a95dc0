/** What kind of failure a destination met; the core maps it to run status and HTTP answers. */
export enum DestinationErrorCode {
  /** Configuration is wrong (bad URL, host not allowed, missing field). */
  CONFIG = 'CONFIG',
  /** Credentials refused (bad secret, unknown tenant or application, expired sign-in). */
  AUTH = 'AUTH',
  /** Authenticated but not allowed (missing privileges, a locked or inactive list). */
  FORBIDDEN = 'FORBIDDEN',
  /** Something the export needs does not exist (unknown organization URL). */
  NOT_FOUND = 'NOT_FOUND',
  /** Worth trying again later: throttling that outlasted the budget, 5xx, network errors. */
  TEMPORARY = 'TEMPORARY',
  /** Any other permanent refusal by the target. */
  PERMANENT = 'PERMANENT',
  /** The run was canceled. */
  CANCELED = 'CANCELED',
}

/**
 * Thrown by a plugin when a whole operation failed (a whole segment, a connection test).
 * The message is shown to users: say what is wrong and what to do, never include secrets.
 */
export class DestinationError extends Error {
  constructor(
    readonly code: DestinationErrorCode,
    message: string,
    readonly retryable = code === DestinationErrorCode.TEMPORARY,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DestinationError';
  }
}

export function isDestinationError(error: unknown): error is DestinationError {
  return error instanceof Error && error.name === 'DestinationError' && 'code' in error;
}
