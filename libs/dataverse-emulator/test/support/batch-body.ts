/** Builds $batch bodies the way the Dataverse docs show them (CRLF, application/http parts). */
export interface Op {
  method: string;
  url: string;
  body?: object;
  headers?: Record<string, string>;
  contentId?: string;
}

function part(op: Op): string {
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (op.contentId) lines.push(`Content-ID: ${op.contentId}`);
  lines.push('', `${op.method} ${op.url} HTTP/1.1`);
  if (op.body) lines.push('Content-Type: application/json; type=entry');
  for (const [k, v] of Object.entries(op.headers ?? {})) lines.push(`${k}: ${v}`);
  lines.push('', op.body ? JSON.stringify(op.body) : '');
  return lines.join('\r\n');
}

export function batchBody(
  items: (Op | Op[])[],
  boundary = 'batch_test',
): { body: string; contentType: string } {
  const out: string[] = [];
  items.forEach((item, i) => {
    out.push(`--${boundary}`);
    if (Array.isArray(item)) {
      const cs = `changeset_${i}`;
      out.push(`Content-Type: multipart/mixed; boundary=${cs}`, '');
      for (const op of item) out.push(`--${cs}`, part(op));
      out.push(`--${cs}--`);
    } else {
      out.push(part(item));
    }
  });
  out.push(`--${boundary}--`, '');
  return { body: out.join('\r\n'), contentType: `multipart/mixed; boundary="${boundary}"` };
}

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely typed JSON bodies
  body: any;
  contentId?: string;
  changeSet?: number;
}

/** Splits a batch response into its operation responses (flattening change sets). */
export function parseBatchResponse(text: string, contentType: string): ParsedResponse[] {
  const boundary = /boundary=([^;\s]+)/.exec(contentType)?.[1];
  if (!boundary) throw new Error(`not a multipart response: ${contentType}`);
  const out: ParsedResponse[] = [];
  const walk = (body: string, b: string, changeSet?: number) => {
    const chunks = body.split(`--${b}`).slice(1, -1);
    chunks.forEach((chunk, index) => {
      const nested = /Content-Type: multipart\/mixed; boundary=(\S+)/.exec(chunk);
      if (nested) {
        walk(chunk.slice(chunk.indexOf('\r\n\r\n') + 4), nested[1], index);
        return;
      }
      const contentId = /Content-ID: (\S+)/.exec(chunk)?.[1];
      const http = chunk.slice(chunk.indexOf('HTTP/1.1'));
      const [head, ...rest] = http.split('\r\n\r\n');
      const [statusLine, ...headerLines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of headerLines) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      const bodyText = rest.join('\r\n\r\n').trim();
      const body: unknown = bodyText ? JSON.parse(bodyText) : undefined;
      out.push({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body,
        contentId,
        changeSet,
      });
    });
  };
  walk(text, boundary);
  return out;
}
