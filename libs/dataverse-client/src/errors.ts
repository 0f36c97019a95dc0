/**
 * What kind of failure a Dataverse or Entra ID call met (style #11). Callers map these to their
 * own codes (a destination's `DestinationErrorCode`, a source's ingest error); the names match.
 */
export enum DataverseErrorKind {
  /** The settings are wrong: host not allowed, bad URL, certificate not trusted. */
  CONFIG = 'CONFIG',
  /** Credentials refused: bad secret, unknown tenant or application, expired sign-in, 401. */
  AUTH = 'AUTH',
  /** Authenticated but not allowed (403, missing privileges). */
  FORBIDDEN = 'FORBIDDEN',
  /** The addressed thing does not exist (404). */
  NOT_FOUND = 'NOT_FOUND',
  /** Worth trying again later: 429 beyond the wait cap, 5xx, dropped connections, timeouts. */
  TEMPORARY = 'TEMPORARY',
  /** Any other refusal (400, 412 …). */
  PERMANENT = 'PERMANENT',
  /** The caller's AbortSignal fired. */
  CANCELED = 'CANCELED',
}

export interface DataverseErrorInit {
  kind: DataverseErrorKind;
  message: string;
  /** HTTP status when the server answered. */
  status?: number;
  /** Dataverse error code (`0x80040217`) or Entra ID error (`invalid_client`). */
  code?: string;
  /** AADSTS number when Entra ID refused (`7000215`). */
  aadsts?: string;
  /** Request that failed, without query string (`POST lists`). */
  request?: string;
  cause?: unknown;
}

/** A failed Dataverse / Entra ID operation. Messages never contain secrets or tokens. */
export class DataverseError extends Error {
  readonly kind: DataverseErrorKind;
  readonly status?: number;
  readonly code?: string;
  readonly aadsts?: string;
  readonly request?: string;

  constructor(init: DataverseErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'DataverseError';
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.aadsts = init.aadsts;
    this.request = init.request;
  }

  get retryable(): boolean {
    return this.kind === DataverseErrorKind.TEMPORARY;
  }
}

export function isDataverseError(error: unknown): error is DataverseError {
  return error instanceof Error && error.name === 'DataverseError' && 'kind' in error;
}

/** Kind for an HTTP status answered by Dataverse. */
export function kindForStatus(status: number): DataverseErrorKind {
  if (status === 401) return DataverseErrorKind.AUTH;
  if (status === 403) return DataverseErrorKind.FORBIDDEN;
  if (status === 404) return DataverseErrorKind.NOT_FOUND;
  if (status === 408 || status === 429 || status >= 500) return DataverseErrorKind.TEMPORARY;
  return DataverseErrorKind.PERMANENT;
}

export function canceledError(request?: string): DataverseError {
  return new DataverseError({
    kind: DataverseErrorKind.CANCELED,
    message: 'The operation was canceled.',
    request,
  });
}

/** Well-known Dataverse error codes the client and its users act on. */
export const DataverseCodes = {
  /** Object does not exist (`ObjectDoesNotExist`). */
  NOT_FOUND: '0x80040217',
  /** The user lacks a privilege (`PrivilegeDenied`). */
  PRIVILEGE_DENIED: '0x80040220',
  /** Inserting a record whose key exists (`DuplicateRecord`). */
  DUPLICATE_RECORD: '0x80040237',
  /** Service protection: number of requests. */
  THROTTLE_REQUESTS: '0x80072322',
  /** Service protection: combined execution time. */
  THROTTLE_EXECUTION_TIME: '0x80072321',
  /** Service protection: concurrent requests. */
  THROTTLE_CONCURRENCY: '0x80072326',
  /** A change-tracking delta token too old or refused (`ExpiredVersionStamp`). */
  EXPIRED_VERSION_STAMP: '0x80044352',
} as const;

/**
 * Whether reading a delta link failed because the link is no longer valid: read the table in
 * full again (and take the new delta link from its last page).
 */
export function isExpiredDeltaLink(error: unknown): boolean {
  return (
    isDataverseError(error) &&
    (error.code === DataverseCodes.EXPIRED_VERSION_STAMP || error.status === 410)
  );
}
