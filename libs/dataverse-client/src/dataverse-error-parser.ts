import { DataverseCodes, DataverseError, DataverseErrorKind, kindForStatus } from './errors';

interface ODataErrorBody {
  error?: { code?: unknown; message?: unknown };
  Message?: unknown;
}

/** `{"error":{"code","message"}}` of a Dataverse answer, when there is one. */
export function readODataError(body: string): { code?: string; message?: string } {
  if (body === '') return {};
  try {
    const parsed = JSON.parse(body) as ODataErrorBody;
    const code = typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
    const message =
      typeof parsed.error?.message === 'string'
        ? parsed.error.message
        : typeof parsed.Message === 'string'
          ? parsed.Message
          : undefined;
    return { code: code === '' ? undefined : code, message };
  } catch {
    return {};
  }
}

/**
 * The {@link DataverseError} for a non-success answer: kind from the status (style #11), the
 * server's code and message kept, and a sentence saying what it means.
 */
export function errorFromResponse(
  status: number,
  headers: Record<string, string>,
  body: string,
  request: string,
): DataverseError {
  const { code, message } = readODataError(body);
  const kind = kindForStatus(status);
  const server = message ?? snippet(body, headers['content-type']);
  let text: string;
  switch (kind) {
    case DataverseErrorKind.AUTH: {
      const auth = headers['www-authenticate'];
      const description = auth ? /error_description="([^"]*)"/.exec(auth)?.[1] : undefined;
      text = `Dataverse refused the access token for ${request} (401${description ? `: ${description}` : server ? `: ${server}` : ''}). Check that the application user or signed-in person exists in this organization.`;
      break;
    }
    case DataverseErrorKind.FORBIDDEN:
      text =
        code === DataverseCodes.PRIVILEGE_DENIED
          ? `Missing privilege for ${request}: ${server ?? 'privilege denied'}. Give the user a security role with it.`
          : `Dataverse refused ${request} (403${server ? `: ${server}` : ''}).`;
      break;
    case DataverseErrorKind.NOT_FOUND:
      text = `Not found: ${request} (404${server ? `: ${server}` : ''}).`;
      break;
    case DataverseErrorKind.TEMPORARY:
      text = `Dataverse could not serve ${request} right now (${status}${server ? `: ${server}` : ''}).`;
      break;
    case DataverseErrorKind.CONFIG:
    case DataverseErrorKind.PERMANENT:
    case DataverseErrorKind.CANCELED:
      text = `Dataverse refused ${request} (${status}${code ? ` ${code}` : ''}${server ? `: ${server}` : ''}).`;
  }
  return new DataverseError({ kind, status, code, request, message: text });
}

function snippet(body: string, contentType: string | undefined): string | undefined {
  if (body.trim() === '') return undefined;
  if (contentType?.includes('html')) return 'the server answered with a web page, not the Web API';
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 197)}…` : text;
}
