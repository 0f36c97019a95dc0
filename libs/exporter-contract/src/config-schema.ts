/**
 * The configuration schema a destination type publishes: a subset of JSON Schema (draft 2020-12)
 * that the core validates with Ajv and the admin UI turns into a form without type-specific code.
 *
 * UI hints use `x-` keywords (`x-secret`, `x-order`, `x-placeholder`); validators ignore them.
 */
export type ConfigSchema =
  ObjectSchema | StringSchema | NumberSchema | BooleanSchema | ArraySchema | ConstVariantSchema;

interface BaseSchema {
  title?: string;
  description?: string;
  /** Form order among siblings (lower first). */
  'x-order'?: number;
  'x-placeholder'?: string;
  /**
   * Filled from the installation's app registration when left empty (ids of an Entra ID app):
   * with one set, the admin UI hides the field behind "Use a different app registration".
   */
  'x-app-registration'?: boolean;
}

export interface ObjectSchema extends BaseSchema {
  type: 'object';
  properties: Record<string, ConfigSchema>;
  required?: string[];
  /** `false`, or the schema of every value of a map (with `x-per-segment`). */
  additionalProperties?: false | ObjectSchema;
  /**
   * A map from segment id to settings of that segment's export (e.g. its list name): the admin
   * UI asks for them beside each chosen segment, not in the connection form.
   */
  'x-per-segment'?: boolean;
  /** Alternatives told apart by a `const` property (e.g. `auth.kind`). */
  oneOf?: ObjectSchema[];
  /**
   * The alternative a new configuration takes when the installation's app registration is used:
   * the one whose sign-in needs no ids (the admin UI then shows only its "Sign in").
   */
  'x-one-click'?: string;
}

export interface StringSchema extends BaseSchema {
  type: 'string';
  default?: string;
  enum?: string[];
  /** Labels for `enum` values, same order. */
  'x-enum-labels'?: string[];
  const?: string;
  format?: 'uri' | 'uuid' | 'email' | 'hostname';
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  /** Stored encrypted, never returned by the API; the form shows whether it is set. */
  'x-secret'?: boolean;
  /**
   * Set by the server (e.g. by the interactive sign-in), never by a person: forms show whether
   * it is set instead of asking for it, and the API refuses a value for it (`null` clears it).
   */
  readOnly?: boolean;
  /**
   * A host the secrets are sent to, or that decides where they go (a server address, a sign-in
   * host). When an update changes its origin (scheme, host, port), the core keeps none of the
   * stored secrets: the update must give the secret fields again (it is refused, naming them,
   * otherwise) and what a sign-in stored (`readOnly` secrets) is dropped — so that a secret is
   * never sent to a host it was not entered for.
   */
  'x-secret-host'?: boolean;
}

export interface NumberSchema extends BaseSchema {
  type: 'number' | 'integer';
  default?: number;
  minimum?: number;
  maximum?: number;
}

export interface BooleanSchema extends BaseSchema {
  type: 'boolean';
  default?: boolean;
}

export interface ArraySchema extends BaseSchema {
  type: 'array';
  items: StringSchema;
  default?: string[];
  minItems?: number;
  uniqueItems?: boolean;
  /** The values are customer field names (the form offers the unified customer's fields). */
  'x-customer-fields'?: boolean;
}

/** A `const` discriminator inside a `oneOf` variant. */
export interface ConstVariantSchema extends BaseSchema {
  const: string;
  type?: 'string';
}

/** Dotted paths (`auth.clientSecret`) of every `x-secret` string in a schema, `oneOf` variants included. */
export function secretPaths(schema: ConfigSchema, prefix = ''): string[] {
  const out = new Set<string>();
  if ('type' in schema && schema.type === 'object') {
    for (const [name, child] of Object.entries(schema.properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if ('x-secret' in child && child['x-secret']) out.add(path);
      for (const p of secretPaths(child, path)) out.add(p);
    }
    for (const variant of schema.oneOf ?? []) {
      for (const p of secretPaths(variant, prefix)) out.add(p);
    }
  }
  return [...out];
}

/** Dotted paths of every `x-secret-host` string in a schema, `oneOf` variants included. */
export function secretHostPaths(schema: ConfigSchema, prefix = ''): string[] {
  const out = new Set<string>();
  if ('type' in schema && schema.type === 'object') {
    for (const [name, child] of Object.entries(schema.properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if ('x-secret-host' in child && child['x-secret-host']) out.add(path);
      for (const p of secretHostPaths(child, path)) out.add(p);
    }
    for (const variant of schema.oneOf ?? []) {
      for (const p of secretHostPaths(variant, prefix)) out.add(p);
    }
  }
  return [...out];
}

/** Dotted paths of every `readOnly` string in a schema, `oneOf` variants included. */
export function readOnlyPaths(schema: ConfigSchema, prefix = ''): string[] {
  const out = new Set<string>();
  if ('type' in schema && schema.type === 'object') {
    for (const [name, child] of Object.entries(schema.properties)) {
      const path = prefix ? `${prefix}.${name}` : name;
      if ('readOnly' in child && child.readOnly) out.add(path);
      for (const p of readOnlyPaths(child, path)) out.add(p);
    }
    for (const variant of schema.oneOf ?? []) {
      for (const p of readOnlyPaths(variant, prefix)) out.add(p);
    }
  }
  return [...out];
}
