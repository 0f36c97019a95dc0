import type { DestinationTypeDescription, SyncMode } from './description';
import type { ChangeBatch, MemberOutcome, MemberRecord } from './members';

/** Plain configuration of one destination, with its secrets filled in (plugins see them). */
export type DestinationConfig = Record<string, unknown>;

export interface PluginLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** What the host process offers every plugin; given to the plugin's constructor. */
export interface PluginEnvironment {
  /** PEM certificates of extra CAs to trust for outgoing HTTPS (beside the system's). */
  extraCaCertificates: string[];
  /** Extra hosts (`host`, `host:port`, `*.domain`) outgoing URLs may use beside the plugin's defaults. */
  allowedHosts: string[];
  /**
   * A folder the plugin may use for its files: `DATA_DIR/exports`. Keep caches in a folder
   * named after your type (`.<type>/`) so they never mix with exported files.
   */
  dataDir: string;
  /**
   * Absolute folders outside `dataDir` that an administrator allowed plugins to write to
   * (setting `EXPORT_FOLDERS`). Anything else outside `dataDir` must be refused.
   */
  allowedFolders?: string[];
  logger: PluginLogger;
  /** The current time (an adapter, so tests can move it). */
  now(): Date;
}

/** A configuration problem found beyond the schema (`path` is dotted: `serverAddress`). */
export interface ConfigProblem {
  path: string;
  message: string;
}

/**
 * The installation's Entra ID app registration (set once by an admin): destinations that sign in
 * at Entra ID use it when their configuration sets no ids of its own. The secret is included.
 */
export interface InstallationAppRegistration {
  clientId: string;
  tenantId?: string;
  clientSecret?: string;
  authorityHost?: string;
}

/** What the core knows beyond a configuration, for `validateConfig` (absent in older cores). */
export interface ConfigContext {
  appRegistration: InstallationAppRegistration | null;
}

/** Who signed in last (`SignInSink.saveAccount`), as the core stored it. */
export interface SignedInAccount {
  username: string;
  name?: string;
  /** The account's tenant, learned at sign-in (e.g. a sign-in at `organizations`). */
  tenantId?: string;
}

/** The destination as the plugin sees it. */
export interface DestinationRef {
  id: string;
  displayName: string;
  config: DestinationConfig;
  /** The installation's app registration, or null when none is set (absent in older cores). */
  appRegistration?: InstallationAppRegistration | null;
  /** The account of the last finished sign-in, when there is one. */
  account?: SignedInAccount;
  /**
   * Stores secret values (paths from `secretFields`) encrypted, merged into the stored ones, as
   * `SignInSink.saveSecrets` does: e.g. a token cache rotated while exporting or testing. Later
   * calls get them in `config`. Given by the core; absent in older cores and in some tests.
   */
  saveSecrets?(secrets: Record<string, string>): Promise<void>;
}

export interface ConnectionTestResult {
  ok: boolean;
  /** In words: what was checked, or what is wrong and what to do. */
  message: string;
  /** Facts worth showing (organization id, user, latency). No secrets. */
  details?: Record<string, string | number | boolean>;
}

/**
 * The work on one segment of one export run, prepared by the core. The core keeps a checkpoint
 * (what the target holds, as far as it knows) and computes the changes from it; the plugin applies
 * them and `record`s each landed batch, so a run killed midway resumes without losing or
 * duplicating members.
 */
export interface SegmentExportJob {
  readonly destination: DestinationRef;
  readonly segment: { id: string; name: string; description: string | null };
  readonly syncMode: SyncMode;
  /**
   * The run asked to re-check everything: the core forgot the `not-found` skip marks, and the
   * plugin should compare the target with the checkpoint (and `reconcile`) even when nothing
   * seems to have drifted. Absent means false.
   */
  readonly fullSync?: boolean;
  readonly signal: AbortSignal;
  /** Counted when the job was prepared. */
  readonly counts: {
    /** Members of the segment. */
    members: number;
    /** Members without a value in the key field (skipped, counted as `no-key`). */
    withoutKey: number;
  };
  /** The plugin's own state for this segment (e.g. the marketing list id), as last saved. */
  readonly state: Readonly<Record<string, unknown>>;
  saveState(state: Record<string, unknown>): Promise<void>;

  /**
   * The changes that make the target follow the segment, in batches (removes are empty in
   * `additive` mode; members skipped earlier as `not-found` are not offered again).
   */
  changes(options?: { batchSize?: number }): AsyncIterable<ChangeBatch>;
  /** Records the outcomes of a landed batch: the checkpoint moves with them. */
  record(outcomes: MemberOutcome[]): Promise<void>;
  /** Number of keys the checkpoint says the target holds. */
  checkpointSize(): Promise<number>;
  /** Forgets the checkpoint (the target was created anew and is empty). */
  resetCheckpoint(): Promise<void>;
  /**
   * Replaces the checkpoint with what the target really holds (drift found), so that
   * `changes()` then yields the correction. Answers how far the checkpoint was off.
   */
  reconcile(actualKeys: AsyncIterable<string[]>): Promise<{ unexpected: number; missing: number }>;

