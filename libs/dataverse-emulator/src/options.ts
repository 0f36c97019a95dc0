/** Options of `startEmulator()` and the defaults that make it behave like a real org. */

import { checkUsers, DEFAULT_USERS, type EmulatorUser } from './identity/users';

/** The service-protection limits, evaluated per client identity over a sliding window. */
export interface ServiceProtectionLimits {
  /** Length of the sliding window in seconds (real: 300). */
  windowSeconds: number;
  /** Requests per window (real: 6000; a $batch counts as one request). */
  maxRequests: number;
  /** Combined modeled execution time per window in ms (real: 1,200,000). */
  maxExecutionMs: number;
  /** Requests in progress at once (real: 52). */
  maxConcurrent: number;
}

export const REAL_LIMITS: Readonly<ServiceProtectionLimits> = Object.freeze({
  windowSeconds: 300,
  maxRequests: 6000,
  maxExecutionMs: 1_200_000,
  maxConcurrent: 52,
});

/** Kinds of operation the cost model prices. */
export type OperationKind =
  'whoami' | 'read' | 'create' | 'update' | 'delete' | 'memberAction' | 'batch';

/**
 * Modeled server execution time of each request, used for the execution-time limit, the
 * statistics and the projection. The emulator answers in microseconds; these numbers stand for
 * what a real org spends. Cost = baseMs[kind] + perMemberMs × members + perRowMs × rows.
 */
export interface CostModel {
  baseMs: Record<OperationKind, number>;
  /** Per member added or removed by a member action. */
  perMemberMs: number;
  /** Per row returned by a query. */
  perRowMs: number;
}

export const DEFAULT_COST_MODEL: Readonly<CostModel> = Object.freeze({
  baseMs: Object.freeze({
    whoami: 5,
    read: 10,
    create: 20,
    update: 15,
    delete: 15,
    memberAction: 25,
    batch: 5,
  }),
  perMemberMs: 2,
  perRowMs: 0.05,
});

/** A contact to seed. Missing fields are generated; `contactid` defaults to a new GUID. */
export interface SeedContact {
  contactid?: string;
  firstname?: string;
  lastname?: string;
  fullname?: string;
  emailaddress1?: string | null;
  telephone1?: string | null;
  address1_city?: string | null;
  /** 0 Active (default), 1 Inactive. */
  statecode?: 0 | 1;
  /** ISO timestamp; defaults to the time of seeding. */
  modifiedon?: string;
}

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Generated contacts to seed (a count) or the contacts themselves. Default 0. */
  contacts?: number | SeedContact[];
  /** Seed of the generated data and of the fixed ids (tenant, client, users). Default 1. */
  seed?: number;
  /** Tenant id (GUID); default derived from the seed. */
  tenantId?: string;
  /** Application (client) id; default derived from the seed. */
  clientId?: string;
  /** Client secret; default random (or the one saved in `dataDir`). */
  clientSecret?: string;
  /** Lifetime of access tokens in seconds (default 3599, as Entra ID). */
  tokenLifetimeSeconds?: number;
  /**
   * The people of the tenant, listed by the sign-in page, with their app roles and groups.
   * Default {@link DEFAULT_USERS} (an admin, an editor, an operator, a viewer and a guest).
   */
  users?: EmulatorUser[];
  /** Polling interval a device-code response asks for, in seconds (default 5). */
  deviceCodeIntervalSeconds?: number;
  /** Lifetime of a device code in seconds (default 900). */
  deviceCodeLifetimeSeconds?: number;
  /** Service-protection limits; defaults are the real ones. */
  limits?: Partial<ServiceProtectionLimits>;
  /** Cost model; see `CostModel`. */
  costModel?: Partial<Omit<CostModel, 'baseMs'>> & { baseMs?: Partial<CostModel['baseMs']> };
  /** The `x-ms-dop-hint` value sent on every Dataverse response (default 8). */
  dopHint?: number;
  /**
   * Folder keeping the CA, the server certificate, the identity (client secret, signing key)
   * and the data (contacts, lists) across restarts. Without it, state lives in memory and the
   * CA certificate goes to a temporary folder removed by `stop()`.
   */
  dataDir?: string;
  /** Write the data to `dataDir` at most this often while it changes (ms, default 2000; 0 = only on stop). */
  autosaveMs?: number;
}

export interface ResolvedOptions {
  port: number;
  host: string;
  seed: number;
  tokenLifetimeSeconds: number;
  users: EmulatorUser[];
  deviceCodeIntervalSeconds: number;
  deviceCodeLifetimeSeconds: number;
  limits: ServiceProtectionLimits;
  costModel: CostModel;
  dopHint: number;
  dataDir?: string;
  autosaveMs: number;
}

export function resolveLimits(
  base: ServiceProtectionLimits,
  patch: Partial<ServiceProtectionLimits> = {},
): ServiceProtectionLimits {
  checkKeys('limits', patch, Object.keys(REAL_LIMITS));
  const limits = { ...base, ...patch };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`limits.${key} must be a positive number (got ${String(value)})`);
    }
  }
  return limits;
}

export function resolveCostModel(patch: EmulatorOptions['costModel'] = {}): CostModel {
  checkKeys('costModel', patch, ['baseMs', 'perMemberMs', 'perRowMs']);
  checkKeys('costModel.baseMs', patch.baseMs ?? {}, Object.keys(DEFAULT_COST_MODEL.baseMs));
  const model: CostModel = {
    baseMs: { ...DEFAULT_COST_MODEL.baseMs, ...patch.baseMs },
    perMemberMs: patch.perMemberMs ?? DEFAULT_COST_MODEL.perMemberMs,
    perRowMs: patch.perRowMs ?? DEFAULT_COST_MODEL.perRowMs,
  };
  const values = [model.perMemberMs, model.perRowMs, ...Object.values(model.baseMs)];
  if (values.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new RangeError('costModel values must be numbers ≥ 0');
  }
  return model;
}

/** A typo in a setting (`maxRequest`) is an error, not a setting silently ignored. */
function checkKeys(what: string, value: unknown, known: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RangeError(`${what} must be an object`);
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new RangeError(`${what} has no setting '${key}' (known: ${known.join(', ')})`);
    }
  }
}

export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const positive = (name: string, value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number`);
    return v;
  };
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535 (got ${port})`);
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    seed: options.seed ?? 1,
    tokenLifetimeSeconds: positive('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 3599),
    users: resolveUsers(options.users),
    deviceCodeIntervalSeconds: positive(
      'deviceCodeIntervalSeconds',
      options.deviceCodeIntervalSeconds,
      5,
    ),
    deviceCodeLifetimeSeconds: positive(
      'deviceCodeLifetimeSeconds',
      options.deviceCodeLifetimeSeconds,
      900,
    ),
    limits: resolveLimits(REAL_LIMITS, options.limits),
    costModel: resolveCostModel(options.costModel),
    dopHint: positive('dopHint', options.dopHint, 8),
    dataDir: options.dataDir,
    autosaveMs: options.autosaveMs ?? 2000,
  };
}

function resolveUsers(users: EmulatorUser[] | undefined): EmulatorUser[] {
  if (users === undefined) return DEFAULT_USERS.map((u) => ({ ...u }));
  if (!Array.isArray(users)) throw new RangeError('users must be a list');
  checkUsers(users);
  return users.map((u) => ({ ...u }));
}
