import { DataverseError, DataverseErrorKind, isDataverseError } from './errors';

/** `DataverseError.code` of a URL refused by {@link checkServerLink}. */
export const FOREIGN_LINK = 'FOREIGN_LINK';

/** What a checked URL is, for the message: who answered it and what it was. */
export interface LinkSource {
  /** `Dataverse`, `The sign-in service`. */
  server: string;
  /** `an @odata.deltaLink`, `the token endpoint`. */
  what: string;
}

/**
 * Checks a URL that a server handed back before anything is sent to it with credentials: it must
 * stay on `expected` (same scheme, host and port). Dataverse answers next-page and delta links,
 * Entra ID its endpoints; following one to another host would hand that host the bearer token or
 * the client secret. Relative URLs resolve against `expected` and pass. `alsoAllowed` may accept
 * other origins (Microsoft's own sign-in hosts). Answers the URL unchanged (Dataverse wants its
 * links passed as they are); throws a PERMANENT DataverseError (code FOREIGN_LINK) naming the
 * link's origin and the expected one.
 */
export function checkServerLink(
  link: string,
  expected: string,
  source: LinkSource,
  alsoAllowed?: (url: URL) => boolean,
): string {
  const expectedOrigin = new URL(expected).origin;
  let url: URL | null;
  try {
    url = new URL(link, expectedOrigin);
  } catch {
    url = null;
  }
  if (url !== null && (url.origin === expectedOrigin || alsoAllowed?.(url) === true)) return link;
  const where = url === null ? 'is not a URL' : `points to ${originText(url)}`;
  throw new DataverseError({
    kind: DataverseErrorKind.PERMANENT,
    code: FOREIGN_LINK,
    message: `${source.server} answered ${source.what} that ${where}, not to ${expectedOrigin}; refused, so that no token or secret goes to another host.`,
  });
}

/** Whether an error is a refused link of {@link checkServerLink} (not worth a retry or a fallback). */
export function isForeignLink(error: unknown): boolean {
  return isDataverseError(error) && error.code === FOREIGN_LINK;
}

/** `scheme://host[:port]`; `origin` is "null" for schemes such as `data:`. */
function originText(url: URL): string {
  return url.origin !== 'null' ? url.origin : `${url.protocol}…`;
}
