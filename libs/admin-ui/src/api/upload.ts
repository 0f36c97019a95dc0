import { getCsrfToken, getToken } from '../auth/session';
import { toApiError } from './client';
import { ApiError } from './errors';

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * Sends a file as multipart/form-data (field `file`) and reports progress. fetch() cannot report
 * upload progress, so this one call uses XMLHttpRequest.
 */
export function uploadFile<T>(
  path: string,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const token = getToken();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    const csrf = getCsrfToken();
    if (!token && csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = { message: xhr.responseText.slice(0, 300) };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T);
      else reject(toApiError(xhr.status, body, xhr.statusText));
    };
    xhr.onerror = () => {
      reject(new ApiError(0, 'The upload was interrupted: the server could not be reached.'));
    };
    xhr.onabort = () => {
      reject(new ApiError(0, 'The upload was canceled.'));
    };
    signal?.addEventListener('abort', () => {
      xhr.abort();
    });
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
