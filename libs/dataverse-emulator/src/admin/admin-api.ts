import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Privilege, PrivilegeTarget } from '../dataverse/privileges';
import { NotFoundError, type EmulatorHandle } from '../handle';
import type { SeedContact } from '../options';
import { readBody, sendJson } from '../server/http-util';

type Json = Record<string, unknown>;
type Route = (h: EmulatorHandle, body: Json, params: string[], query: URLSearchParams) => unknown;

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const num = (body: Json, key: string, fallback?: number): number => {
  const value = body[key] ?? fallback;
  if (typeof value !== 'number') throw new AdminError(400, `'${key}' must be a number`);
  return value;
};

const text = (body: Json, key: string): string => {
  const value = body[key];
  if (typeof value !== 'string' || value === '')
    throw new AdminError(400, `'${key}' must be a non-empty string`);
  return value;
};

/** An integer query parameter ≥ `min` (or the fallback when absent). */
const intParam = (query: URLSearchParams, key: string, fallback: number, min = 0): number => {
  const raw = query.get(key);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min)
    throw new AdminError(400, `Query parameter '${key}' must be an integer ≥ ${min}, got '${raw}'`);
  return value;
};

/** POST /faults bodies: `{"type": "<fault>", …options}`. */
const FAULTS: Record<string, (h: EmulatorHandle, b: Json) => void> = {
  failNext: (h, b) => {
    h.faults.failNext(num(b, 'count', 1), b);
  },
  failureRate: (h, b) => {
    h.faults.failureRate(num(b, 'rate'), b);
  },
  latency: (h, b) => {
    h.faults.addLatency(num(b, 'ms'), b);
  },
  dropConnections: (h, b) => {
    h.faults.dropConnections(num(b, 'count', 1), b);
  },
  foreignLinks: (h, b) => {
    h.faults.foreignLinks(text(b, 'origin'), b);
  },
  expireTokens: (h) => {
    h.faults.expireAllTokens();
  },
  revokeRefreshTokens: (h) => {
    h.faults.revokeRefreshTokens();
  },
  expireDeltaTokens: (h) => {
    h.faults.expireDeltaTokens();
  },
  denyPrivileges: (h, b) => {
    const privileges = b.privileges;
    if (
      privileges !== 'all' &&
      !(Array.isArray(privileges) && privileges.every((p) => typeof p === 'string'))
    ) {
      throw new AdminError(400, `'privileges' must be 'all' or an array of privilege names`);
    }
    h.faults.denyPrivileges(privileges as Privilege[] | 'all', b.target as PrivilegeTarget);
  },
  lockList: (h, b) => {
    h.faults.lockList(text(b, 'listid'));
  },
  deactivateList: (h, b) => {
    h.faults.deactivateList(text(b, 'listid'));
  },
  deleteContact: (h, b) => {
    h.faults.deleteContact(text(b, 'contactid'));
  },
};

