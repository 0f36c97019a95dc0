import type { ConfigSchema, ObjectSchema, StringSchema } from '@audience-sync/exporter-contract';

/**
 * Helpers that read a destination type's configuration schema (a subset of JSON Schema, see
 * libs/exporter-contract/src/config-schema.ts) for the form: defaults, the chosen `oneOf`
 * variant, the properties to show, pruning and checks as the user types.
 */
export type Values = Record<string, unknown>;

/** Tells the form to leave a property out (`path` is the full path, e.g. `config.auth.tokenCache`). */
export type HidePredicate = (path: string, schema: ConfigSchema, required: boolean) => boolean;

/**
 * A property the server sets (the contract's `readOnly`, e.g. a token cache saved by sign-in):
 * forms show whether it is set, never ask for it.
 */
export function isServerManaged(schema: ConfigSchema): boolean {
  return 'readOnly' in schema && schema.readOnly === true;
}

export function isObjectSchema(schema: ConfigSchema): schema is ObjectSchema {
  return 'type' in schema && schema.type === 'object';
}

/** `serverAddress` → `Server address` when the schema has no title. */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase();
}

export function titleOf(name: string, schema: ConfigSchema): string {
  return schema.title ?? humanize(name);
}

/** The property that tells `oneOf` variants apart (a `const` in every variant), if any. */
export function discriminatorOf(schema: ObjectSchema): string | undefined {
  const variants = schema.oneOf ?? [];
  if (variants.length === 0) return undefined;
  const first = variants[0];
  return Object.keys(first.properties).find((name) =>
    variants.every((v) => {
      const p = v.properties[name] as ConfigSchema | undefined;
      return p !== undefined && 'const' in p && typeof p.const === 'string';
    }),
  );
}

function constOf(schema: ConfigSchema | undefined): string | undefined {
  return schema && 'const' in schema && typeof schema.const === 'string' ? schema.const : undefined;
}

/** The `oneOf` variant the value has chosen (the first one when none matches). */
export function activeVariant(schema: ObjectSchema, value: Values): ObjectSchema | undefined {
  const disc = discriminatorOf(schema);
  if (!disc || !schema.oneOf) return undefined;
  return schema.oneOf.find((v) => constOf(v.properties[disc]) === value[disc]) ?? schema.oneOf[0];
}

export interface DiscriminatorChoice {
  value: string;
  label: string;
  hint?: string;
}

export function discriminatorChoices(schema: ObjectSchema, disc: string): DiscriminatorChoice[] {
  const base = schema.properties[disc] as ConfigSchema | undefined;
  const labels = base && 'x-enum-labels' in base ? (base['x-enum-labels'] ?? []) : [];
  const enumValues = base && 'enum' in base ? (base.enum ?? []) : [];
  return (schema.oneOf ?? []).map((variant) => {
    const value = constOf(variant.properties[disc]) ?? '';
    const index = enumValues.indexOf(value);
    return {
      value,
      label: variant.title ?? (index >= 0 ? labels[index] : undefined) ?? humanize(value),
      hint: variant.description,
    };
  });
}

export interface PropertyEntry {
  name: string;
  schema: ConfigSchema;
  required: boolean;
}

/** The properties to show for the value: the base ones and the chosen variant's, by `x-order`. */
export function visibleProperties(schema: ObjectSchema, value: Values): PropertyEntry[] {
  const disc = discriminatorOf(schema);
  const variant = activeVariant(schema, value);
  const merged = new Map<string, ConfigSchema>(Object.entries(schema.properties));
  for (const [name, child] of Object.entries(variant?.properties ?? {})) merged.set(name, child);
  const required = new Set([...(schema.required ?? []), ...(variant?.required ?? [])]);
  const entries = [...merged.entries()]
    .filter(([name, child]) => name !== disc && constOf(child) === undefined)
    .map(([name, child], index) => ({ name, schema: child, required: required.has(name), index }));
  entries.sort(
    (a, b) => (a.schema['x-order'] ?? 1000) - (b.schema['x-order'] ?? 1000) || a.index - b.index,
  );
  return entries.map(({ name, schema: s, required: r }) => ({ name, schema: s, required: r }));
}

/** A value filled with the schema's defaults (and the first variant of each `oneOf`). */
export function defaultsOf(schema: ConfigSchema): unknown {
  if (isObjectSchema(schema)) {
    const out: Values = {};
    const disc = discriminatorOf(schema);
    if (disc && schema.oneOf?.length) out[disc] = constOf(schema.oneOf[0].properties[disc]);
    for (const entry of visibleProperties(schema, out)) {
      const value = defaultsOf(entry.schema);
      if (value !== undefined) out[entry.name] = value;
    }
    return out;
  }
  if ('default' in schema && schema.default !== undefined) return schema.default;
  return undefined;
}

/** Is this string a secret the API stores encrypted and never returns? */
export function isSecret(schema: ConfigSchema): boolean {
  return 'x-secret' in schema && schema['x-secret'] === true;
}

/**
 * The value reduced to what the schema (and the chosen variants) accept: stale keys of another
 * variant dropped, empty optional strings and empty secrets (keep the stored one) left out.
 */
