import { randomUUID } from 'node:crypto';

/**
 * An Entra ID (v2 endpoint) error: the JSON a token or device-code endpoint answers with,
 * `{error, error_description: "AADSTS…: …", error_codes, timestamp, trace_id, correlation_id}`.
 */
export class AadError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    readonly description: string,
  ) {
    super(`AADSTS${aadsts}: ${description}`);
  }

  body(correlationId?: string): Record<string, unknown> {
    const traceId = randomUUID();
    const now = new Date();
    const timestamp = now
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z');
    const correlation = correlationId ?? randomUUID();
    return {
      error: this.error,
      error_description:
        `AADSTS${this.aadsts}: ${this.description} Trace ID: ${traceId} ` +
        `Correlation ID: ${correlation} Timestamp: ${timestamp}`,
      error_codes: [this.aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${this.aadsts}`,
    };
  }
}

export const Aad = {
  tenantNotFound: (tenant: string) =>
    new AadError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  postOnly: (method: string) =>
    new AadError(
      405,
      'invalid_request',
      900561,
      `The endpoint only accepts POST requests. Received a ${method} request.`,
    ),
  missingParameter: (name: string) =>
    new AadError(
      400,
      'invalid_request',
      900144,
      `The request body must contain the following parameter: '${name}'.`,
    ),
  unknownClient: (clientId: string, tenant: string) =>
    new AadError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidSecret: (clientId: string) =>
    new AadError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  missingSecret: () =>
    new AadError(
      401,
      'invalid_client',
      7000218,
      `The request body must contain the following parameter: 'client_assertion' or 'client_secret'.`,
    ),
  unsupportedGrant: (grant: string) =>
    new AadError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'.`,
    ),
  clientCredentialScope: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  unknownResource: (resource: string, tenant: string) =>
    new AadError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  invalidScope: (scope: string) =>
    new AadError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`,
    ),
  authorizationPending: () =>
    new AadError(
      400,
      'authorization_pending',
      70016,
      'OAuth 2.0 device flow error. Authorization is pending. Continue polling.',
    ),
  deviceCodeExpired: () =>
    new AadError(
      400,
      'expired_token',
      70020,
      "The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
    ),
  authorizationDeclined: () =>
    new AadError(
      400,
      'authorization_declined',
      70000,
      'The user declined the sign-in request (device code flow).',
    ),
  badDeviceCode: () =>
    new AadError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'device_code' parameter is not valid.",
    ),
  invalidRefreshToken: () =>
    new AadError(
      400,
      'invalid_grant',
      9002313,
      'Invalid request. Request is malformed or invalid.',
    ),
  refreshTokenRevoked: () =>
    new AadError(
      400,
      'invalid_grant',
      50173,
      'The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.',
    ),
  refreshTokenClientMismatch: () =>
    new AadError(
      400,
      'invalid_grant',
      70000,
      'Provided grant is invalid or malformed. The refresh token was issued to a different client.',
    ),
  badAuthorizationCode: () =>
    new AadError(
      400,
      'invalid_grant',
      70000,
      "The provided value for the 'code' parameter is not valid. The code is unknown, was already redeemed or was issued to another client.",
    ),
  authorizationCodeExpired: () =>
    new AadError(
      400,
      'invalid_grant',
      70008,
      'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
    ),
  redirectUriMismatch: () =>
    new AadError(
      400,
      'invalid_grant',
      70000,
      "The 'redirect_uri' of the token request does not match the one of the authorization request.",
    ),
  pkceMismatch: () =>
    new AadError(
      400,
      'invalid_grant',
      50148,
      'The code_verifier does not match the code_challenge supplied in the authorization request for PKCE.',
    ),
} as const;
