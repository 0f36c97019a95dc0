import type { ErrorDetail } from '@platform/errors/app-error';
import type { OptionsContext } from '../source-types';

/**
 * The options of a `dataverse` source (`source.options`), as stored and returned: the
 * connection without its secret, the table and what to read of it.
 */
export interface DataverseSourceOptions {
  /** Organization URL, `https://contoso.crm.dynamics.com` (allow-listed like destinations). */
  serverAddress: string;
  auth: DataverseSourceAuth;
  /** Entity set name of the table (`contacts`). */
  table: string;
  /**
   * Columns read besides the primary key, the mapped columns and the last-modified column;
   * they are kept as raw attributes of each record.
   */
  columns: string[];
  /** Rows per page (`Prefer: odata.maxpagesize`), 1 to 5,000. */
  pageSize: number;
}

/**
 * The application sign-in of a source; its client secret lives sealed in `source.secrets`.
 * Without a client id the installation's app registration (Settings) is used.
 */
export interface DataverseSourceAuth {
  kind: 'clientCredentials';
  tenantId?: string;
  clientId?: string;
  authorityHost?: string;
}

/** Secret option paths of a `dataverse` source. */
export const CLIENT_SECRET = 'auth.clientSecret';
export const SECRET_FIELDS = [CLIENT_SECRET] as const;

export const DEFAULT_TABLE = 'contacts';
/** Dataverse's default and largest page (`odata.maxpagesize`). */
export const MAX_PAGE_SIZE = 5000;
const MAX_COLUMNS = 500;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;
/** Logical names are lower case: `emailaddress1`, `_parentcustomerid_value`, `cr123_score`. */
const LOGICAL_NAME = /^[a-z_][a-z0-9_]{0,127}$/;
/** Entity set names: `contacts`, `cr123_things`. */
const ENTITY_SET = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

const OPTION_NAMES = ['serverAddress', 'auth', 'table', 'columns', 'pageSize'];
const AUTH_NAMES = ['kind', 'tenantId', 'clientId', 'clientSecret', 'authorityHost'];

/** What validation makes of the options input: the options to store and the secret given. */
export interface ParsedOptions {
  options: DataverseSourceOptions;
  /** The client secret of the input (undefined: none given, keep the stored one). */
  clientSecret?: string;
  errors: ErrorDetail[];
}

/**
 * Validates the options of a `dataverse` source (paths start with `options`). The checks that
 * need the allow-list (server address, sign-in host) are made by `checkConnection`, which
 * answers problems with paths relative to the options (`serverAddress`, `auth.authorityHost`).
 */
