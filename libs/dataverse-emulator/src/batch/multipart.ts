import { badRequest } from '../dataverse/dataverse-error';

/**
 * multipart/mixed for OData $batch, written by hand: the MIME parsers on npm (busboy, dicer,
 * formidable) are built for multipart/form-data uploads and do not give back nested
 * multipart/mixed change sets or the raw HTTP request inside each application/http part.
 * The format is small: parts split on the boundary, a header block, then the inner request.
 */
export interface BatchPart {
  headers: Record<string, string | undefined>;
  /** An operation (application/http) … */
  request?: InnerRequest;
  /** … or a change set (nested multipart/mixed). */
  changeSet?: BatchPart[];
}

export interface InnerRequest {
  method: string;
  url: string;
  headers: Record<string, string | undefined>;
  body: string;
}

export function boundaryOf(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/mixed/i.test(contentType.trim())) return undefined;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!match) return undefined;
  return match[1] || match[2]; // one of the two groups matched
}

function splitHead(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return [text, ''];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}

function parseHeaders(block: string): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const line of block.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw badRequest(`The batch request has a malformed header line '${line}'.`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function parseMultipart(body: string, boundary: string, nested = false): BatchPart[] {
  const delimiter = `--${boundary}`;
  const chunks = body.split(delimiter);
  if (chunks.length < 2)
    throw badRequest(`The batch body does not contain the boundary '${boundary}'.`);
  const closed = chunks[chunks.length - 1].startsWith('--');
  if (!closed) throw badRequest(`The batch body does not end with '${delimiter}--'.`);
  const parts: BatchPart[] = [];
  for (const chunk of chunks.slice(1, -1)) {
    const content = chunk.replace(/^\r?\n/, '').replace(/\r?\n$/, '');
    const [headBlock, rest] = splitHead(content);
    const headers = parseHeaders(headBlock);
    const inner = boundaryOf(headers['content-type']);
    if (inner) {
      if (nested) throw badRequest('Change sets cannot be nested.');
      parts.push({ headers, changeSet: parseMultipart(rest, inner, true) });
      continue;
    }
    if (!/^application\/http/i.test(headers['content-type'] ?? '')) {
      throw badRequest(
        `Each batch part needs 'Content-Type: application/http' (got '${headers['content-type'] ?? ''}').`,
      );
    }
    parts.push({ headers, request: parseInnerRequest(rest) });
  }
  return parts;
}

function parseInnerRequest(text: string): InnerRequest {
  const [head, body] = splitHead(text.replace(/^\s*\r?\n/, ''));
  const lines = head.split(/\r?\n/);
  const requestLine = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/1\.[01])?$/.exec(lines[0].trim());
  if (!requestLine) throw badRequest(`The batch part has a malformed request line '${lines[0]}'.`);
  return {
    method: requestLine[1],
    url: requestLine[2],
    headers: parseHeaders(lines.slice(1).join('\n')),
    body: body.replace(/\r?\n$/, ''),
  };
}

export interface PartResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
  contentId?: string;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

function writePart(part: PartResponse): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (part.contentId !== undefined) lines.push(`Content-ID: ${part.contentId}`);
  lines.push('', `HTTP/1.1 ${part.status} ${REASONS[part.status] ?? ''}`.trimEnd());
  for (const [k, v] of Object.entries(part.headers)) lines.push(`${k}: ${v}`);
  lines.push('', part.body ?? '');
  return lines.join('\r\n');
}

export type ResponseItem = PartResponse | { changeSet: PartResponse[]; boundary: string };

export function writeMultipart(items: ResponseItem[], boundary: string): string {
  const out: string[] = [];
  for (const item of items) {
    out.push(`--${boundary}`);
    if ('changeSet' in item) {
      const inner = item.changeSet.map((p) => `--${item.boundary}\r\n${writePart(p)}`).join('\r\n');
      out.push(
        `Content-Type: multipart/mixed; boundary=${item.boundary}\r\n\r\n${inner}\r\n--${item.boundary}--`,
      );
    } else {
      out.push(writePart(item));
    }
  }
  out.push(`--${boundary}--`, '');
  return out.join('\r\n');
}
