import type { Privilege, PrivilegeTarget } from './dataverse/privileges';
import type {
  FailNextOptions,
  FailureRateOptions,
  FaultsDescription,
  LatencyOptions,
  FaultTarget,
  ForeignLinksOptions,
} from './faults/faults';
import type { PendingDeviceCode } from './identity/token-service';
import type { CostModel, SeedContact, ServiceProtectionLimits } from './options';
import type { Projection } from './protection/projection';
import type { StatsSnapshot } from './protection/request-stats';
import type { Contact, ContactPatch } from './store/contact-store';

/** A handle (or admin API) call named a list or contact the emulator does not have (admin: 404). */
export class NotFoundError extends RangeError {}

/** What a client needs to connect (the CLI's `--json` line, plus the CA certificate itself). */
export interface EmulatorInfo {
  /** Org URL (a destination's serverAddress): `https://127.0.0.1:<port>`. */
  url: string;
  /** MSAL authority: `https://127.0.0.1:<port>/<tenantId>`. */
  authority: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM file of the CA that signed the server certificate. */
  caCertPath: string;
}

/** A marketing list as the handle reports it. */
export interface ListInfo {
  listid: string;
  listname: string;
  createdfromcode: number;
  type: boolean;
  statecode: 0 | 1;
  lockstatus: boolean;
  membercount: number;
  purpose: string | null;
  source: string | null;
  description: string | null;
}

/** MSAL settings that make an authority of the emulator work without reaching the internet. */
export interface MsalAuthorityOptions {
  authority: string;
  /** `['127.0.0.1:<port>']`: MSAL trusts the host and skips Microsoft's instance discovery. */
  knownAuthorities: string[];
}

export interface MsalOfflineAuthorityOptions extends MsalAuthorityOptions {
  /** The OpenID configuration as a JSON string: MSAL then fetches no metadata at all. */
  authorityMetadata: string;
  /** Instance-discovery metadata as a JSON string. */
  cloudDiscoveryMetadata: string;
}

/** A point in the request log, to measure or project the requests between two points. */
export interface RequestMark {
  position: number;
  at: Date;
}

export interface EmulatorHandle extends EmulatorInfo {
  readonly port: number;
  readonly caCertPem: string;
  /** `<url>/api/data/v9.2`. */
  readonly apiUrl: string;
  /** `<url>/.default`: the client-credentials scope. */
  readonly scope: string;
  /** `<url>/_emulator/v1`: the admin HTTP API (see the README). */
  readonly adminUrl: string;

  readonly contacts: {
    /** Live contacts. */
    count(): number;
    /** Live contacts in creation order (`offset`/`limit` for large seeds). */
    all(offset?: number, limit?: number): Contact[];
    get(contactid: string): Contact | undefined;
    /** Seeds generated contacts (a count) or given ones; returns the new contacts. */
    add(contacts: number | SeedContact[]): Contact[];
    update(contactid: string, patch: ContactPatch): Contact;
    /** Deletes a contact (and its list memberships); change tracking reports it deleted. */
    delete(contactid: string): void;
  };

  readonly lists: {
    all(): ListInfo[];
    get(listid: string): ListInfo | undefined;
    /** Contact ids of the members, in the order they were added. */
    members(listid: string): string[];
    lock(listid: string): void;
    unlock(listid: string): void;
    deactivate(listid: string): void;
    activate(listid: string): void;
  };

  readonly identity: {
    msalAuthorityOptions(): MsalAuthorityOptions;
    msalOfflineAuthorityOptions(): MsalOfflineAuthorityOptions;
    pendingDeviceCodes(): PendingDeviceCode[];
    /** Approves a device code (the newest pending one without `userCode`) as `username`. */
    approveDeviceCode(userCode?: string, username?: string): { userCode: string; username: string };
    declineDeviceCode(userCode?: string): { userCode: string };
    /** Lifetime of access tokens issued from now on. */
    setTokenLifetime(seconds: number): void;
  };

  readonly faults: {
    /** The next `count` requests fail with `options.status` (default 503). */
    failNext(count: number, options?: FailNextOptions): void;
    /** Each request fails with probability `rate` (seeded, reproducible). */
    failureRate(rate: number, options?: FailureRateOptions): void;
    /**
     * Adds `ms` (plus 0…jitterMs) to every matching request; 0 removes it. A request whose
     * connection closes, or whose emulator stops, during that time is abandoned: it changes
     * nothing and counts as failed (status 499) in the statistics.
     */
    addLatency(ms: number, options?: LatencyOptions): void;
    /** The next `count` matching requests lose their connection without an answer. */
    dropConnections(count: number, options?: { endpoint?: string; target?: FaultTarget }): void;
    /**
     * Page links (`@odata.nextLink`, `@odata.deltaLink`) of Dataverse answers point to `origin`,
     * another host, instead of the org: a client must refuse them. Removed by `clear()`.
     */
    foreignLinks(origin: string, options?: ForeignLinksOptions): void;
    /** Every access token issued so far is answered 401 as expired. */
    expireAllTokens(): void;
    /** Every refresh token issued so far is refused (invalid_grant). */
    revokeRefreshTokens(): void;
    /** Every change-tracking delta token issued so far is refused as expired. */
    expireDeltaTokens(): void;
    /** Callers lose privileges (403 PrivilegeDenied); 'all' = no security role, even WhoAmI fails. */
    denyPrivileges(privileges: Privilege[] | 'all', target?: PrivilegeTarget): void;
    lockList(listid: string): void;
    deactivateList(listid: string): void;
    deleteContact(contactid: string): void;
    /** Removes the request faults and privilege denials (not list/contact/token changes). */
    clear(): void;
    describe(): FaultsDescription & {
      privileges: ReturnType<EmulatorHandle['faults']['deniedPrivileges']>;
      /** Requests waiting in injected latency right now. */
      delayedRequests: number;
    };
    deniedPrivileges(): { privileges: Privilege[] | 'all'; target: PrivilegeTarget }[];
  };

  readonly limits: {
    get(): ServiceProtectionLimits;
    /** Changes the service-protection limits (and forgets the current windows). */
    set(limits: Partial<ServiceProtectionLimits>): ServiceProtectionLimits;
    costModel(): CostModel;
    setCostModel(
      model: Partial<Omit<CostModel, 'baseMs'>> & { baseMs?: Partial<CostModel['baseMs']> },
    ): CostModel;
  };

  /** Request statistics since the last reset. */
  stats(): StatsSnapshot;
  resetStats(): void;
  /** Marks the request log now, for `projection(from, to)`. */
  mark(): RequestMark;
  /**
   * The least wall time the Dataverse requests recorded since the last stats reset (or between
   * two marks) need under service protection (default: the real limits).
   */
  projection(from?: RequestMark, to?: RequestMark, limits?: ServiceProtectionLimits): Projection;
  /**
   * Back to the emulator as it started: removes lists, faults (privilege denials included) and
   * statistics; re-seeds the contacts (from the start options, or `contacts`); restores the
   * limits, cost model and token lifetime given at start (undoing `limits.set`,
   * `limits.setCostModel`, `identity.setTokenLifetime`). Delta links issued before expire.
   * Tokens, refresh tokens and device codes are left as they are.
   */
  reset(options?: { contacts?: number | SeedContact[] }): void;
  /** Writes the data to the data folder now (no-op without one). */
  save(): void;
  /** Stops listening, closes connections, saves the data (with a data folder). */
  stop(): Promise<void>;
}
