import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body accepted (a 1000-operation $batch is well under it). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`Request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body?: string | Buffer,
): void {
  if (res.headersSent || res.destroyed) return;
  const out: Record<string, string | number> = { ...headers };
  if (body !== undefined)
    out['Content-Length'] = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  else if (status !== 204 && status !== 304) out['Content-Length'] = 0;
  res.writeHead(status, out);
  res.end(body);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  send(
    res,
    status,
    { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    JSON.stringify(body),
  );
}

export function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
