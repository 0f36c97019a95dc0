import type { ErrorDetail } from '@platform/errors/app-error';
import { RESERVED_KEYS } from '@platform/http/untrusted-input';
import {
  CUSTOMER_ID_FIELD,
  FIELD_NAME,
  FIELD_TYPES,
  type FieldType,
} from '@stages/contract/customer-field';
import type { FieldMapping } from './source.entity';

/** A source's definition after validation (what is stored on the entity). */
export interface SourceDefinition {
  name: string;
  type: string;
  primaryKey: string;
  mapping: Record<string, FieldMapping>;
  lastModifiedColumn: string | null;
  options: Record<string, unknown>;
}

/** Another source's mapping, to check that shared fields keep one type. */
export interface OtherSource {
  name: string;
  mapping: Record<string, FieldMapping>;
}

export const MAX_NAME_LENGTH = 200;
export const MAX_COLUMN_LENGTH = 200;
export const MAX_FIELDS = 500;

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A source name: 1-200 characters, no control characters, no surrounding whitespace. */
export function checkName(value: string, path = 'name'): ErrorDetail[] {
  if (value.trim() === '') return [{ path, message: 'must not be empty' }];
  if (value.length > MAX_NAME_LENGTH) {
    return [{ path, message: `must be at most ${MAX_NAME_LENGTH} characters` }];
  }
  if (value.trim() !== value) {
    return [{ path, message: 'must not start or end with whitespace' }];
  }
  if (CONTROL.test(value)) return [{ path, message: 'must not contain control characters' }];
  return [];
}

/** A column name as written in the file's header (compared without surrounding whitespace). */
export function normalizeColumn(
  value: unknown,
  path: string,
  errors: ErrorDetail[],
): string | undefined {
  if (typeof value !== 'string') {
    errors.push({ path, message: 'must be a column name (a string)' });
    return undefined;
  }
  const column = value.trim();
  if (column === '') errors.push({ path, message: 'must not be empty' });
  else if (column.length > MAX_COLUMN_LENGTH) {
    errors.push({ path, message: `must be at most ${MAX_COLUMN_LENGTH} characters` });
  } else if (CONTROL.test(column)) {
    errors.push({ path, message: 'must not contain control characters' });
  } else return column;
  return undefined;
}

/**
 * Validates a mapping `{ <field>: "<column>" | { column, type } }` (a bare column name means
 * a `string` field) into `{ <field>: { column, type } }`.
 */
export function normalizeMapping(input: unknown): {
  mapping: Record<string, FieldMapping>;
  errors: ErrorDetail[];
} {
  const mapping: Record<string, FieldMapping> = {};
  const errors: ErrorDetail[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { mapping, errors: [{ path: 'mapping', message: 'must be an object' }] };
  }
  const entries = Object.entries(input as Record<string, unknown>);
  if (entries.length > MAX_FIELDS) {
    errors.push({ path: 'mapping', message: `must map at most ${MAX_FIELDS} fields` });
  }
  const lowerCase = new Map<string, string>();
  for (const [field, spec] of entries) {
    const path = `mapping.${field}`;
    if (!FIELD_NAME.test(field)) {
      errors.push({
        path,
        message:
          'field names are identifiers: a letter, then letters, digits or _ (at most 64), e.g. email, firstName, lifetimeValue',
      });
      continue;
    }
    if (RESERVED_KEYS.has(field)) {
      // Field names become keys of plain objects (customer fields, merge policies).
      errors.push({ path, message: `${field} is reserved (every JavaScript object has it)` });
      continue;
    }
    if (field === CUSTOMER_ID_FIELD) {
      errors.push({
        path,
        message: `${CUSTOMER_ID_FIELD} is reserved: unification assigns it to every customer`,
      });
      continue;
    }
    const twin = lowerCase.get(field.toLowerCase());
    if (twin !== undefined) {
      errors.push({ path, message: `differs from field ${twin} only in case; use one name` });
      continue;
    }
    lowerCase.set(field.toLowerCase(), field);
    if (typeof spec === 'string') {
      const column = normalizeColumn(spec, path, errors);
      if (column !== undefined) mapping[field] = { column, type: 'string' };
      continue;
    }
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
      errors.push({
        path,
        message:
          'must be a column name or { column, type } with type string, number, date or boolean',
      });
      continue;
    }
    const { column: columnValue, type: typeValue, ...rest } = spec as Record<string, unknown>;
    for (const extra of Object.keys(rest)) {
      errors.push({
        path: `${path}.${extra}`,
        message: 'unknown property (expected column, type)',
      });
    }
    const column = normalizeColumn(columnValue, `${path}.column`, errors);
    let type: FieldType = 'string';
    if (typeValue !== undefined) {
      if (typeof typeValue === 'string' && (FIELD_TYPES as readonly string[]).includes(typeValue)) {
        type = typeValue as FieldType;
      } else {
        errors.push({ path: `${path}.type`, message: `must be one of ${FIELD_TYPES.join(', ')}` });
        continue;
      }
    }
    if (column !== undefined) mapping[field] = { column, type };
  }
  return { mapping, errors };
}

/**
 * A field mapped by several sources has one type: each conflict names the field and the
 * other source. Fields that differ only in case from another source's field are refused too.
 */
export function checkSharedFields(
  mapping: Record<string, FieldMapping>,
  others: OtherSource[],
): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  for (const [field, { type }] of Object.entries(mapping)) {
    for (const other of others) {
      const theirs = other.mapping[field] as FieldMapping | undefined;
      if (theirs && theirs.type !== type) {
        errors.push({
          path: `mapping.${field}.type`,
          message: `field ${field} is a ${theirs.type} in source "${other.name}"; a field has the same type in every source`,
        });
        break;
      }
      const twin = Object.keys(other.mapping).find(
        (f) => f !== field && f.toLowerCase() === field.toLowerCase(),
      );
      if (twin !== undefined) {
        errors.push({
          path: `mapping.${field}`,
          message: `differs only in case from field ${twin} of source "${other.name}"; use the same name`,
        });
        break;
      }
    }
  }
  return errors;
}
