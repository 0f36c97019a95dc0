import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { request } from 'node:http';

/** What `POST /api/sources/:id/upload` answers. */
export interface UploadAnswer {
  rowsRead: number;
  rowsStored: number;
  rowsRejected: number;
}

/**
 * A JSON API call over node:http (no response-header deadline, unlike fetch: a unification may
 * take minutes). Rejects on a status of 300 or more, with the body.
 */
export function apiCall(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: object,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if ((res.statusCode ?? 500) >= 300) {
          reject(new Error(`${method} ${path} answered ${res.statusCode}: ${text}`));
        } else {
          resolve(text ? (JSON.parse(text) as unknown) : undefined);
        }
      });
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** Streams a CSV file to a source's upload endpoint, as a raw text/csv body or a multipart part. */
export function uploadCsv(
  url: string,
  token: string,
  sourceId: string,
  path: string,
  multipart = false,
): Promise<UploadAnswer> {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  return new Promise<UploadAnswer>((resolve, reject) => {
    const req = request(`${url}/api/sources/${sourceId}/upload`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': multipart ? `multipart/form-data; boundary=${boundary}` : 'text/csv',
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`upload answered ${res.statusCode}: ${body}`));
        else resolve(JSON.parse(body) as UploadAnswer);
      });
    });
    req.on('error', reject);
    if (multipart) {
      req.write(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      );
    }
    const input = createReadStream(path, { highWaterMark: 64 * 1024 });
    input.pipe(req, { end: false });
    input.on('error', reject);
    input.on('end', () => {
      req.end(multipart ? `\r\n--${boundary}--\r\n` : undefined);
    });
  });
}
