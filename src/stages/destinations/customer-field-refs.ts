import type { ConfigSchema } from '@audience-sync/exporter-contract';
import type { ErrorDetail } from '@platform/errors/app-error';
import type { CustomerField } from '@stages/contract/customer-field';

/**
 * Checks the configuration's arrays marked `x-customer-fields` (e.g. the file destination's
 * `fields`): every value must be a field of the unified customer. Generic, so no type-specific
 * code lives in the core.
 */
export function checkCustomerFieldRefs(
  schema: ConfigSchema,
  config: unknown,
  fields: CustomerField[],
): ErrorDetail[] {
  const known = new Set(fields.map((f) => f.name));
  const problems = new Map<string, ErrorDetail>();
  visit(schema, config, 'config', (path, values) => {
    values.forEach((value, i) => {
      if (typeof value === 'string' && !known.has(value)) {
        problems.set(`${path}[${i}]`, {
          path: `${path}[${i}]`,
          message: `${JSON.stringify(value)} is not a customer field; known fields: ${[...known].join(', ')}`,
        });
      }
    });
  });
  return [...problems.values()];
}

function visit(
  schema: ConfigSchema,
  value: unknown,
  path: string,
  found: (path: string, values: unknown[]) => void,
): void {
  if (!('type' in schema)) return;
  if (schema.type === 'array') {
    if (schema['x-customer-fields'] && Array.isArray(value)) found(path, value);
    return;
  }
  if (schema.type !== 'object' || !value || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  for (const [name, child] of Object.entries(schema.properties)) {
    visit(child, object[name], `${path}.${name}`, found);
  }
  for (const variant of schema.oneOf ?? []) visit(variant, value, path, found);
}
