import type { CallerIdentity } from '../identity/caller';
import type { Preferences } from '../odata/prefer';
import type { OperationKind } from '../options';

/** One Web API operation, from a plain HTTP request or from a part of a $batch. */
export interface DvRequest {
  method: string;
  /** Path after `/api/data/v9.x/`, percent-decoded (`lists(…)/listcontact_association`). */
  path: string;
  query: URLSearchParams;
  /** Request headers, lower-case names. */
  headers: Record<string, string | undefined>;
  body: string;
  prefer: Preferences;
  caller: CallerIdentity;
  /** Web API version of the URL (`v9.2`). */
  version: string;
}

export interface DvResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body (serialized by the server), or none. */
  body?: unknown;
  /** A JSON body serialized already (pages of contacts), instead of `body`. */
  jsonBytes?: Buffer;
}

/** What the cost model prices: the kind of operation, members touched, rows returned. */
export interface Work {
  kind: OperationKind;
  members?: number;
  rows?: number;
}

export interface DvResult {
  response: DvResponse;
  work: Work;
  /** Statistics key, e.g. `POST /AddListMembersList`, `GET /lists({id})`. */
  endpoint: string;
}
