import type { ConfigSchema } from '@audience-sync/exporter-contract';
import {
  discriminatorChoices,
  discriminatorOf,
  flattenValues,
  isObjectSchema,
  isServerManaged,
  titleOf,
  visibleProperties,
  type Values,
} from './schema';

export interface DescribedValue {
  /** The config path (`auth.tenantId`), for keys and the technical details. */
  path: string;
  /** The form's label of it (`Tenant id`). */
  label: string;
  /** The value in the form's words (an option's label rather than its code). */
  text: string;
}

/**
 * A stored configuration as the form shows it: each value under its label, a choice between
 * variants (`auth.kind`) under its group's title in the words of the choice.
 */
export function describeValues(
  schema: ConfigSchema,
  value: unknown,
  prefix = '',
): DescribedValue[] {
  if (!isObjectSchema(schema) || !value || typeof value !== 'object' || Array.isArray(value)) {
    return flattenValues(value, prefix).map(([path, text]) => ({ path, label: path, text }));
  }
  const input = value as Values;
  const out: DescribedValue[] = [];
  const disc = discriminatorOf(schema);
  if (disc && typeof input[disc] === 'string') {
    const choice = discriminatorChoices(schema, disc).find((c) => c.value === input[disc]);
    out.push({
      path: prefix ? `${prefix}.${disc}` : disc,
      label: schema.title ?? titleOf(disc, schema),
      text: choice?.label ?? input[disc],
    });
  }
  for (const entry of visibleProperties(schema, input)) {
    const v = input[entry.name];
    if (v === undefined || v === null || v === '') continue;
    const path = prefix ? `${prefix}.${entry.name}` : entry.name;
    if (isObjectSchema(entry.schema)) {
      out.push(...describeValues(entry.schema, v, path));
      continue;
    }
    out.push({ path, label: titleOf(entry.name, entry.schema), text: textOf(entry.schema, v) });
  }
  return out;
}

/** The schema of the config path, when the value's chosen variants have it. */
function schemaAt(schema: ConfigSchema, value: unknown, path: string): ConfigSchema | undefined {
  const [head, ...rest] = path.split('.');
  if (!isObjectSchema(schema)) return undefined;
  const input = (value && typeof value === 'object' ? value : {}) as Values;
  const entry = visibleProperties(schema, input).find((e) => e.name === head);
  if (!entry) return undefined;
  return rest.length === 0 ? entry.schema : schemaAt(entry.schema, input[head], rest.join('.'));
}

/** A value the server sets itself (the sign-in's token cache), not one a person enters. */
export function isServerManagedAt(schema: ConfigSchema, value: unknown, path: string): boolean {
  const at = schemaAt(schema, value, path);
  return at !== undefined && isServerManaged(at);
}

/** The label of the config path (`auth.clientSecret` → `Client secret`), for secrets' rows. */
export function labelOf(schema: ConfigSchema, value: unknown, path: string): string {
  const at = schemaAt(schema, value, path);
  return at ? titleOf(path.split('.').at(-1) ?? path, at) : path;
}

function textOf(schema: ConfigSchema, value: unknown): string {
  const options = 'enum' in schema ? (schema.enum ?? []) : [];
  const labels = 'x-enum-labels' in schema ? (schema['x-enum-labels'] ?? []) : [];
  const index = options.indexOf(value as never);
  if (index >= 0 && labels[index]) return labels[index];
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'object'
    ? JSON.stringify(value)
    : `${value as string | number | boolean}`;
}
