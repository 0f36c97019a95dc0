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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const SETTINGS = Object.keys(new AppConfig());
/** Settings whose values never appear in messages or logs. */
const SECRET_SETTINGS = new Set(['API_TOKEN', 'SECRET_KEY', 'DATABASE_URL']);

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
  return config;
}

function describe(error: ValidationError, given: string | undefined): string {
  const reasons = Object.values(error.constraints ?? {}).map((m) =>
    m.replace(new RegExp(`^${error.property} `), ''),
  );
  const got = SECRET_SETTINGS.has(error.property) ? '' : ` (got ${JSON.stringify(given)})`;
  return `${error.property}: ${reasons.join('; ')}${got}`;
}
