import { badRequest } from '../dataverse/dataverse-error';

/** Default and largest page size (Dataverse: 5,000). */
export const MAX_PAGE_SIZE = 5000;

/**
 * `$skiptoken` values shaped like Dataverse's paging cookies
 * (`<cookie pagenumber="2" pagingcookie="…" istracking="False" />`); the cookie carries the
 * emulator's resume position. Clients must treat it as opaque, as with a real org.
 */
export function encodeSkipToken(
  page: number,
  state: Record<string, number | string>,
  tracking: boolean,
): string {
  const cookie = encodeURIComponent(
    encodeURIComponent(Buffer.from(JSON.stringify(state)).toString('base64url')),
  );
  return `<cookie pagenumber="${page}" pagingcookie="${cookie}" istracking="${tracking ? 'True' : 'False'}" />`;
}

export interface SkipToken {
  page: number;
  state: Record<string, number | string>;
}

export function decodeSkipToken(token: string): SkipToken {
  const page = /pagenumber="(\d+)"/.exec(token);
  const cookie = /pagingcookie="([^"]*)"/.exec(token);
  try {
    if (!page || !cookie) throw new Error('shape');
    const json = Buffer.from(
      decodeURIComponent(decodeURIComponent(cookie[1])),
      'base64url',
    ).toString();
    const state = JSON.parse(json) as Record<string, number | string>;
    if (typeof state !== 'object') throw new Error('shape');
    return { page: Number(page[1]), state };
  } catch {
    throw badRequest(
      'The $skiptoken query parameter is not valid: pass the @odata.nextLink unchanged.',
      '0x80040203',
    );
  }
}

/** Page size from `Prefer: odata.maxpagesize=N` (capped at 5,000), or undefined. */
export function preferredPageSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw badRequest(`The odata.maxpagesize preference value '${value}' is not valid.`);
  }
  return Math.min(n, MAX_PAGE_SIZE);
}

/** `$top`: a positive integer. */
export function parseTop(value: string | null): number | undefined {
  if (value === null) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw badRequest(
      `Invalid value '${value}' for $top query option found. The $top query option requires a non-negative integer value.`,
    );
  }
  return n;
}

/** Builds the next link: the same URL and options with a new `$skiptoken`. */
export function nextLink(base: string, query: URLSearchParams, skipToken: string): string {
  const params = new URLSearchParams(query);
  params.delete('$skiptoken');
  params.set('$skiptoken', skipToken);
  return `${base}?${encodeQuery(params)}`;
}

/** Encodes a query keeping `$` and `,` readable, as Dataverse links do. */
export function encodeQuery(params: URLSearchParams): string {
  return [...params]
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k).replace(/%24/g, '$')}=${encodeURIComponent(v).replace(/%2C/gi, ',')}`,
    )
    .join('&');
}
