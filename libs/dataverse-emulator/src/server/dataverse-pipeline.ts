import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { runBatch } from '../batch/batch-handler';
import { badRequest, DataverseError, ErrorCodes } from '../dataverse/dataverse-error';
import type { Org } from '../dataverse/org';
import type { DvRequest, DvResponse, Work } from '../dataverse/request';
import { dispatch } from '../dataverse/router';
import type { Faults } from '../faults/faults';
import { AuthFailure, type CallerIdentity } from '../identity/caller';
import type { TokenService } from '../identity/token-service';
import { Preferences } from '../odata/prefer';
import type { CostModel } from '../options';
import type { RequestLog } from '../protection/projection';
import type { RequestStats } from '../protection/request-stats';
import type { Admission, ServiceProtection } from '../protection/service-protection';
import { ABANDONED, type Delays } from './delays';
import { lowerHeaders, readBody, send } from './http-util';

export interface DataverseRuntime {
  org: Org;
  tokens: TokenService;
  protection: ServiceProtection;
  stats: RequestStats;
  log: RequestLog;
  faults: Faults;
  /** Injected latency (ends early when the client leaves or the emulator stops). */
  delays: Delays;
  costModel: CostModel;
  dopHint: number;
  /** Called after a successful change (persistence). */
  changed(): void;
}

const API_PATH = /^\/api\/data\/(v9\.[0-2])\/(.*)$/;
const JSON_TYPE = 'application/json; odata.metadata=minimal';

/** Statistics key from a path: GUID keys become `{id}`. */
export function endpointOf(method: string, path: string): string {
  const templated = path
    .replace(/\([^)]*\)/g, '({id})')
    .replace(/^microsoft\.dynamics\.crm\./i, '');
  return `${method} /${templated}`;
}

export function costOf(model: CostModel, work: Work): number {
  return (
    model.baseMs[work.kind] +
    model.perMemberMs * (work.members ?? 0) +
    model.perRowMs * (work.rows ?? 0)
  );
}

export function errorResponse(error: DataverseError): DvResponse {
  return { status: error.status, headers: { ...error.headers }, body: error.body() };
}

/**
 * The Dataverse side of a request: injected faults, bearer token, service protection, then the
 * handler (or $batch), cost accounting and statistics. Returns false when not a Web API path.
 */
