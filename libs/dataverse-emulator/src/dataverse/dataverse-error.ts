/**
 * A Dataverse Web API error: an HTTP status and the `{"error":{"code","message"}}` body.
 * Codes marked "documented" appear in Microsoft's public docs; the others are plausible
 * choices (see the lib README, "Errors") kept consistent across the emulator.
 */
export class DataverseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): { error: { code: string; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export const ErrorCodes = {
  /** documented: ObjectDoesNotExist. */
  notFound: '0x80040217',
  /** documented: PrivilegeDenied. */
  privilegeDenied: '0x80040220',
  /** documented: the three service-protection limits. */
  tooManyRequests: '0x80072322',
  executionTime: '0x80072321',
  concurrentRequests: '0x80072326',
  /** OData URL/body errors ("Could not find a property named…", "Resource not found for the segment…"). */
  odata: '0x80060888',
  /** documented example: a validation error (length, option-set range). */
  validation: '0x80044331',
  /** InvalidArgument: required fields, rule violations on marketing lists. */
  invalidArgument: '0x80040203',
  /** UnExpected: generic server failure (used by injected 5xx faults). */
  unexpected: '0x80040216',
  /** ExpiredVersionStamp: a change-tracking delta token that is no longer valid. */
  expiredVersionStamp: '0x80044352',
  /** ConcurrencyVersionMismatch (documented for 412 on If-Match). */
  concurrencyMismatch: '0x80060882',
  /** DuplicateRecord (documented for 412 on If-None-Match: *). */
  duplicateRecord: '0x80040237',
} as const;

export const notFound = (entity: string, id: string): DataverseError =>
  new DataverseError(404, ErrorCodes.notFound, `Entity '${entity}' With Id = ${id} Does Not Exist`);

export const badRequest = (message: string, code: string = ErrorCodes.odata): DataverseError =>
  new DataverseError(400, code, message);

export const unknownProperty = (property: string, type: string): DataverseError =>
  badRequest(
    `Could not find a property named '${property}' on type 'Microsoft.Dynamics.CRM.${type}'.`,
  );

export const unknownSegment = (segment: string): DataverseError =>
  new DataverseError(404, ErrorCodes.odata, `Resource not found for the segment '${segment}'.`);

export const methodNotAllowed = (method: string, resource: string): DataverseError =>
  new DataverseError(
    405,
    ErrorCodes.odata,
    `The HTTP method '${method}' is not allowed on the resource '${resource}'.`,
  );
