import {
  readOnlyPaths,
  secretHostPaths,
  type ConfigSchema,
  type ObjectSchema,
} from '@audience-sync/exporter-contract';
import type { ErrorDetail } from '@platform/errors/app-error';
import { sameOrigin } from '@platform/http/url-origin';

type Json = Record<string, unknown>;

/** Secret values of one destination by dotted path (`auth.clientSecret`). */
export type SecretValues = Record<string, string>;

export function getPath(obj: Json, path: string): unknown {
  let node: unknown = obj;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Json)[part];
  }
  return node;
}

/** Sets a value; parents must exist as objects (nothing is created). Answers whether it did. */
function setPath(obj: Json, path: string, value: unknown): boolean {
  const parts = path.split('.');
  const parent = parts.length === 1 ? obj : getPath(obj, parts.slice(0, -1).join('.'));
  if (!parent || typeof parent !== 'object' || Array.isArray(parent)) return false;
  (parent as Json)[parts[parts.length - 1]] = value;
  return true;
}

function deletePath(obj: Json, path: string): void {
  const parts = path.split('.');
  const parent = parts.length === 1 ? obj : getPath(obj, parts.slice(0, -1).join('.'));
  if (parent && typeof parent === 'object' && !Array.isArray(parent)) {
    Reflect.deleteProperty(parent, parts[parts.length - 1]);
  }
}

/**
 * Takes the secret values out of a configuration from the API. A string sets the secret,
 * `null` clears it, and an absent value keeps the stored one. Returns a copy without them.
 */
export function takeSecretInput(
  config: Json,
  secretFields: string[],
): { config: Json; provided: SecretValues; cleared: string[] } {
  const copy = structuredClone(config);
  const provided: SecretValues = {};
  const cleared: string[] = [];
  for (const path of secretFields) {
    const value = getPath(copy, path);
    if (value === null) cleared.push(path);
    else if (value !== undefined) {
      if (typeof value === 'string') provided[path] = value;
      else continue; // not a string: left in place so schema validation names it
    }
    deletePath(copy, path);
  }
  return { config: copy, provided, cleared };
}

/** A copy of the configuration with the secret values put back where their parents exist. */
export function withSecrets(config: Json, secrets: SecretValues): Json {
  const copy = structuredClone(config);
  for (const [path, value] of Object.entries(secrets)) setPath(copy, path, value);
  return copy;
}

/** The configuration without any value at a secret path (what is stored and returned). */
export function withoutSecrets(config: Json, secretFields: string[]): Json {
  const copy = structuredClone(config);
  for (const path of secretFields) deletePath(copy, path);
  return copy;
}

/**
 * The stored secrets an update keeps: those the update neither set nor cleared, whose parent
 * object still exists, and whose alternative was not switched — a client secret stored for
 * `auth.kind: "clientCredentials"` is dropped when `auth.kind` becomes `"delegated"`.
 */
export function keptSecrets(options: {
  stored: SecretValues;
  storedConfig: Json;
  newConfig: Json;
  provided: SecretValues;
  cleared: string[];
  schema: ConfigSchema;
}): SecretValues {
  const kept: SecretValues = {};
  for (const [path, value] of Object.entries(options.stored)) {
    if (path in options.provided || options.cleared.includes(path)) continue;
    const parentPath = path.split('.').slice(0, -1).join('.');
    const parent = parentPath ? getPath(options.newConfig, parentPath) : options.newConfig;
    if (!parent || typeof parent !== 'object') continue;
    const tag = discriminatorAt(options.schema, parentPath);
    if (tag) {
      const at = (p: string) => (p ? `${p}.${tag}` : tag);
      if (
        getPath(options.storedConfig, at(parentPath)) !== getPath(options.newConfig, at(parentPath))
      ) {
        continue;
      }
    }
    kept[path] = value;
  }
  return kept;
}

/** The `x-secret-host` fields whose origin differs between two configurations. */
export function changedSecretHosts(
  schema: ConfigSchema,
  storedConfig: Json,
  newConfig: Json,
): string[] {
  return secretHostPaths(schema).filter(
    (path) => !sameOrigin(getPath(storedConfig, path), getPath(newConfig, path)),
  );
}

/**
 * Why an update that changes a secret host (see {@link changedSecretHosts}) must give each
 * stored secret again: every one it would otherwise keep that a person enters (`readOnly`
 * secrets, such as a sign-in's token cache, are dropped without a word: signing in again sets
 * them). The stored values are never sent to the new host.
 */
export function secretsAskedAgain(
  schema: ConfigSchema,
  changedHosts: string[],
  wouldKeep: SecretValues,
): ErrorDetail[] {
  if (changedHosts.length === 0) return [];
  const readOnly = readOnlyPaths(schema);
  const hosts = changedHosts.map((path) => `the ${titleAt(schema, path)}`).join(' and ');
  return Object.keys(wouldKeep)
    .filter((path) => !readOnly.includes(path))
    .map((path) => ({
      path: `config.${path}`,
      message: `is required again: ${hosts} changed: enter the ${titleAt(schema, path)} again (a stored secret is only sent to the hosts it was entered for)`,
    }));
}

/** A field's title in lower case (`sign-in host`), or its name when it has none. */
function titleAt(schema: ConfigSchema, path: string): string {
  let nodes: ConfigSchema[] = [schema];
  for (const part of path.split('.')) {
    nodes = nodes.flatMap((node) =>
      isObject(node)
        ? [node, ...(node.oneOf ?? [])]
            .map((n) => n.properties[part] as ConfigSchema | undefined)
            .filter((n): n is ConfigSchema => n !== undefined)
        : [],
    );
  }
  const title = nodes.find((node) => node.title)?.title;
  return title ? title.charAt(0).toLowerCase() + title.slice(1) : (path.split('.').pop() ?? path);
}

/** The `const` property that tells the `oneOf` alternatives of the object at `path` apart. */
export function discriminatorAt(schema: ConfigSchema, path: string): string | undefined {
  let node: ConfigSchema | undefined = schema;
  for (const part of path ? path.split('.') : []) {
    node = isObject(node) ? node.properties[part] : undefined;
  }
  if (!isObject(node) || !node.oneOf || node.oneOf.length === 0) return undefined;
  const variants = node.oneOf;
  return Object.keys(variants[0].properties).find((name) =>
    variants.every((v) => {
      const p = v.properties[name] as { const?: unknown } | undefined;
      return typeof p?.const === 'string';
    }),
  );
}

function isObject(schema: ConfigSchema | undefined): schema is ObjectSchema {
  return !!schema && 'type' in schema && schema.type === 'object';
}