export function pruneToSchema(
  schema: ConfigSchema,
  value: unknown,
  path = '',
  hide?: HidePredicate,
): unknown {
  if (isObjectSchema(schema)) {
    const input = (value && typeof value === 'object' ? value : {}) as Values;
    const out: Values = {};
    const disc = discriminatorOf(schema);
    if (disc && input[disc] !== undefined) out[disc] = input[disc];
    for (const entry of visibleProperties(schema, input)) {
      const childPath = path ? `${path}.${entry.name}` : entry.name;
      if (hide?.(childPath, entry.schema, entry.required)) continue;
      const child = pruneToSchema(entry.schema, input[entry.name], childPath, hide);
      if (child === undefined) continue;
      if (typeof child === 'string' && child === '' && (!entry.required || isSecret(entry.schema)))
        continue;
      out[entry.name] = child;
    }
    return out;
  }
  return value;
}

/** Checks of one string as the user types (the server checks again, and more). */
export function checkString(schema: StringSchema, value: string): string | undefined {
  if (value === '') return undefined;
  if (schema.minLength !== undefined && value.length < schema.minLength)
    return `Enter at least ${schema.minLength} characters.`;
  if (schema.maxLength !== undefined && value.length > schema.maxLength)
    return `Enter at most ${schema.maxLength} characters.`;
  if (schema.format === 'uri') {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return 'Enter a full address, for example https://contoso.crm.dynamics.com';
    }
    if (!/^https?:$/.test(url.protocol)) return 'The address must start with https://';
    if (schema.pattern?.startsWith('^https') && url.protocol !== 'https:')
      return 'The address must use https://';
  }
  if (
    schema.format === 'uuid' &&
    !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
  )
    return 'Enter a GUID such as 00000000-0000-0000-0000-000000000000.';
  if (schema.format === 'email' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value))
    return 'Enter an email address.';
  if (schema.pattern) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(schema.pattern, 'u');
    } catch {
      re = undefined;
    }
    if (re && !re.test(value)) return `This value does not have the expected form.`;
  }
  return undefined;
}

/**
 * Problems found in the browser, by path under `prefix` (`config.serverAddress`). `requireAll`
 * also reports empty required fields (on Next / Save); while typing only filled fields are checked.
 */
export function checkValue(
  schema: ConfigSchema,
  value: unknown,
  prefix: string,
  options: {
    requireAll: boolean;
    secretsSet?: Set<string>;
    secretPrefix?: string;
    hide?: HidePredicate;
  },
  out: Record<string, string> = {},
): Record<string, string> {
  if (isObjectSchema(schema)) {
    const input = (value && typeof value === 'object' ? value : {}) as Values;
    for (const entry of visibleProperties(schema, input)) {
      const path = `${prefix}.${entry.name}`;
      if (options.hide?.(path, entry.schema, entry.required)) continue;
      const child = input[entry.name];
      const empty =
        child === undefined || child === '' || (Array.isArray(child) && child.length === 0);
      if (empty) {
        const secretPath = path.slice((options.secretPrefix ?? prefix).length + 1);
        const keptSecret = isSecret(entry.schema) && options.secretsSet?.has(secretPath);
        if (options.requireAll && entry.required && !keptSecret) out[path] = 'Enter a value.';
        continue;
      }
      checkValue(entry.schema, child, path, options, out);
    }
    return out;
  }
  if ('type' in schema) {
    switch (schema.type) {
      case 'string': {
        const problem = checkString(schema as StringSchema, typeof value === 'string' ? value : '');
        if (problem) out[prefix] = problem;
        break;
      }
      case 'number':
      case 'integer': {
        const n = typeof value === 'number' ? value : Number(value);
        if (!Number.isFinite(n)) out[prefix] = 'Enter a number.';
        else if (schema.type === 'integer' && !Number.isInteger(n))
          out[prefix] = 'Enter a whole number.';
        else if (schema.minimum !== undefined && n < schema.minimum)
          out[prefix] = `Enter ${schema.minimum} or more.`;
        else if (schema.maximum !== undefined && n > schema.maximum)
          out[prefix] = `Enter ${schema.maximum} or less.`;
        break;
      }
      case 'array': {
        const items = Array.isArray(value) ? value : [];
        if (schema.minItems !== undefined && items.length < schema.minItems)
          out[prefix] = `Choose at least ${schema.minItems}.`;
        break;
      }
      case 'boolean':
      case undefined:
        break;
    }
  }
  return out;
}

/** Does `path` (`auth.clientSecret`) name a property the value's chosen variants have? */
export function pathApplies(schema: ConfigSchema, value: unknown, path: string): boolean {
  const [head, ...rest] = path.split('.');
  if (!isObjectSchema(schema)) return false;
  const input = (value && typeof value === 'object' ? value : {}) as Values;
  const entry = visibleProperties(schema, input).find((e) => e.name === head);
  if (!entry) return false;
  return rest.length === 0 || pathApplies(entry.schema, input[head], rest.join('.'));
}

/** `{ auth: { kind: 'x' }, tags: ['a', 'b'] }` → `[['auth.kind', 'x'], ['tags', 'a, b']]`, for display. */
export function flattenValues(value: unknown, prefix = ''): [string, string][] {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      flattenValues(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [[prefix, Array.isArray(value) ? value.map(String).join(', ') : String(value)]];
}
