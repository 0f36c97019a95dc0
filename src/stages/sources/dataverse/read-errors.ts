import { DataverseErrorKind, isDataverseError } from '@audience-sync/dataverse-client';
import { AppError, ErrorCode } from '@platform/errors/app-error';

/**
 * The API error for a failed read of a source, saying that its previous records were kept (the
 * refresh names the source in front of it). Dataverse's refusals of the source's own credentials answer 502 (REMOTE),
 * not 401: a 401 of this API means its own token is wrong.
 */
export function readFailure(error: unknown): AppError | undefined {
  if (error instanceof AppError) {
    return new AppError(error.code, kept(error.message), error.details, { cause: error });
  }
  if (!isDataverseError(error)) return undefined;
  const message = kept(error.message);
  switch (error.kind) {
    case DataverseErrorKind.CONFIG:
      return new AppError(
        ErrorCode.VALIDATION,
        message,
        [{ path: 'options', message: error.message }],
        {
          cause: error,
        },
      );
    case DataverseErrorKind.FORBIDDEN:
      return new AppError(ErrorCode.FORBIDDEN, message, [], { cause: error });
    case DataverseErrorKind.TEMPORARY:
    case DataverseErrorKind.CANCELED:
      return new AppError(ErrorCode.TEMPORARY, message, [], { cause: error });
    case DataverseErrorKind.AUTH:
    case DataverseErrorKind.NOT_FOUND:
    case DataverseErrorKind.PERMANENT:
      return new AppError(ErrorCode.REMOTE, message, [], { cause: error });
  }
}

/** The message, its closing full stop dropped, saying that the previous records stay. */
function kept(message: string): string {
  return `${message.replace(/\.$/, '')}; the source keeps its previous records`;
}
