import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AppError } from '@platform/errors/app-error';

/** Content types taken as a raw CSV body (browsers send .csv files as vnd.ms-excel). */
const RAW_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/x-csv',
  'text/comma-separated-values',
  'text/plain',
  'application/octet-stream',
  'application/vnd.ms-excel',
]);

/** The multipart field that carries the file. */
export const FILE_FIELD = 'file';

/**
 * The bytes of an uploaded CSV file, streamed: the request itself for a raw body, or the
 * `file` part of a multipart/form-data body (busboy; other parts are skipped). Nothing is
 * buffered here; the consumer's pace holds back the request.
 */
export function uploadStream(req: IncomingMessage): Promise<Readable> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === '' || RAW_TYPES.has(type)) return Promise.resolve(req);
  if (type !== 'multipart/form-data') {
    req.resume();
    return Promise.reject(
      AppError.validation(
        'Content-Type',
        `${type} is not accepted: send the CSV as multipart/form-data (field "${FILE_FIELD}") or as a raw text/csv body`,
      ),
    );
  }
  return new Promise<Readable>((resolve, reject) => {
    let file: Readable | null = null;
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1 } });
    } catch (error) {
      req.resume();
      reject(AppError.validation('Content-Type', `malformed multipart header: ${message(error)}`));
      return;
    }
    parser.on('file', (name, stream) => {
      if (name === FILE_FIELD && !file) {
        file = stream;
        resolve(stream);
      } else stream.resume();
    });
    parser.on('error', (error) => {
      const refused = AppError.validation('file', `malformed multipart body: ${message(error)}`);
      if (file) file.destroy(refused);
      else reject(refused);
      req.resume();
    });
    // A client that goes away mid-body ends the request without an end to the multipart body:
    // busboy would wait for the rest for ever, and the ingest (holding the source) with it.
    req.on('close', () => {
      if (req.complete) return;
      const cut = new Error('the client closed the connection');
      req.unpipe(parser);
      // The file part first, with the reason: destroying the parser then ends a part it no
      // longer feeds ("Unexpected end of file"), which must not surface as an unhandled error.
      if (file) {
        file.on('error', () => undefined);
        file.destroy(cut);
      } else reject(AppError.validation(FILE_FIELD, `the upload was interrupted (${cut.message})`));
      parser.destroy();
    });
    parser.on('close', () => {
      if (!file) {
        reject(
          AppError.validation(
            FILE_FIELD,
            `the multipart body has no file part named "${FILE_FIELD}"`,
          ),
        );
      }
    });
    req.pipe(parser);
  });
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