export function parseDataverseOptions(
  input: unknown,
  checkConnection: (settings: {
    serverAddress: string;
    tenantId?: string;
    clientId?: string;
    authorityHost?: string;
  }) => ErrorDetail[],
): ParsedOptions {
  const errors: ErrorDetail[] = [];
  const options: DataverseSourceOptions = {
    serverAddress: '',
    auth: { kind: 'clientCredentials' },
    table: DEFAULT_TABLE,
    columns: [],
    pageSize: MAX_PAGE_SIZE,
  };
  if (!isObject(input)) {
    errors.push({
      path: 'options',
      message:
        'must be an object { serverAddress, auth: { kind: "clientCredentials", tenantId, clientId, clientSecret }, table?, columns?, pageSize? }',
    });
    return { options, errors };
  }
  unknownProperties(input, OPTION_NAMES, 'options', errors);

  if (typeof input.serverAddress !== 'string' || input.serverAddress.trim() === '') {
    errors.push({
      path: 'options.serverAddress',
      message: 'is required: the organization URL, e.g. https://contoso.crm.dynamics.com',
    });
  } else {
    options.serverAddress = input.serverAddress.trim().replace(/\/+$/, '');
  }

  let clientSecret: string | undefined;
  const auth = input.auth;
  if (!isObject(auth)) {
    errors.push({
      path: 'options.auth',
      message:
        'is required: { kind: "clientCredentials", tenantId, clientId, clientSecret } (an application user in the organization)',
    });
  } else {
    unknownProperties(auth, AUTH_NAMES, 'options.auth', errors);
    const kind = auth.kind ?? 'clientCredentials';
    if (kind === 'delegated') {
      errors.push({
        path: 'options.auth.kind',
        message:
          'delegated sign-in (a person signing in with a code) is offered by destinations only; a source reads with an application user: use "clientCredentials"',
      });
    } else if (kind !== 'clientCredentials') {
      errors.push({ path: 'options.auth.kind', message: 'must be "clientCredentials"' });
    }
    // Absent ids come from the installation's app registration (checked by the source type).
    const tenantId = text(auth.tenantId);
    if (tenantId === undefined) {
      // none of its own
    } else if (!TENANT.test(tenantId)) {
      errors.push({
        path: 'options.auth.tenantId',
        message: 'must be a tenant id (a GUID) or a domain name such as contoso.onmicrosoft.com',
      });
    } else options.auth.tenantId = tenantId;
    const clientId = text(auth.clientId);
    if (clientId === undefined) {
      // none of its own
    } else if (!GUID.test(clientId)) {
      errors.push({
        path: 'options.auth.clientId',
        message: 'must be the application (client) id, a GUID',
      });
    } else options.auth.clientId = clientId.toLowerCase();
    if (auth.clientSecret !== undefined) {
      if (typeof auth.clientSecret !== 'string' || auth.clientSecret === '') {
        errors.push({
          path: `options.${CLIENT_SECRET}`,
          message: 'must be the client secret (a non-empty string)',
        });
      } else clientSecret = auth.clientSecret;
    }
    if (auth.authorityHost !== undefined && auth.authorityHost !== null) {
      const host = text(auth.authorityHost);
      if (host === undefined) {
        errors.push({
          path: 'options.auth.authorityHost',
          message: 'must be https://host[:port] of the Entra ID sign-in, or left out',
        });
      } else options.auth.authorityHost = host.replace(/\/+$/, '');
    }
  }

  if (input.table !== undefined) {
    if (typeof input.table !== 'string' || !ENTITY_SET.test(input.table)) {
      errors.push({
        path: 'options.table',
        message: 'must be the entity set name of a table, e.g. contacts',
      });
    } else options.table = input.table;
  }

  if (input.columns !== undefined) {
    if (!Array.isArray(input.columns)) {
      errors.push({
        path: 'options.columns',
        message: 'must be a list of column logical names, e.g. ["telephone1", "address1_city"]',
      });
    } else if (input.columns.length > MAX_COLUMNS) {
      errors.push({ path: 'options.columns', message: `must list at most ${MAX_COLUMNS} columns` });
    } else {
      const seen = new Set<string>();
      input.columns.forEach((column: unknown, i) => {
        const path = `options.columns[${i}]`;
        const problem = logicalNameProblem(column);
        if (problem !== null) errors.push({ path, message: problem });
        else if (seen.has(column as string)) {
          errors.push({ path, message: `column ${String(column)} is listed twice` });
        } else seen.add(column as string);
      });
      options.columns = [...seen];
    }
  }

  if (input.pageSize !== undefined) {
    const size = input.pageSize;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
      errors.push({
        path: 'options.pageSize',
        message: `must be a whole number of rows per page from 1 to ${MAX_PAGE_SIZE} (Dataverse's largest page)`,
      });
    } else options.pageSize = size;
  }

  if (options.serverAddress !== '' && !errors.some((e) => e.path === 'options.serverAddress')) {
    for (const problem of checkConnection({
      serverAddress: options.serverAddress,
      tenantId: options.auth.tenantId,
      clientId: options.auth.clientId,
      authorityHost: options.auth.authorityHost,
    })) {
      const path = `options.${problem.path ?? 'serverAddress'}`;
      if (!errors.some((e) => e.path === path)) errors.push({ ...problem, path });
    }
  }
  return { options, clientSecret, errors };
}

/**
 * The source's own columns must be Dataverse logical names too: the primary key, each mapped
 * column and the last-modified column (paths as in the definition).
 */
export function checkDefinitionColumns(definition: OptionsContext['definition']): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  const check = (column: string | null | undefined, path: string) => {
    if (column === null || column === undefined) return;
    const problem = logicalNameProblem(column);
    if (problem !== null) errors.push({ path, message: problem });
  };
  check(definition.primaryKey, 'primaryKey');
  for (const [field, { column }] of Object.entries(definition.mapping)) {
    check(column, `mapping.${field}`);
  }
  check(definition.lastModifiedColumn, 'lastModifiedColumn');
  return errors;
}

/** Why a value is not a Dataverse column logical name (null when it is one). */
function logicalNameProblem(column: unknown): string | null {
  if (typeof column !== 'string' || column === '') return 'must be a column logical name';
  if (LOGICAL_NAME.test(column)) return null;
  const lower = column.toLowerCase();
  if (LOGICAL_NAME.test(lower)) {
    return `${JSON.stringify(column)} is not a column logical name: they are lower case (${lower})`;
  }
  return `${JSON.stringify(column)} is not a column logical name (lower-case letters, digits and _, e.g. emailaddress1)`;
}

function unknownProperties(
  value: Record<string, unknown>,
  known: string[],
  path: string,
  errors: ErrorDetail[],
): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      errors.push({
        path: `${path}.${key}`,
        message: `unknown property (expected ${known.join(', ')})`,
      });
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
