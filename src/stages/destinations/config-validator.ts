import type { ConfigSchema } from '@audience-sync/exporter-contract';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Injectable } from '@nestjs/common';
import type { ErrorDetail } from '@platform/errors/app-error';

type Json = Record<string, unknown>;

/**
 * Validates destination configurations against their type's schema with Ajv (JSON Schema
 * 2020-12, formats from ajv-formats). Schema defaults are filled in; every problem comes back
 * as `{ path, message }` with the path under `config` (`config.auth.clientId`,
 * `config.fields[2]`). `oneOf` alternatives told apart by a `const` property (`auth.kind`) are
 * validated as a discriminated union, so errors speak about the chosen alternative only.
 */
@Injectable()
export class ConfigValidator {
  private readonly ajv = new Ajv2020({
    allErrors: true,
    useDefaults: true,
    discriminator: true,
    verbose: true,
    strict: true,
    strictTypes: false,
  });
  private readonly compiled = new WeakMap<ConfigSchema, ValidateFunction>();
  private readonly keywords = new Set<string>();

  constructor() {
    addFormats(this.ajv);
  }

  /** Compiles (once) and throws a plain Error naming the problem when the schema is wrong. */
  compile(schema: ConfigSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      for (const keyword of uiKeywords(schema)) {
        if (!this.keywords.has(keyword)) {
          this.ajv.addKeyword(keyword);
          this.keywords.add(keyword);
        }
      }
      validate = this.ajv.compile(withDiscriminators(structuredClone(schema) as unknown as Json));
      this.compiled.set(schema, validate);
    }
    return validate;
  }

  /** A copy of `config` with defaults applied, and the problems found (empty when valid). */
  validate(schema: ConfigSchema, config: unknown): { value: Json; problems: ErrorDetail[] } {
    const value = structuredClone(config) as Json;
    const validate = this.compile(schema);
    if (validate(value)) return { value, problems: [] };
    return { value, problems: describeErrors(validate.errors ?? []) };
  }
}

/** Every `x-…` keyword used in a schema (UI hints; validation ignores them). */
function uiKeywords(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) uiKeywords(item, out);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith('x-')) out.add(key);
      uiKeywords(value, out);
    }
  }
  return out;
}

/** Adds Ajv's `discriminator` to object schemas whose `oneOf` variants share a `const` property. */
function withDiscriminators(node: Json): Json {
  const properties = node.properties as Record<string, Json> | undefined;
  if (properties) for (const child of Object.values(properties)) withDiscriminators(child);
  const items = node.items as Json | undefined;
  if (items && typeof items === 'object') withDiscriminators(items);
  const oneOf = node.oneOf as Json[] | undefined;
  if (!oneOf || oneOf.length === 0) return node;
  for (const variant of oneOf) withDiscriminators(variant);
  const tag = Object.keys((oneOf[0].properties as Json | undefined) ?? {}).find((name) =>
    oneOf.every(
      (v) =>
        typeof ((v.properties as Json | undefined)?.[name] as Json | undefined)?.const === 'string',
    ),
  );
  if (tag) {
    node.discriminator = { propertyName: tag };
    const required = (node.required as string[] | undefined) ?? [];
    if (!required.includes(tag)) node.required = [...required, tag];
  }
  return node;
}

function describeErrors(errors: ErrorObject[]): ErrorDetail[] {
  const out = new Map<string, ErrorDetail>();
  const add = (path: string, message: string) => out.set(`${path}\n${message}`, { path, message });
  for (const error of errors) {
    const at = segments(error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      case 'required':
        add(toPath([...at, String(params.missingProperty)]), 'is required');
        break;
      case 'additionalProperties':
        add(
          toPath([...at, String(params.additionalProperty)]),
          'is not a setting of this destination type',
        );
        break;
      case 'enum':
        add(
          toPath(at),
          `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        );
        break;
      case 'const':
        add(toPath(at), `must be ${JSON.stringify(params.allowedValue)}`);
        break;
      case 'type':
        add(toPath(at), `must be ${article(String(params.type))}`);
        break;
      case 'format':
        add(toPath(at), `must be a valid ${String(params.format)}`);
        break;
      case 'discriminator': {
        const tag = String(params.tag);
        const values = tagValues(error.parentSchema, tag);
        const missing = params.tagValue === undefined;
        // A missing tag is reported by `required` already.
        if (!missing)
          add(
            toPath([...at, tag]),
            `must be one of: ${values.map((v) => JSON.stringify(v)).join(', ')}`,
          );
        break;
      }
      case 'oneOf':
        add(toPath(at), 'must match exactly one of the alternatives');
        break;
      default:
        add(toPath(at), error.message ?? `fails the "${error.keyword}" rule`);
    }
  }
  return [...out.values()];
}

function tagValues(schema: Json | undefined, tag: string): string[] {
  return ((schema?.oneOf as Json[] | undefined) ?? []).map(
    (v) => (v.properties as Record<string, Json>)[tag].const as string,
  );
}

function segments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `['auth', 'clientId']` → `config.auth.clientId`; numeric segments become `[n]`. */
export function toPath(parts: string[]): string {
  return parts.reduce(
    (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : `${path}.${part}`),
    'config',
  );
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}
