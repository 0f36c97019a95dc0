/** One problem of a request, as the API reports it (`path` names the field: `config.serverAddress`). */
export interface ErrorDetail {
  path?: string;
  message: string;
}

/** An error answer of the API (or a network failure, with status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Words for any error a page may meet. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
