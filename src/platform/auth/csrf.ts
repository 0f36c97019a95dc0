import { AppError, ErrorCode } from '@platform/errors/app-error';

/** The answer to a change made with the session cookie but without its CSRF token. */
export function csrfRefused(): AppError {
  return new AppError(
    ErrorCode.FORBIDDEN,
    'Missing or wrong X-CSRF-Token header: a change made with the session cookie must send the csrfToken of GET /api/me',
  );
}