export async function handleDataverse(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  rt: DataverseRuntime,
): Promise<boolean> {
  const match = API_PATH.exec(url.pathname);
  if (!match) return false;
  const version = match[1];
  const method = req.method ?? 'GET';
  const body = await readBody(req);
  const headers = lowerHeaders(req);
  const path = decodePath(match[2]);
  let endpoint = endpointOf(method, path ?? match[2]);
  const common: Record<string, string> = {
    'OData-Version': '4.0',
    'x-ms-dop-hint': String(rt.dopHint),
    'x-ms-service-request-id': randomUUID(),
    'Cache-Control': 'no-cache',
  };
  common.REQ_ID = common['x-ms-service-request-id'];
  const reply = (response: DvResponse, raw?: string) => {
    const out = { ...common, ...response.headers };
    let body: string | Buffer | undefined = raw;
    if (body === undefined && (response.jsonBytes ?? response.body) !== undefined) {
      out['Content-Type'] = JSON_TYPE;
      body = response.jsonBytes ?? JSON.stringify(response.body);
      if (rt.faults.hasForeignLinks) {
        body = rt.faults.rewriteLinks(endpoint, url.origin, body.toString());
      }
    }
    send(res, response.status, out, body);
  };

  if (path === undefined) {
    const error = badRequest(`The URL path '${match[2]}' is not valid percent-encoding.`);
    rt.stats.record(endpoint, { status: 400, executionMs: 0 });
    reply(errorResponse(error));
    return true;
  }

  const decision = rt.faults.decide('dataverse', endpoint);
  if (decision.drop) {
    rt.stats.record(endpoint, { status: 599, executionMs: 0 });
    req.socket.destroy();
    return true;
  }
  if (decision.error) {
    if (decision.delayMs > 0 && !(await rt.delays.wait(decision.delayMs, req.socket))) {
      rt.stats.record(endpoint, { status: ABANDONED, executionMs: 0 });
      return true;
    }
    rt.stats.record(endpoint, { status: decision.error.status, executionMs: 0 });
    reply(errorResponse(decision.error));
    return true;
  }

  let caller: CallerIdentity;
  try {
    caller = await rt.tokens.verify(headers.authorization);
  } catch (error) {
    if (!(error instanceof AuthFailure)) throw error;
    rt.stats.record(endpoint, { status: 401, executionMs: 0 });
    reply(unauthorized(rt.tokens, error));
    return true;
  }

  let admission: Admission;
  try {
    admission = rt.protection.admit(caller.oid);
  } catch (error) {
    if (!(error instanceof DataverseError)) throw error;
    rt.stats.record(endpoint, { status: 429, executionMs: 0 });
    reply(errorResponse(error));
    return true;
  }
  const started = Date.now();
  let cost = 0;
  try {
    // Latency runs inside the concurrency slot; a request whose client leaves (or whose
    // emulator stops) meanwhile is abandoned: nothing runs, nothing is answered.
    if (decision.delayMs > 0 && !(await rt.delays.wait(decision.delayMs, req.socket))) {
      rt.stats.record(endpoint, { status: ABANDONED, executionMs: 0 });
      return true;
    }
    common['x-ms-ratelimit-burst-remaining-xrm-requests'] = String(admission.remaining.requests);
    common['x-ms-ratelimit-time-remaining-xrm-requests'] = String(admission.remaining.executionMs);
    const dvReq: DvRequest = {
      method,
      path,
      query: url.searchParams,
      headers,
      body,
      prefer: new Preferences(headers.prefer),
      caller,
      version,
    };
    if (path === '$batch') {
      endpoint = 'POST /$batch';
      if (method !== 'POST') {
        cost = rt.costModel.baseMs.read;
        const error = new DataverseError(405, ErrorCodes.odata, 'A $batch request must use POST.');
        rt.stats.record(endpoint, { status: 405, executionMs: cost });
        reply(errorResponse(error));
        return true;
      }
      cost = rt.costModel.baseMs.batch;
      try {
        const outcome = runBatch(
          dvReq,
          rt.org.lists,
          (op) => {
            const result = execute(rt, op, true);
            cost += result.cost;
            return result;
          },
          errorResponse,
        );
        rt.stats.record(endpoint, { status: outcome.status, executionMs: cost });
        reply({ status: outcome.status, headers: outcome.headers }, outcome.body);
      } catch (error) {
        if (!(error instanceof DataverseError)) throw error;
        rt.stats.record(endpoint, { status: error.status, executionMs: cost });
        reply(errorResponse(error));
      }
      return true;
    }
    const result = execute(rt, dvReq, false);
    cost = result.cost;
    reply(result.response);
    return true;
  } finally {
    rt.protection.complete(admission, cost);
    rt.log.record(caller.oid, started, cost);
  }
}

/** The percent-decoded path, or undefined when its percent-encoding is broken (400). */
function decodePath(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}

/** Runs one operation (plain or inside a $batch); errors become responses. */
function execute(
  rt: DataverseRuntime,
  req: DvRequest,
  inBatch: boolean,
): { response: DvResponse; failed: boolean; cost: number } {
  try {
    const result = dispatch(rt.org, req);
    const cost = costOf(rt.costModel, result.work);
    rt.stats.record(result.endpoint, {
      status: result.response.status,
      executionMs: cost,
      inBatch,
    });
    if (req.method !== 'GET') rt.changed();
    return { response: result.response, failed: false, cost };
  } catch (error) {
    if (!(error instanceof DataverseError)) throw error;
    const cost = rt.costModel.baseMs.read;
    rt.stats.record(endpointOf(req.method, req.path), {
      status: error.status,
      executionMs: cost,
      inBatch,
    });
    return { response: errorResponse(error), failed: true, cost };
  }
}

/**
 * 401 as Dataverse answers it: a `WWW-Authenticate: Bearer` challenge naming the authority and
 * the org; no body when no token was sent, an error body naming the problem otherwise.
 */
function unauthorized(tokens: TokenService, failure: AuthFailure): DvResponse {
  const challenge = `Bearer authorization_uri=${tokens.authority}/oauth2/authorize, resource_id=${tokens.orgUrl}/`;
  if (failure.reason === 'missing') {
    return { status: 401, headers: { 'WWW-Authenticate': challenge } };
  }
  return {
    status: 401,
    headers: {
      'WWW-Authenticate': `Bearer error="invalid_token", error_description="${failure.message}", ${challenge.slice(7)}`,
    },
    body: { error: { code: '', message: `${failure.message} (${failure.reason})` } },
  };
}
