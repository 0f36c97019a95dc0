import { DataverseErrorKind, isDataverseError } from '@audience-sync/dataverse-client';
import {
  DestinationError,
  DestinationErrorCode,
  isDestinationError,
} from '@audience-sync/exporter-contract';

const CODES: Record<DataverseErrorKind, DestinationErrorCode> = {
  [DataverseErrorKind.CONFIG]: DestinationErrorCode.CONFIG,
  [DataverseErrorKind.AUTH]: DestinationErrorCode.AUTH,
  [DataverseErrorKind.FORBIDDEN]: DestinationErrorCode.FORBIDDEN,
  [DataverseErrorKind.NOT_FOUND]: DestinationErrorCode.NOT_FOUND,
  [DataverseErrorKind.TEMPORARY]: DestinationErrorCode.TEMPORARY,
  [DataverseErrorKind.PERMANENT]: DestinationErrorCode.PERMANENT,
  [DataverseErrorKind.CANCELED]: DestinationErrorCode.CANCELED,
};

/** Any failure as a DestinationError (the contract's type), its message kept. */
export function toDestinationError(error: unknown, context?: string): DestinationError {
  if (isDestinationError(error)) return error;
  const prefix = context ? `${context}: ` : '';
  if (isDataverseError(error)) {
    return new DestinationError(CODES[error.kind], `${prefix}${error.message}`, error.retryable, {
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new DestinationError(DestinationErrorCode.PERMANENT, `${prefix}${message}`, false, {
    cause: error,
  });
}