  /** Every exportable member with the given customer fields (snapshot-style destinations). */
  members(options: { fields: string[]; batchSize?: number }): AsyncIterable<MemberRecord[]>;

  /** Live progress of this segment (members processed of total). */
  progress(processed: number, total: number): void;
  /**
   * The requests made to the target so far for this segment and how many of them were throttled
   * (429), as running totals. The core shows the last figures reported on the segment whether the
   * export succeeds or fails (a report's `requests`/`throttled` replace them on success), so
   * report them before throwing too. Optional: cores before this addition lack it.
   */
  reportRequests?(figures: { requests: number; throttled: number }): void;
  readonly log: PluginLogger;
}

/** What the plugin says about a segment it exported (member outcomes come through `record`). */
export interface SegmentExportReport {
  /** The object in the target (the marketing list, the file). */
  target: { id: string; name: string; url?: string };
  /**
   * Requests made to the target and how many were throttled (429). Default: the figures last
   * given to `job.reportRequests`.
   */
  requests?: number;
  throttled?: number;
  /** Anything the user should know (drift corrected, list created again). */
  notes?: string[];
}

/**
 * What an export of one segment would change, as the core computed it for a dry run (nothing was
 * written, nothing read from the target). Given to {@link DestinationPlugin.estimateRequests}.
 */
export interface SegmentExportPlan {
  readonly destination: DestinationRef;
  readonly segment: { id: string; name: string; description: string | null };
  readonly syncMode: SyncMode;
  /** The plugin's state for this segment as last saved (`{}` before the first export). */
  readonly state: Readonly<Record<string, unknown>>;
  /** Keys the export would add and remove (removes are 0 in `additive` mode). */
  readonly toAdd: number;
  readonly toRemove: number;
  /** Keys the checkpoint says the target holds now. */
  readonly listSize: number;
  /** Members the export would write (snapshot style: every member with a key). */
  readonly members: number;
}

/** A started interactive sign-in (device code): what to show the person signing in. */
export interface SignInChallenge {
  userCode: string;
  verificationUri: string;
  message: string;
  expiresAt: string;
}

/** Hands the core what a finished sign-in produced. */
export interface SignInSink {
  /** Secrets to store encrypted (merged into the destination's secret config values). */
  saveSecrets(secrets: Record<string, string>): Promise<void>;
  /** Public facts to show (`signedInAs`); the tenant comes back in `DestinationRef.account`. */
  saveAccount(account: SignedInAccount): Promise<void>;
  fail(message: string): Promise<void>;
}

/**
 * A destination plugin: a static description plus behaviour (style: n8n INodeType).
 * Register it as a plain class; the core creates one instance per process.
 */
/** An existing object of the target (a marketing list) a segment may be exported to. */
export interface ExistingTarget {
  id: string;
  name: string;
  /** Members it holds now, when known. */
  members?: number;
}

export interface DestinationPlugin {
  readonly description: DestinationTypeDescription;

  /** Checks beyond the schema (allowed hosts, URL shapes). Empty when fine. */
  validateConfig(config: DestinationConfig, context?: ConfigContext): ConfigProblem[];

  /** Signs in / connects and checks privileges, without changing anything. */
  testConnection(destination: DestinationRef, signal: AbortSignal): Promise<ConnectionTestResult>;

  /**
   * Exports one segment. Throws `DestinationError` when the whole segment failed (the core marks
   * that segment failed and goes on with the others); per-member problems are outcomes.
   */
  exportSegment(job: SegmentExportJob): Promise<SegmentExportReport>;

  /**
   * The existing objects of the target a segment can be exported to instead of one the plugin
   * creates (e.g. static marketing lists), for a person to pick; optional.
   */
  listTargets?(destination: DestinationRef, signal: AbortSignal): Promise<ExistingTarget[]>;

  /**
   * Optional, pure (no I/O): the requests an export of this plan would make to the target when
   * nothing is throttled and the target still holds what the checkpoint says (what a dry run
   * shows as `requestsEstimate`). Absent: the dry run shows null.
   */
  estimateRequests?(plan: SegmentExportPlan): number;

  /** Starts an interactive sign-in; completes in the background through `sink`. */
  startSignIn?(destination: DestinationRef, sink: SignInSink): Promise<SignInChallenge>;

  /** Releases clients, timers and caches (process shutdown). */
  close?(): Promise<void>;
}

/** How plugins are registered: a factory per type, called once at start-up. */
export type DestinationPluginFactory = (env: PluginEnvironment) => DestinationPlugin;
