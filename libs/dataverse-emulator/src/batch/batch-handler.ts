import { badRequest, DataverseError, ErrorCodes } from '../dataverse/dataverse-error';
import type { DvRequest, DvResponse } from '../dataverse/request';
import { Preferences } from '../odata/prefer';
import type { ListStore } from '../store/list-store';
import {
  boundaryOf,
  parseMultipart,
  writeMultipart,
  type BatchPart,
  type InnerRequest,
  type PartResponse,
  type ResponseItem,
} from './multipart';
import { randomUUID } from 'node:crypto';

export const MAX_BATCH_OPERATIONS = 1000;

/** Runs one operation of a batch; never throws (errors come back as responses). */
export type Execute = (req: DvRequest) => { response: DvResponse; failed: boolean };

export interface BatchOutcome {
  status: number;
  headers: Record<string, string>;
  body: string;
  operations: number;
}

const API_PATH = /^\/api\/data\/(v9\.[0-2])\/(.*)$/;

/**
 * POST $batch: operations run in order; a change set is all-or-nothing (its list changes are
 * undone when one of its operations fails) and answers with the one failing response. Without
 * `Prefer: odata.continue-on-error` processing stops at the first failure and the batch answers
 * 400; with it, every operation runs and the batch answers 200.
 */
export function runBatch(
  outer: DvRequest,
  lists: ListStore,
  execute: Execute,
  errorResponse: (error: DataverseError) => DvResponse,
): BatchOutcome {
  const boundary = boundaryOf(outer.headers['content-type']);
  if (!boundary)
    throw badRequest("A $batch request needs 'Content-Type: multipart/mixed; boundary=…'.");
  const parts = parseMultipart(outer.body, boundary);
  const operations = parts.reduce((n, p) => n + (p.changeSet ? p.changeSet.length : 1), 0);
  if (operations > MAX_BATCH_OPERATIONS) {
    throw badRequest(
      `The batch contains ${operations} operations; a batch may contain at most ${MAX_BATCH_OPERATIONS} operations.`,
      ErrorCodes.invalidArgument,
    );
  }
  if (operations === 0) throw badRequest('The batch request contains no operations.');
  const continueOnError = outer.prefer.continueOnError;
  const items: ResponseItem[] = [];
  let failed = false;
  for (const part of parts) {
    if (part.changeSet) {
      const result = runChangeSet(outer, part.changeSet, lists, execute, errorResponse);
      items.push(result.item);
      failed = result.failed;
    } else {
      const request = part.request as InnerRequest;
      const response = runOperation(
        outer,
        request,
        part.headers,
        new Map(),
        execute,
        errorResponse,
      );
      items.push(toPart(response.response, part.headers['content-id']));
      failed = response.failed;
    }
    if (failed && !continueOnError) break;
  }
  const responseBoundary = `batchresponse_${randomUUID()}`;
  const headers: Record<string, string> = {
    'Content-Type': `multipart/mixed; boundary=${responseBoundary}`,
  };
  if (continueOnError) headers['Preference-Applied'] = 'odata.continue-on-error';
  return {
    status: failed && !continueOnError ? 400 : 200,
    headers,
    body: writeMultipart(items, responseBoundary),
    operations,
  };
}

function runChangeSet(
  outer: DvRequest,
  parts: BatchPart[],
  lists: ListStore,
  execute: Execute,
  errorResponse: (error: DataverseError) => DvResponse,
): { item: ResponseItem; failed: boolean } {
  const ids = new Map<string, string>();
  const done: PartResponse[] = [];
  try {
    lists.atomically(() => {
      for (const part of parts) {
        const request = part.request;
        if (!request) throw badRequest('Change sets cannot be nested.');
        if (request.method === 'GET')
          throw badRequest('GET operations are not allowed in a change set.');
        const contentId = part.headers['content-id'] ?? request.headers['content-id'];
        const result = runOperation(outer, request, part.headers, ids, execute, errorResponse);
        if (result.failed) throw new ChangeSetFailure(toPart(result.response, contentId));
        const entityId = result.response.headers['OData-EntityId'];
        if (contentId !== undefined && entityId) ids.set(contentId, entityId);
        done.push(toPart(result.response, contentId));
      }
    });
  } catch (error) {
    const failure =
      error instanceof ChangeSetFailure
        ? error.part
        : toPart(errorResponse(asDataverseError(error)));
    return { item: failure, failed: true };
  }
  return {
    item: { changeSet: done, boundary: `changesetresponse_${randomUUID()}` },
    failed: false,
  };
}

class ChangeSetFailure extends Error {
  constructor(readonly part: PartResponse) {
    super('change set failed');
  }
}

function asDataverseError(error: unknown): DataverseError {
  if (error instanceof DataverseError) return error;
  throw error;
}

function runOperation(
  outer: DvRequest,
  request: InnerRequest,
  partHeaders: Record<string, string | undefined>,
  contentIds: Map<string, string>,
  execute: Execute,
  errorResponse: (error: DataverseError) => DvResponse,
): { response: DvResponse; failed: boolean } {
  let target: { version: string; path: string; query: URLSearchParams };
  try {
    target = resolveUrl(outer, request.url, contentIds);
    if (target.path.toLowerCase().startsWith('$batch'))
      throw badRequest('A batch cannot contain another $batch.');
  } catch (error) {
    return { response: errorResponse(asDataverseError(error)), failed: true };
  }
  const headers: Record<string, string | undefined> = { ...request.headers };
  headers['content-id'] ??= partHeaders['content-id'];
  return execute({
    method: request.method,
    path: target.path,
    query: target.query,
    headers,
    body: request.body,
    prefer: new Preferences(request.headers.prefer),
    caller: outer.caller,
    version: target.version,
  });
}

/** Absolute, root-relative, service-relative, and `$n` (Content-ID) URLs. */
function resolveUrl(
  outer: DvRequest,
  raw: string,
  contentIds: Map<string, string>,
): { version: string; path: string; query: URLSearchParams } {
  let url = raw;
  const ref = /^\$([^/?]+)(.*)$/.exec(url);
  if (ref && !url.startsWith('$batch')) {
    const entityId = contentIds.get(ref[1]);
    if (!entityId)
      throw badRequest(
        `Content-ID reference '$${ref[1]}' does not match any earlier operation of the change set.`,
      );
    url = entityId + ref[2];
  }
  const serviceRoot = `https://placeholder/api/data/${outer.version}/`;
  const parsed = new URL(url, serviceRoot);
  const match = API_PATH.exec(parsed.pathname);
  if (!match)
    throw badRequest(`The batch operation URL '${raw}' is not a Web API URL (/api/data/v9.x/…).`);
  return { version: match[1], path: decodeURIComponent(match[2]), query: parsed.searchParams };
}

function toPart(response: DvResponse, contentId?: string): PartResponse {
  const headers: Record<string, string> = { 'OData-Version': '4.0' };
  for (const [k, v] of Object.entries(response.headers)) if (k !== 'Retry-After') headers[k] = v;
  let body: string | undefined;
  if (response.jsonBytes) {
    headers['Content-Type'] = 'application/json; odata.metadata=minimal';
    body = response.jsonBytes.toString('utf8');
  } else if (response.body !== undefined) {
    headers['Content-Type'] = 'application/json; odata.metadata=minimal';
    body = JSON.stringify(response.body);
  }
  return { status: response.status, headers, body, contentId };
}
