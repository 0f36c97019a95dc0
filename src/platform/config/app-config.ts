import { Transform, plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidateBy,
  type ValidationError,
} from 'class-validator';
import { HostAllowList } from '@audience-sync/dataverse-client';
import { parseRoleMap, type RoleMapping } from '@platform/auth/role-map';
import { isTrustProxy, toTrustProxy } from './trust-proxy';

const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : value;

/**
 * Every setting of the process, read once from the environment at start-up.
 * A wrong value stops the process with a message naming the variable (see {@link loadConfig}).
 * Later features add their settings here, so the whole surface is validated in one place.
 */
export class AppConfig {
  /** HTTP port of the API and the admin UI. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  /**
   * Interface the HTTP server binds to: this machine only by default. Serving others, bind
   * `0.0.0.0` behind a TLS-terminating reverse proxy (README, "Exposing Audience Sync").
   */
  @IsOptional()
  @IsString()
  HOST = '127.0.0.1';

  /**
   * Reverse proxies whose `X-Forwarded-For` names the client (Express's "trust proxy"): a hop
   * count, or comma-separated addresses, subnets, `loopback`, `linklocal`, `uniquelocal`.
   * Unset: the client is the connection's address.
   */
  @IsOptional()
  @Transform(toTrustProxy)
  @ValidateBy({
    name: 'trustProxy',
    validator: {
      validate: isTrustProxy,
      defaultMessage: () =>
        'must be a number of proxies (1-10) or comma-separated IP addresses, subnets (10.0.0.0/8), loopback, linklocal or uniquelocal',
    },
  })
  TRUST_PROXY?: number | string[];

  /** Failed authentications (a wrong API token) a client may make per minute before a 429. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  AUTH_FAILURE_LIMIT = 20;

  /** Folder for the embedded database, generated key files and exports. Created on first start. */
  @IsOptional()
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** `postgres://…` selects PostgreSQL; unset selects the embedded SQLite database in DATA_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL?: string;

  /** Admin API token. Unset: one is generated on first start, printed once and kept hashed. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters long' })
  API_TOKEN?: string;

  /** Key for secrets at rest (32 bytes as base64 or hex). Unset: a key file in DATA_DIR. */
  @IsOptional()
  @Matches(/^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/, {
    message: 'must be 32 bytes encoded as base64 (44 characters) or hex (64 characters)',
  })
  SECRET_KEY?: string;

  /** Comma-separated PEM files of extra certificate authorities to trust for outgoing HTTPS. */
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  EXTRA_CA_CERTS: string[] = [];

  /**
   * Extra hosts (comma-separated, `host` or `host:port`, `*.domain` allowed) that Dataverse
   * server addresses and sign-in authorities may use, beside the Dynamics 365 / Entra ID clouds.
   */
  @IsOptional()
  @Transform(toList)
  @IsString({ each: true })
  ALLOWED_HOSTS: string[] = [];

  @IsOptional()
  @IsIn(['error', 'warn', 'log', 'debug', 'verbose'])
  LOG_LEVEL: 'error' | 'warn' | 'log' | 'debug' | 'verbose' = 'log';

  /**
   * Absolute folders (comma-separated; their subfolders included) that file destinations may
   * write to beside `DATA_DIR/exports`. Unset: exports stay under `DATA_DIR/exports`.
   */
  @IsOptional()
  @Transform(toList)
  @Matches(/^\//, { each: true, message: 'must list absolute folders (starting with /)' })
  EXPORT_FOLDERS: string[] = [];

  /**
   * Milliseconds a segment preview or evaluation may spend matching its rule against the
   * customers; past it the request is answered 400 (the rule is too costly).
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SEGMENT_QUERY_TIMEOUT_MS = 30_000;

  /** Days audit log entries are kept; older ones are purged at start and every night. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(36_500)
  AUDIT_RETENTION_DAYS = 365;

  /**
   * Entra ID authority people sign in with (`https://login.microsoftonline.com/<tenant id>`, or
   * `/organizations`); a host outside the Microsoft clouds must be in ALLOWED_HOSTS. Setting it
   * turns on sign-in for people, with OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_ROLE_MAP.
   */
  @IsOptional()
  @IsString()
  OIDC_AUTHORITY?: string;

  /** Application (client) id of the app registration people sign in to. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/, { message: 'must be an application (client) id' })
  OIDC_CLIENT_ID?: string;

  /** Client secret of that app registration (a confidential web app). */
  @IsOptional()
  @IsString()
  OIDC_CLIENT_SECRET?: string;

  /**
   * Which Entra ID app roles or groups give which Audience Sync role: comma-separated
   * `<app role value>=<role>` or `group:<object id>=<role>`, e.g.
   * `AudienceSync.Admin=admin,AudienceSync.Editor=editor,group:<id>=viewer`. A person none of
   * whose roles or groups is listed cannot sign in.
   */
  @IsOptional()
  @Transform(toRoleMap)
  @ValidateBy({
    name: 'roleMap',
    validator: {
      validate: (value) => Array.isArray(value),
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? args.value : 'must be a comma-separated role map',
    },
  })
  OIDC_ROLE_MAP?: RoleMapping[];

  /** Minutes without a request after which a person's session ends (sliding). */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1440)
  SESSION_IDLE_MINUTES = 30;

