import { randomUUID } from 'node:crypto';

/**
 * OData `$batch` (multipart/mixed) for the Dataverse Web API: builder and response parser.
 *
 * Written by hand: the format is small and fixed (documented in "Execute batch operations using
 * the Web API"), and the npm packages for it either target browsers, pull in a whole OData client
 * (odata-v4-*, dynamics-web-api) or parse only flat multipart bodies without the nested change-set
 * responses and inner HTTP status lines Dataverse answers with.
 */

/** One request inside a batch. `url` is relative to the Web API root (`contacts?$select=…`). */
export interface BatchOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** JSON body (serialized with JSON.stringify). */
  body?: unknown;
  /** Content-ID inside a change set (later parts may reference `$<id>`). Assigned when missing. */
  contentId?: string;
}

/** Operations run atomically (all or nothing); GET is not allowed inside. */
export interface BatchChangeSet {
  changeSet: BatchOperation[];
}

export type BatchItem = BatchOperation | BatchChangeSet;

export interface BatchPart {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
  contentId?: string;
}

export function isChangeSet(item: BatchItem): item is BatchChangeSet {
  return 'changeSet' in item;
}

const CRLF = '\r\n';

/** The request body and its Content-Type for `POST <root>$batch`. */
export function buildBatch(
  items: readonly BatchItem[],
  apiPath: string,
  id: string = randomUUID(),
): { contentType: string; body: string } {
  const boundary = `batch_${id}`;
  const lines: string[] = [];
  let changeSets = 0;
  for (const item of items) {
    lines.push(`--${boundary}`);
    if (isChangeSet(item)) {
      changeSets += 1;
      const inner = `changeset_${id}_${changeSets}`;
      lines.push(`Content-Type: multipart/mixed; boundary=${inner}`, '');
      item.changeSet.forEach((operation, index) => {
        if (operation.method === 'GET') {
          throw new Error('GET requests are not allowed inside a change set');
        }
        lines.push(`--${inner}`);
        lines.push(...operationLines(operation, apiPath, operation.contentId ?? String(index + 1)));
      });
      lines.push(`--${inner}--`);
    } else {
      lines.push(...operationLines(item, apiPath));
    }
  }
  lines.push(`--${boundary}--`, '');
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: lines.join(CRLF) };
}

function operationLines(operation: BatchOperation, apiPath: string, contentId?: string): string[] {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId !== undefined) lines.push(`Content-ID: ${contentId}`);
  lines.push('');
  const target = operation.url.startsWith('$') ? operation.url : `${apiPath}${operation.url}`;
  lines.push(`${operation.method} ${target} HTTP/1.1`);
  const headers: Record<string, string> = { ...operation.headers };
  if (operation.body !== undefined && !hasHeader(headers, 'content-type')) {
    headers['Content-Type'] = 'application/json; type=entry';
  }
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  lines.push('');
  lines.push(operation.body !== undefined ? JSON.stringify(operation.body) : '');
  return lines;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** The boundary parameter of a multipart Content-Type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (contentType === undefined || !/^\s*multipart\/mixed/i.test(contentType)) return null;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * The inner responses of a `$batch` answer, in request order; the responses of a change set are
 * flattened in place (a failed change set answers with one error response instead).
 */
export function parseBatchResponse(contentType: string | undefined, body: string): BatchPart[] {
  const boundary = boundaryOf(contentType);
  if (boundary === null) {
    throw new Error(
      `a $batch answer must be multipart/mixed (got ${contentType ?? 'no Content-Type'})`,
    );
  }
  const out: BatchPart[] = [];
  for (const part of splitMultipart(body, boundary)) {
    const { headers, rest } = readHeaders(part);
    const nested = boundaryOf(headers['content-type']);
    if (nested !== null) {
      for (const inner of splitMultipart(rest, nested)) out.push(readHttpPart(inner));
    } else {
      out.push(readHttpPart(part));
    }
  }
  return out;
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = new RegExp(
    `(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`,
    'g',
  );
  const parts: string[] = [];
  let start = -1;
  for (let match = delimiter.exec(body); match !== null; match = delimiter.exec(body)) {
    if (start >= 0) parts.push(body.slice(start, match.index));
    if (match[1] === '--') return parts;
    start = match.index + match[0].length;
  }
  if (start >= 0) parts.push(body.slice(start));
  return parts;
}

function readHeaders(text: string): { headers: Record<string, string>; rest: string } {
  const headers: Record<string, string> = {};
  const blank = /^\r?\n/.exec(text);
  if (blank) return { headers, rest: text.slice(blank[0].length) };
  const end = /\r?\n\r?\n/.exec(text);
  const head = end ? text.slice(0, end.index) : text;
  const rest = end ? text.slice(end.index + end[0].length) : '';
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, rest };
}

function readHttpPart(part: string): BatchPart {
  const outer = readHeaders(part);
  const statusLine = /^HTTP\/\d(?:\.\d)?\s+(\d{3})[^\r\n]*\r?\n/.exec(outer.rest);
  if (!statusLine) throw new Error('a $batch part has no HTTP status line');
  const inner = readHeaders(outer.rest.slice(statusLine[0].length));
  const body = inner.rest.replace(/\r?\n$/, '');
  const contentId = header(outer.headers, 'content-id') ?? header(inner.headers, 'content-id');
  return {
    status: Number(statusLine[1]),
    headers: inner.headers,
    body,
    ...(contentId !== undefined ? { contentId } : {}),
  };
}

function header(headers: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(headers, name) ? headers[name] : undefined;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