const ROUTES: [string, RegExp, Route][] = [
  ['GET', /^info$/, (h) => info(h)],
  [
    'POST',
    /^reset$/,
    (h, b) => {
      h.reset({ contacts: b.contacts as number | SeedContact[] | undefined });
      return info(h);
    },
  ],
  [
    'GET',
    /^contacts$/,
    (h, _b, _p, q) => ({
      count: h.contacts.count(),
      value: h.contacts.all(intParam(q, 'offset', 0), intParam(q, 'limit', 5000, 1)),
    }),
  ],
  [
    'POST',
    /^contacts$/,
    (h, b) => {
      if (b.contacts === undefined && typeof b.count !== 'number') {
        throw new AdminError(400, `Give {"count": n} or {"contacts": [{…}, …]}`);
      }
      return {
        value: h.contacts.add((b.contacts as SeedContact[] | undefined) ?? num(b, 'count')),
      };
    },
  ],
  ['GET', /^contacts\/([^/]+)$/, (h, _b, [id]) => h.contacts.get(id) ?? notFound('contact', id)],
  ['PATCH', /^contacts\/([^/]+)$/, (h, b, [id]) => h.contacts.update(id, b)],
  [
    'DELETE',
    /^contacts\/([^/]+)$/,
    (h, _b, [id]) => {
      h.contacts.delete(id);
      return { deleted: id };
    },
  ],
  ['GET', /^lists$/, (h) => ({ value: h.lists.all() })],
  ['GET', /^lists\/([^/]+)$/, (h, _b, [id]) => h.lists.get(id) ?? notFound('list', id)],
  ['GET', /^lists\/([^/]+)\/members$/, (h, _b, [id]) => ({ value: h.lists.members(id) })],
  [
    'POST',
    /^lists\/([^/]+)\/(lock|unlock|deactivate|activate)$/,
    (h, _b, [id, action]) => {
      h.lists[action as 'lock' | 'unlock' | 'deactivate' | 'activate'](id);
      return h.lists.get(id);
    },
  ],
  ['GET', /^stats$/, (h) => h.stats()],
  [
    'POST',
    /^stats\/reset$/,
    (h) => {
      h.resetStats();
      return h.stats();
    },
  ],
  [
    'GET',
    /^projection$/,
    (h, _b, _p, q) => {
      const mark = (key: string) =>
        q.has(key) ? { position: intParam(q, key, 0), at: new Date() } : undefined;
      return h.projection(mark('from'), mark('to'));
    },
  ],
  ['GET', /^faults$/, (h) => h.faults.describe()],
  [
    'POST',
    /^faults$/,
    (h, b) => {
      const apply = FAULTS[String(b.type)] as ((h: EmulatorHandle, b: Json) => void) | undefined;
      if (!apply)
        throw new AdminError(
          400,
          `Unknown fault type '${String(b.type)}'; known: ${Object.keys(FAULTS).join(', ')}`,
        );
      apply(h, b);
      return h.faults.describe();
    },
  ],
  [
    'DELETE',
    /^faults$/,
    (h) => {
      h.faults.clear();
      return h.faults.describe();
    },
  ],
  ['GET', /^device-codes$/, (h) => ({ value: h.identity.pendingDeviceCodes() })],
  [
    'POST',
    /^device-codes\/approve$/,
    (h, b) =>
      h.identity.approveDeviceCode(
        b.userCode as string | undefined,
        b.username as string | undefined,
      ),
  ],
  [
    'POST',
    /^device-codes\/decline$/,
    (h, b) => h.identity.declineDeviceCode(b.userCode as string | undefined),
  ],
  ['GET', /^limits$/, (h) => h.limits.get()],
  ['PUT', /^limits$/, (h, b) => h.limits.set(b)],
  ['GET', /^cost-model$/, (h) => h.limits.costModel()],
  ['PUT', /^cost-model$/, (h, b) => h.limits.setCostModel(b)],
  [
    'PUT',
    /^token-lifetime$/,
    (h, b) => {
      h.identity.setTokenLifetime(num(b, 'seconds'));
      return { seconds: b.seconds };
    },
  ],
];

/** Bad input (checked by the handle with RangeErrors) is 400; an unknown list or contact 404. */
function statusOf(error: unknown): number {
  if (error instanceof AdminError) return error.status;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof RangeError || error instanceof URIError) return 400;
  return 500;
}

function notFound(what: string, id: string): never {
  throw new AdminError(404, `No ${what} ${id}`);
}

function info(h: EmulatorHandle) {
  return {
    url: h.url,
    authority: h.authority,
    tenantId: h.tenantId,
    clientId: h.clientId,
    clientSecret: h.clientSecret,
    caCertPath: h.caCertPath,
    apiUrl: h.apiUrl,
    contacts: h.contacts.count(),
    lists: h.lists.all().length,
  };
}

/**
 * The admin API under `/_emulator/v1/` (no real org has this path): seeding, inspection,
 * statistics, projection, faults, device-code approval, limits. Local tool: no authentication.
 */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  handle: EmulatorHandle,
): Promise<boolean> {
  const path = url.pathname.replace(/^\/_emulator\/v1\/?/, '');
  if (path === url.pathname) return false;
  const text = await readBody(req);
  try {
    let body: Json = {};
    if (text.trim()) {
      try {
        body = JSON.parse(text) as Json;
      } catch {
        throw new AdminError(400, 'The body is not valid JSON');
      }
    }
    const allowed: string[] = [];
    for (const [method, pattern, route] of ROUTES) {
      const match = pattern.exec(path);
      if (!match) continue;
      if (method !== req.method) {
        allowed.push(method);
        continue;
      }
      const result = route(handle, body, match.slice(1).map(decodeURIComponent), url.searchParams);
      sendJson(res, 200, result ?? {});
      return true;
    }
    if (allowed.length > 0) {
      throw new AdminError(
        405,
        `/_emulator/v1/${path} answers ${allowed.join(', ')}, not ${req.method ?? ''}`,
      );
    }
    throw new AdminError(404, `No admin route ${req.method ?? ''} /_emulator/v1/${path}`);
  } catch (error) {
    sendJson(res, statusOf(error), { error: (error as Error).message });
  }
  return true;
}