  /**
   * The address people reach Audience Sync at (`https://audience.example.com`): the sign-in's
   * redirect URI is `<PUBLIC_URL>/auth/callback`. Unset: taken from each request's host.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^/?#\s]+$/, {
    message: 'must be http(s)://host[:port] without a path',
  })
  PUBLIC_URL?: string;

  /** Whether people can sign in with Entra ID (the OIDC_ settings are given). */
  get peopleSignIn(): boolean {
    return this.OIDC_AUTHORITY !== undefined;
  }

  /**
   * Hosts (comma-separated names or IP addresses) that notification webhooks may use although
   * they resolve to a loopback, private or link-local address (a hook on this machine or the
   * office network). Other such hosts are refused.
   */
  @IsOptional()
  @Transform(toList)
  @Matches(
    /^([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[?[0-9a-f:.]+\]?$/i,
    {
      each: true,
      message:
        'must list host names or IP addresses (no scheme, port or path), e.g. 127.0.0.1,hooks.local',
    },
  )
  NOTIFY_ALLOWED_HOSTS: string[] = [];

  /** First retry delay of a failed notification delivery; each later one doubles it. */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  NOTIFY_RETRY_BASE_MS = 30_000;

  /**
   * The SMTP server of e-mail notifications: `smtp://user:password@host:587` (STARTTLS when
   * offered) or `smtps://…:465`. Unset: e-mail channels cannot be created.
   */
  @IsOptional()
  @ValidateBy({
    name: 'smtpUrl',
    validator: {
      validate: isSmtpUrl,
      defaultMessage: () =>
        'must be an smtp:// or smtps:// URL with a host, e.g. smtp://user:password@mail.example.com:587',
    },
  })
  SMTP_URL?: string;

  /** The sender of e-mail notifications. */
  @IsOptional()
  @IsString()
  @MinLength(3)
  SMTP_FROM = 'Audience Sync <audience-sync@localhost>';

  /**
   * Days the per-member log of export runs is kept (older logs are deleted when an export
   * starts). 0 keeps no per-member log at all.
   */
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(3650)
  MEMBER_LOG_RETENTION_DAYS = 30;

  get databaseKind(): 'sqlite' | 'postgres' {
    return this.DATABASE_URL ? 'postgres' : 'sqlite';
  }
}

function isSmtpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SETTINGS = Object.keys(new AppConfig());
/** Settings whose values never appear in messages or logs. */
const SECRET_SETTINGS = new Set([
  'API_TOKEN',
  'SECRET_KEY',
  'DATABASE_URL',
  'OIDC_CLIENT_SECRET',
  'SMTP_URL',
]);
const OIDC_SETTINGS = ['OIDC_AUTHORITY', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLE_MAP'];

/** Reads and validates the settings; throws {@link ConfigError} naming each wrong variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const key of SETTINGS) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(errors.map((e) => describe(e, raw[e.property])));
  const problems = peopleSignInProblems(config, raw);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The role map as parsed entries, or the parser's message (then reported by the validator). */
function toRoleMap({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  try {
    return parseRoleMap(value);
  } catch (error) {
    return (error as Error).message;
  }
}

/** People sign-in needs all four OIDC_ settings, and its authority must be an allowed host. */
function peopleSignInProblems(config: AppConfig, raw: Record<string, string>): string[] {
  const given = OIDC_SETTINGS.filter((key) => key in raw);
  if (given.length === 0) return [];
  const missing = OIDC_SETTINGS.filter((key) => !(key in raw));
  if (missing.length > 0) {
    return missing.map(
      (key) => `${key}: is required for sign-in with Entra ID (${given.join(', ')} set)`,
    );
  }
  const authority = config.OIDC_AUTHORITY ?? '';
  let allowList: HostAllowList;
  try {
    allowList = new HostAllowList(config.ALLOWED_HOSTS);
  } catch (error) {
    return [`ALLOWED_HOSTS: ${(error as Error).message}`];
  }
  const problem = allowList.problem(authority, 'authority', 'OIDC_AUTHORITY');
  if (problem !== null) return [problem];
  const url = new URL(authority);
  if (!/^\/[A-Za-z0-9][A-Za-z0-9.-]{0,253}\/?$/.test(url.pathname) || url.search || url.hash) {
    return [
      `OIDC_AUTHORITY: must be https://host[:port]/<tenant id, domain or organizations> (got "${authority}")`,
    ];
  }
  return [];
}

function describe(error: ValidationError, given: string | undefined): string {
  const reasons = Object.values(error.constraints ?? {}).map((m) =>
    m.replace(new RegExp(`^${error.property} `), ''),
  );
  const got = SECRET_SETTINGS.has(error.property) ? '' : ` (got ${JSON.stringify(given)})`;
  return `${error.property}: ${reasons.join('; ')}${got}`;
}
