import { DestinationErrorCode, isDestinationError } from '@audience-sync/exporter-contract';
import { AppError, ErrorCode } from '@platform/errors/app-error';

const CODES: Record<DestinationErrorCode, ErrorCode> = {
  [DestinationErrorCode.CONFIG]: ErrorCode.VALIDATION,
  [DestinationErrorCode.AUTH]: ErrorCode.AUTH,
  [DestinationErrorCode.FORBIDDEN]: ErrorCode.FORBIDDEN,
  [DestinationErrorCode.NOT_FOUND]: ErrorCode.REMOTE,
  [DestinationErrorCode.TEMPORARY]: ErrorCode.TEMPORARY,
  [DestinationErrorCode.PERMANENT]: ErrorCode.REMOTE,
  [DestinationErrorCode.CANCELED]: ErrorCode.TEMPORARY,
};

/** A plugin's error as an application error (its message is written for users). */
export function fromPluginError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  if (isDestinationError(error)) {
    return new AppError(CODES[error.code], error.message, [], { cause: error });
  }
  return new AppError(
    ErrorCode.INTERNAL,
    `${what} failed unexpectedly: ${error instanceof Error ? error.message : String(error)}`,
    [],
    { cause: error },
  );
}

/** A plugin's error in words for run records (`AUTH: …`). */
export function pluginErrorText(error: unknown): string {
  if (isDestinationError(error)) return error.message;
  return `Unexpected error in the destination plugin: ${error instanceof Error ? error.message : String(error)}`;
}
