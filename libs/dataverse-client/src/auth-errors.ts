import { DataverseError, DataverseErrorKind, isDataverseError } from './errors';
import type { MsalNetworkClient } from './msal-network-client';

interface MsalLikeError {
  errorCode?: string;
  errorMessage?: string;
  errorNo?: string | number;
  subError?: string;
  message?: string;
}

/** What an Entra ID (AADSTS) error means, in words a person can act on. */
const AADSTS: Record<string, { kind: DataverseErrorKind; words: string }> = {
  '7000215': {
    kind: DataverseErrorKind.AUTH,
    words:
      'The client secret is wrong (AADSTS7000215, invalid client secret). Copy the secret\'s Value (not its ID) from the app registration\'s "Certificates & secrets".',
  },
  '7000222': {
    kind: DataverseErrorKind.AUTH,
    words: 'The client secret has expired (AADSTS7000222). Create a new secret and save it here.',
  },
  '700016': {
    kind: DataverseErrorKind.AUTH,
    words:
      'The application (client id) is not known in this tenant (AADSTS700016). Check the client id and that the app is registered in, or consented to by, this tenant.',
  },
  '90002': {
    kind: DataverseErrorKind.AUTH,
    words: 'The tenant was not found (AADSTS90002). Check the tenant id.',
  },
  '900023': {
    kind: DataverseErrorKind.AUTH,
    words:
      'The tenant id is not valid (AADSTS900023). Use the directory (tenant) id GUID or a verified domain.',
  },
  '500011': {
    kind: DataverseErrorKind.AUTH,
    words:
      'Entra ID does not know this organization in the tenant (AADSTS500011): the server address is wrong or belongs to another tenant.',
  },
  '7000218': {
    kind: DataverseErrorKind.AUTH,
    words:
      'The application does not allow public client flows (AADSTS7000218). Turn on "Allow public client flows" in its app registration to sign in with a device code.',
  },
  '65001': {
    kind: DataverseErrorKind.AUTH,
    words:
      'The application has not been granted access to Dynamics 365 (AADSTS65001, consent required). An administrator must consent to its "user_impersonation" permission.',
  },
  '700082': {
    kind: DataverseErrorKind.AUTH,
    words: 'The sign-in has expired (AADSTS700082, refresh token expired). Sign in again.',
  },
  '50173': {
    kind: DataverseErrorKind.AUTH,
    words:
      'The sign-in was revoked (AADSTS50173, password changed or session revoked). Sign in again.',
  },
  '70008': {
    kind: DataverseErrorKind.AUTH,
    words: 'The sign-in has expired (AADSTS70008). Sign in again.',
  },
  '70043': {
    kind: DataverseErrorKind.AUTH,
    words:
      'The sign-in has expired under a Conditional Access policy (AADSTS70043). Sign in again.',
  },
};

const OAUTH_ERRORS: Record<string, string> = {
  invalid_client: 'Entra ID refused the application credentials',
  unauthorized_client: 'The application is not allowed to use this sign-in method',
  invalid_grant: 'The sign-in is no longer valid; sign in again',
  invalid_scope: 'The requested scope (the organization URL) is not valid',
  invalid_request: 'Entra ID refused the sign-in request',
  authorization_declined: 'The person declined the sign-in',
  expired_token: 'The device code expired before anyone signed in',
  bad_verification_code: 'The device code was not recognized',
  interaction_required: 'The sign-in needs the person to sign in again',
  consent_required: 'Consent is required for this application',
};

function aadstsOf(error: MsalLikeError): string | undefined {
  const number = error.errorNo === undefined ? '' : String(error.errorNo);
  if (/^\d+$/.test(number)) return number;
  const match = /AADSTS(\d+)/.exec(`${error.errorMessage ?? ''} ${error.message ?? ''}`);
  return match?.[1];
}

/**
 * Turns an MSAL failure into a {@link DataverseError} with a clear message. `networkFailure` is the
 * transport error the network client saw (MSAL replaces it with a generic "network_error"), so
 * "certificate not trusted" or "host not allowed" reach the user as such.
 */
export function authError(
  error: unknown,
  network: Pick<MsalNetworkClient, 'lastFailure' | 'lastServerError'>,
  authority: string,
): DataverseError {
  if (isDataverseError(error)) return error;
  const networkFailure = network.lastFailure;
  const e = (error ?? {}) as MsalLikeError;
  const code = e.errorCode ?? '';
  const discovery = code === 'endpoints_resolution_error' || code === 'openid_config_error';
  const server = network.lastServerError;
  if (discovery && server?.error_description !== undefined) {
    // The OpenID configuration was refused (e.g. an unknown tenant): report Entra ID's answer.
    return authError(
      {
        errorCode: server.error,
        errorMessage: server.error_description,
        errorNo: server.error_codes?.[0],
      },
      { lastFailure: null, lastServerError: null },
      authority,
    );
  }
  if (
    isDataverseError(networkFailure) &&
    (code === 'network_error' ||
      code === 'endpoints_resolution_error' ||
      code === 'openid_config_error' ||
      code === 'untrusted_authority' ||
      code === '')
  ) {
    return new DataverseError({
      kind: networkFailure.kind,
      code: networkFailure.code,
      cause: error,
      message: `Sign-in at ${hostOf(authority)} failed: ${networkFailure.message}`,
    });
  }
  const aadsts = aadstsOf(e);
  const known = aadsts !== undefined ? AADSTS[aadsts] : undefined;
  if (known) {
    return new DataverseError({
      kind: known.kind,
      code: code || undefined,
      aadsts,
      cause: error,
      message: known.words,
    });
  }
  if (discovery) {
    return new DataverseError({
      kind: DataverseErrorKind.CONFIG,
      code,
      cause: error,
      message: `Could not read the sign-in configuration of ${authority} (${code}). Check the tenant id and the authority host.`,
    });
  }
  if (code === 'network_error') {
    return new DataverseError({
      kind: DataverseErrorKind.TEMPORARY,
      code,
      cause: error,
      message: `Could not reach the sign-in service at ${hostOf(authority)}.`,
    });
  }
  const words = Object.hasOwn(OAUTH_ERRORS, code) ? OAUTH_ERRORS[code] : undefined;
  const detail = firstLine(e.errorMessage ?? e.message ?? '');
  return new DataverseError({
    kind: code === '' ? DataverseErrorKind.TEMPORARY : DataverseErrorKind.AUTH,
    code: code || undefined,
    aadsts,
    cause: error,
    message: `${words ?? `Sign-in failed (${code || 'unknown error'})`}${aadsts ? ` (AADSTS${aadsts})` : ''}${detail ? `: ${detail}` : '.'}`,
  });
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** The server's description without MSAL's trace/correlation decorations. */
function firstLine(text: string): string {
  const description = /Description: (.*?)(?: - Correlation ID:| - Trace ID:|$)/s.exec(text);
  const line = (description ? description[1] : text).split(/\r?\n/)[0].trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
